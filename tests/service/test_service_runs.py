"""Runs as the service makes them, against the emulators: steps and history, a failing Overpass, locks,
retention and secrets. (The scheduler, signals and kill -9 are in tests/schedule/.)"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_world import DATASET, World, service_world

from osmbridge import pipeline
from osmbridge.cli import main
from osmbridge.store import Owner


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with service_world(tmp_path) as built:
        yield built


def test_each_run_records_its_steps_and_runs_lists_them(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    first = pipeline.run(world.config())
    second = pipeline.run(world.config(), trigger="cron")
    assert first.ok and second.ok
    [one, two] = world.runs()
    assert (one.status, two.status, two.trigger) == ("ok", "ok", "cron")
    [dataset] = two.datasets
    steps = {step.step: step for step in dataset.steps}
    assert list(steps) == ["city", "osm", "match", "diff", "report", "store"]
    assert steps["city"].count == dataset.city_places and steps["osm"].count == dataset.osm_places
    assert steps["diff"].count == dataset.differences and all(s.status == "ok" for s in steps.values())
    assert all(s.duration_s >= 0 for s in steps.values()) and dataset.finished_at
    assert world.latest() == world.root / "reports" / DATASET / f"run-{two.id:05d}"

    assert main(["runs", "--config", str(world.config_path)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[1].split()[:5][0] == str(two.id) and " cron " in listing[1] and f"{DATASET} ok (" in listing[1]
    assert main(["runs", "show", str(one.id), "--config", str(world.config_path)]) == 0
    shown = capsys.readouterr().out
    assert f"run {one.id}: ok, started by cli" in shown and "    osm " in shown and "    store " in shown
    assert main(["runs", "show", "999", "--config", str(world.config_path)]) == 1


def test_overpass_down_fails_fast_keeps_the_last_good_data_and_floods_nothing(world: World) -> None:
    assert pipeline.run(world.config()).ok
    good = world.latest()
    world.overpass.stop()  # the server is gone: connections are refused

    summary = pipeline.run(world.config())

    [outcome] = summary.outcomes
    assert not outcome.ok
    assert "no answer after 2 attempts" in outcome.error and "The server looks down" in outcome.error
    [_, failed] = world.runs()
    assert failed.status == "failed" and failed.datasets[0].status == "failed"
    assert [s.step for s in failed.datasets[0].steps][-1] == "osm" and failed.datasets[0].steps[-1].status == "failed"
    assert world.latest() == good  # the reports people read are still the last good ones
    assert not (world.root / "reports" / DATASET / f"run-{failed.id:05d}").exists()
    store = world.store()
    assert [h.run_id for h in store.history(DATASET)] == [1]
    store.close()


def test_an_overpass_that_answers_nothing_is_not_believed(world: World) -> None:
    assert pipeline.run(world.config()).ok
    world.overpass.store.elements.clear()  # a server that lost its data answers an empty result

    [outcome] = pipeline.run(world.config()).outcomes

    assert not outcome.ok and "the OSM side is empty" in outcome.error
    assert "(the last good run, #1, had" in outcome.error and "the last good run stays the base" in outcome.error
    assert world.latest() == world.root / "reports" / DATASET / "run-00001"


def test_a_busy_overpass_recovers_within_the_run(world: World) -> None:
    world.overpass.fail_next(429, retry_after_s=1)
    world.overpass.fail_next(504)
    summary = pipeline.run(world.config())
    assert summary.ok
    assert [r.status for r in world.overpass.requests] == [429, 504, 200]


def test_a_dataset_another_live_run_holds_is_skipped(world: World) -> None:
    store = world.store()
    other = Owner.new()  # another run of this very process: alive
    assert store.acquire_lock(f"dataset:{DATASET}", other, ttl_s=60, run_id=41) is None

    [outcome] = pipeline.run(world.config()).outcomes

    assert not outcome.ok and outcome.error.startswith(f"skipped: dataset '{DATASET}' is being processed by run 41")
    [run] = world.runs()
    assert run.datasets[0].status == "skipped"
    store.release_lock(f"dataset:{DATASET}", other)
    assert pipeline.run(world.config()).ok
    store.close()


def test_old_runs_lose_their_snapshots_and_report_folders_not_their_counts(world: World) -> None:
    world.write_config(world.config().store_url, service="heartbeat_s = 0.5\nlock_ttl_s = 3\nkeep_runs = 2")
    for _ in range(4):
        assert pipeline.run(world.config()).ok
    folder = world.root / "reports" / DATASET
    assert sorted(p.name for p in folder.glob("run-*")) == ["run-00003", "run-00004"]
    assert world.latest() == folder / "run-00004"
    store = world.store()
    assert [h.run_id for h in store.history(DATASET)] == [1, 2, 3, 4]
    from sqlalchemy import func, select

    from osmbridge.store.tables import CitySnapshotRow, DatasetRunRow, OsmSnapshotRow

    with store.engine.connect() as connection:
        kept = connection.execute(select(DatasetRunRow.run_id).where(DatasetRunRow.id.in_(
            select(CitySnapshotRow.dataset_run_id))).distinct()).scalars().all()
        osm_rows = connection.execute(select(func.count()).select_from(OsmSnapshotRow)).scalar()
    assert sorted(kept) == [3, 4] and osm_rows > 0
    store.close()


def test_secrets_in_urls_never_reach_logs_messages_the_store_or_reports(
        world: World, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    secret = "S3CRET-T0KEN-4242"
    world.write_config(
        world.config().store_url,
        osm=(f'backend = "overpass"\noverpass_url = "{world.overpass.url}?token={secret}"\nbackoff_s = 0.05\n'
             "retries = 1\npause_s = 0"),
        **{f"datasets.{DATASET}.source": f'kind = "opendatasoft"\nlocation = "{world.portal.base_url}/?apikey='
                                         f'{secret}"\ndataset_id = "equipements"'})
    assert main(["run", "--config", str(world.config_path)]) == 0  # a good run: reports with origins
    world.overpass.fail_next(504, times=5)
    with caplog.at_level(logging.DEBUG):
        assert main(["-v", "run", "--config", str(world.config_path)]) == 1

    printed = capsys.readouterr()
    assert "FAILED" in printed.err and "token=***" in printed.err and secret not in printed.out + printed.err
    assert caplog.messages and not any(secret in m for m in caplog.messages)
    assert any("token=***" in m for m in caplog.messages)
    stored = " ".join(f"{r.message} {d.error} {' '.join(s.error for s in d.steps)}"
                      for r in world.runs() for d in r.datasets)
    assert "token=***" in stored and secret not in stored
    for path in (world.root / "reports").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
