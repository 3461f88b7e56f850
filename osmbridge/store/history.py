"""Run history for people: each run, its datasets, their steps (durations, counts, errors).

`Store.run_history` and `Store.run_detail` return these; `osmbridge runs` prints them and the web
app shows them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from osmbridge.store.tables import DatasetRunRow, RunRow, RunStepRow

RUN_STATUSES = ("running", "ok", "failed", "interrupted", "skipped")


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One step of a dataset run."""

    step: str  # city, osm, match, diff, report, store, push
    started_at: str
    duration_s: float
    count: int | None
    status: str  # ok | failed | interrupted
    error: str = ""


@dataclass(frozen=True, slots=True)
class DatasetRunRecord:
    """One dataset inside a run, with its headline counts and steps."""

    id: int
    dataset: str
    status: str  # running | ok | failed | interrupted | skipped
    started_at: str
    finished_at: str | None
    error: str
    report_dir: str
    city_places: int
    osm_places: int
    matched: int
    missing_in_osm: int
    missing_in_city: int
    differences: int
    steps: tuple[StepRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run: who started it, how it ended, its datasets."""

    id: int
    trigger: str
    status: str
    started_at: str
    finished_at: str | None
    message: str
    host: str | None
    pid: int | None
    datasets: tuple[DatasetRunRecord, ...]

    @property
    def duration_s(self) -> float | None:
        if not self.finished_at:
            return None
        return (datetime.fromisoformat(self.finished_at) - datetime.fromisoformat(self.started_at)).total_seconds()


def run_history(engine: Engine, limit: int = 20, dataset: str | None = None,
                with_steps: bool = False) -> list[RunRecord]:
    """The most recent runs (of one dataset, when named), newest first."""
    with Session(engine) as session:
        query = select(RunRow).order_by(RunRow.id.desc()).limit(limit)
        if dataset is not None:
            query = query.where(RunRow.id.in_(select(DatasetRunRow.run_id).where(DatasetRunRow.dataset == dataset)))
        runs = list(session.scalars(query))
        return _records(session, runs, with_steps)


def run_detail(engine: Engine, run_id: int) -> RunRecord | None:
    """One run with its datasets and their steps, or None when there is no such run."""
    with Session(engine) as session:
        run = session.get(RunRow, run_id)
        return _records(session, [run], True)[0] if run is not None else None


def _records(session: Session, runs: list[RunRow], with_steps: bool) -> list[RunRecord]:
    ids = [run.id for run in runs]
    datasets: dict[int, list[DatasetRunRow]] = defaultdict(list)
    for row in session.scalars(select(DatasetRunRow).where(DatasetRunRow.run_id.in_(ids)).order_by(DatasetRunRow.id)):
        datasets[row.run_id].append(row)
    steps: dict[int, list[StepRecord]] = defaultdict(list)
    if with_steps:
        dataset_ids = [row.id for rows in datasets.values() for row in rows]
        for step in session.scalars(select(RunStepRow).where(RunStepRow.dataset_run_id.in_(dataset_ids))
                                    .order_by(RunStepRow.id)):
            steps[step.dataset_run_id].append(StepRecord(step=step.step, started_at=step.started_at,
                                                         duration_s=step.duration_s, count=step.count,
                                                         status=step.status, error=step.error))
    return [RunRecord(id=run.id, trigger=run.trigger, status=run.status, started_at=run.started_at,
                      finished_at=run.finished_at, message=run.message, host=run.host, pid=run.pid,
                      datasets=tuple(_dataset(row, steps[row.id]) for row in datasets[run.id]))
            for run in runs]


def _dataset(row: DatasetRunRow, steps: list[StepRecord]) -> DatasetRunRecord:
    return DatasetRunRecord(id=row.id, dataset=row.dataset, status=row.status, started_at=row.started_at,
                            finished_at=row.finished_at, error=row.error, report_dir=row.report_dir,
                            city_places=row.city_places, osm_places=row.osm_places, matched=row.matched,
                            missing_in_osm=row.missing_in_osm, missing_in_city=row.missing_in_city,
                            differences=row.differences, steps=tuple(steps))
