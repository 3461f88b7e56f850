"""The scheduler against the emulators: turns on a cron of seconds, no overlap, one notification per run with
news, a missed turn run once at start; on SQLite and on PostgreSQL (state and job store alike)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from notify_servers import smtp_server, webhook_server
from postgres import scratch_schema
from service_world import DATASET, World, service_world

from osmbridge.schedule import start_scheduler
from osmbridge.store import RunRecord


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.sqlite'}"
        return
    with scratch_schema() as url:
        yield url


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s:g} s for {what}")
        time.sleep(0.2)


def scheduled(world: World, status: str = "ok") -> list[RunRecord]:
    return [run for run in world.runs() if run.trigger == "schedule" and run.status == status]


def test_turns_run_in_order_without_overlap_and_news_is_notified_once(tmp_path: Path, store_url: str) -> None:
    with smtp_server() as (inbox, port), webhook_server() as hook, service_world(tmp_path, store_url) as world:
        world.write_config(store_url, **{
            f"datasets.{DATASET}.schedule": 'cron = "*/3 * * * * *"\ntimezone = "Europe/Paris"',
            "notify": (f'[notify.email]\nto = ["sig@ville.example"]\nfrom = "osmbridge@ville.example"\n'
                       f'host = "127.0.0.1"\nport = {port}\nstarttls = false\n[notify.webhook]\nurl = "{hook.url}"')})
        world.overpass.delay_s = 0.2
        scheduler = start_scheduler(world.config())
        try:
            assert scheduler.leader
            wait_until(lambda: len(scheduled(world)) >= 1, 30, "the first scheduled run")
            world.change_a_city_record()  # the city publishes a change: a later turn has news
            wait_until(lambda: len(scheduled(world)) >= 3, 45, "three scheduled runs")
        finally:
            scheduler.stop()

    runs = scheduled(world)
    assert all(run.datasets[0].status == "ok" for run in runs)
    # One run at a time: each turn ends before the next begins, and Overpass saw one query at a time.
    for earlier, later in zip(runs, runs[1:]):
        assert earlier.finished_at is not None and earlier.finished_at <= later.started_at
    assert world.overpass.max_parallel == 1
    store = world.store()
    news = {run.id for run in runs if store.new_differences(run.id, DATASET)}
    store.close()
    assert runs[0].id in news and len(news) >= 2 and len(news) < len(runs)  # a quiet turn stays quiet
    notified = {body["run_id"] for body in hook.bodies}
    assert notified == news and len(hook.bodies) == len(news)
    assert sorted(int(m["Subject"].split(":")[0].split()[-1]) for m in inbox.messages) == sorted(news)
    assert not [run for run in world.runs() if run.status == "running"]


def test_a_missed_turn_runs_once_when_the_scheduler_starts(tmp_path: Path, store_url: str) -> None:
    with service_world(tmp_path, store_url) as world:
        # Once a day, half a day from now: the next turn is never within the test's minute.
        hour = (datetime.now(UTC).hour + 12) % 24
        world.write_config(store_url, **{f"datasets.{DATASET}.schedule": f'cron = "0 {hour} * * *"\ntimezone = "UTC"'})
        first = start_scheduler(world.config())
        assert first.next_runs()[DATASET] > datetime.now(UTC)
        # The server was down through many turns: its job's next run lies ten minutes in the past.
        job_store = first._apscheduler
        assert job_store is not None
        job_store.pause()
        job_store.modify_job(f"dataset:{DATASET}", next_run_time=datetime.now(UTC) - timedelta(minutes=10))
        first.stop()
        assert world.runs() == []

        second = start_scheduler(world.config())
        try:
            wait_until(lambda: len(scheduled(world)) == 1, 30, "the missed run")
            time.sleep(2)
            assert second.next_runs()[DATASET] > datetime.now(UTC) + timedelta(minutes=1)
        finally:
            second.stop()
    assert len(scheduled(world)) == 1 and len(world.runs()) == 1
