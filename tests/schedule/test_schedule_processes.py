"""Real processes: kill -9 at any point of a run, SIGTERM, and two schedulers sharing one PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from postgres import scratch_schema
from service_world import DATASET, World, osmbridge_command, service_world
from sqlalchemy import create_engine, select, text

from osmbridge import pipeline
from osmbridge.store.tables import LockRow


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str, poll_s: float = 0.1) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s:g} s for {what}")
        time.sleep(poll_s)


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
    with service_world(tmp_path, size=150) as world:
        world.overpass.delay_s = 0.5  # a slower OSM step, so a kill lands inside it
        log = tmp_path / "runs.log"
        assert start(world, "run", log=log).wait(120) == 0
        folder = world.root / "reports" / DATASET
        state = create_engine(world.config().store_url)

        def running() -> bool:
            with state.connect() as connection:
                return bool(connection.execute(text("SELECT count(*) FROM runs WHERE status = 'running'")).scalar())

        def report_folder(number: int) -> bool:
            return (folder / f"run-{number:05d}").is_dir()

        # Kill points along a run: while Python starts, once the run is recorded, while the city is read,
        # while OSM answers, then at several moments from the first report file on, through the reports,
        # the store step and the move of `latest`.
        points: list[tuple[str, Callable[[int], bool], float]] = [
            ("starting", lambda n: True, 0.3),
            ("run recorded", lambda n: running(), 0.0),
            ("reading the city", lambda n: len(world.portal.requests) > portal_requests, 0.0),
            ("asking Overpass", lambda n: len(world.overpass.requests) > overpass_requests or world.overpass.busy, 0.1),
        ] + [(f"reports + {delay_s} s", report_folder, delay_s) for delay_s in (0.0, 0.02, 0.04, 0.06, 0.09, 0.12, 0.2)]
        for what, reached, extra_s in points:
            number = max(run.id for run in world.runs()) + 1
            portal_requests, overpass_requests = len(world.portal.requests), len(world.overpass.requests)
            process = start(world, "run", log=log)
            wait_until(lambda: reached(number) or process.poll() is not None, 120, what, poll_s=0.005)
            time.sleep(extra_s)
            process.kill()  # SIGKILL: no handler, no cleanup
            process.wait()
            assert_latest_is_a_stored_run(world)
        state.dispose()

        summary = pipeline.run(world.config())  # the next run, as cron would start it

        assert summary.ok
        runs = world.runs()
        statuses = [run.status for run in runs]
        assert "running" not in statuses and set(statuses) <= {"ok", "interrupted"}
        killed = [run for run in runs if run.status == "interrupted"]
        assert len(killed) >= 4 and all("stopped without finishing" in run.message for run in killed)
        assert all(d.status in ("interrupted", "ok") for run in killed for d in run.datasets)
        assert world.latest() == folder / f"run-{summary.run_id:05d}"
        assert_latest_is_a_stored_run(world)
        store = world.store()
        with store.engine.connect() as connection:
            assert connection.execute(select(LockRow)).all() == []  # no lock left behind
        store.close()
        # Report folders of runs killed before the store had them are cleaned up; those it has stay
        # (a run killed after saving its dataset, before closing, keeps its stored dataset and folder).
        folders = {int(p.name.removeprefix("run-")) for p in folder.glob("run-*")}
        assert folders == {run.id for run in runs if run.datasets and run.datasets[0].status == "ok"}


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
