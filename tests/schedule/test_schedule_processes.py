"""Real processes: kill -9 at any point of a run, SIGTERM, and two schedulers sharing one PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from postgres import scratch_schema
from service_world import DATASET, World, osmbridge_command, service_world
from sqlalchemy import select

from osmbridge import pipeline
from osmbridge.store.tables import LockRow


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s:g} s for {what}")
        time.sleep(0.1)


def start(world: World, *args: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(osmbridge_command(*args, "--config", str(world.config_path)), cwd=world.root,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)


def assert_latest_is_a_stored_run(world: World) -> None:
    """reports/<dataset>/latest, when it exists, names a run whose dataset the store has as done."""
    latest = world.latest()
    if latest is None:
        return
    run_id = int(latest.name.removeprefix("run-"))
    finished = {run.id: run.datasets[0].status for run in world.runs() if run.datasets}
    assert finished.get(run_id) == "ok", f"latest -> {latest.name}, the store says {finished.get(run_id)}"


def test_kill_9_at_any_point_then_the_next_run_cleans_up(tmp_path: Path) -> None:
    with service_world(tmp_path) as world:
        world.overpass.delay_s = 0.4  # slower stages, so the kills land in each of them
        log = tmp_path / "runs.log"
        began = time.monotonic()
        assert start(world, "run", log=log).wait(120) == 0
        duration_s = time.monotonic() - began
        for share in (0.15, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95):
            process = start(world, "run", log=log)
            time.sleep(duration_s * share)
            process.kill()  # SIGKILL: no handler, no cleanup
            process.wait()
            assert_latest_is_a_stored_run(world)

        summary = pipeline.run(world.config())  # the next run, as cron would start it

        assert summary.ok
        runs = world.runs()
        statuses = [run.status for run in runs]
        assert "running" not in statuses and set(statuses) <= {"ok", "interrupted"}
        killed = [run for run in runs if run.status == "interrupted"]
        assert killed and all("stopped without finishing" in run.message for run in killed)
        assert all(d.status in ("interrupted", "ok") for run in killed for d in run.datasets)
        assert world.latest() == world.root / "reports" / DATASET / f"run-{summary.run_id:05d}"
        assert_latest_is_a_stored_run(world)
        store = world.store()
        with store.engine.connect() as connection:
            assert connection.execute(select(LockRow)).all() == []  # no lock left behind
        store.close()
        # Report folders of killed runs are cleaned up; those of good runs stay.
        folders = {int(p.name.removeprefix("run-")) for p in (world.root / "reports" / DATASET).glob("run-*")}
        assert folders == {run.id for run in runs if run.status == "ok"}


def test_sigterm_stops_a_run_like_ctrl_c_and_records_it_interrupted(tmp_path: Path) -> None:
    with service_world(tmp_path) as world:
        world.overpass.delay_s = 3
        process = start(world, "run", log=tmp_path / "run.log")
        wait_until(lambda: bool(world.overpass.requests or world.overpass.max_parallel), 60, "the OSM step")
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 128 + signal.SIGTERM
        [run] = world.runs()
        assert run.status == "interrupted" and "interrupted (SIGTERM)" in run.message
        assert run.datasets[0].status == "interrupted" and run.datasets[0].steps[-1].status == "interrupted"
        assert "interrupted (SIGTERM); the run is recorded as interrupted" in (tmp_path / "run.log").read_text()
        assert world.latest() is None


def test_two_schedulers_on_one_postgresql_never_run_a_dataset_twice(tmp_path: Path) -> None:
    with scratch_schema() as url, service_world(tmp_path, url) as world:
        world.write_config(url, **{f"datasets.{DATASET}.schedule": 'cron = "*/2 * * * * *"'})
        first = start(world, "schedule", log=tmp_path / "first.log")
        second = start(world, "schedule", log=tmp_path / "second.log")
        processes = {first.pid: first, second.pid: second}

        def ok_runs() -> list:
            return [run for run in world.runs() if run.trigger == "schedule" and run.status == "ok"]

        def leader() -> int | None:
            store = world.store()
            with store.engine.connect() as connection:
                pid = connection.execute(select(LockRow.pid).where(LockRow.name == "scheduler")).scalar()
            store.close()
            return pid

        try:
            wait_until(lambda: len(ok_runs()) >= 3, 90, "three scheduled runs")
            lead = leader()
            assert lead in processes
            processes[lead].kill()  # the leading scheduler dies mid-turn or between turns
            processes[lead].wait()
            survivor = next(p for pid, p in processes.items() if pid != lead)
            wait_until(lambda: any(run.pid == survivor.pid for run in ok_runs()), 60, "the standby to take over")
            wait_until(lambda: sum(run.pid == survivor.pid for run in ok_runs()) >= 2, 60, "two more runs")
            survivor.send_signal(signal.SIGTERM)
            assert survivor.wait(60) == 0
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()

        runs = [run for run in world.runs() if run.trigger == "schedule"]
        assert {run.pid for run in runs} == {first.pid, second.pid}
        # Never two runs of the dataset at once, whichever process ran them.
        ordered = sorted(runs, key=lambda run: run.started_at)
        for earlier, later in zip(ordered, ordered[1:]):
            assert earlier.finished_at is not None and earlier.finished_at <= later.started_at, (earlier, later)
        assert all(run.status in ("ok", "interrupted") for run in runs)
        for run in runs:
            if run.status == "interrupted":  # killed with its scheduler, or stopped by the survivor's SIGTERM
                assert (run.pid == lead and "stopped without finishing" in run.message) or \
                    (run.pid == survivor.pid and "the scheduler is stopping" in run.message), run
