"""The state store: what each run saw and reported, the base of the next three-way diff, decisions."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from osmbridge.errors import StoreError, os_problem
from osmbridge.model import DatasetResult, MatchDecision, RunCounts, SyncBase, SyncBaseUpdate
from osmbridge.redact import redact
from osmbridge.store import audit_guard  # noqa: F401  (creates the audit log's triggers with its table)
from osmbridge.store import locks
from osmbridge.store.engine import open_engine, redact_url
from osmbridge.store.history import RunRecord, StepRecord, run_detail, run_history
from osmbridge.store.locks import LockHolder, Owner
from osmbridge.store.match_decisions import latest_fingerprints, save_match_decision
from osmbridge.store.osm_notes_store import OsmNotesStore
from osmbridge.store.producers import ProducerRecord, producer_freshness, producer_history, producer_rows
from osmbridge.store.review_rows import difference_row
from osmbridge.store.review_store import ReviewStore, refresh_review_items
from osmbridge.store.schema import ensure_schema
from osmbridge.store.tables import (Base, CitySnapshotRow, DatasetRunRow, DifferenceRow, MatchDecisionRow,
                                    OsmSnapshotRow, ProducerRunRow, RunRow, RunStepRow, SyncBaseRow)

_RowT = TypeVar("_RowT", bound=Base)


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Fingerprints of both sides, computed by the matcher, saved with the snapshots."""

    city: dict[str, str]  # source_id -> fingerprint
    osm: dict[str, str]  # osm key -> fingerprint


class Store(ReviewStore, OsmNotesStore):
    """A SQLAlchemy database (SQLite file by default, any SQLAlchemy URL) holding osmbridge's state.

    Opening it brings its schema to this osmbridge's revision (osmbridge/store/schema.py). The review
    operations (items, decisions, audit log, push marks) come from `ReviewStore`, the OSM notes ones
    (notes near the places, items following a note) from `OsmNotesStore`.
    """

    def __init__(self, url: str) -> None:
        try:
            self.engine: Engine = open_engine(url)
        except OSError as exc:  # the SQLite file's folder cannot be created
            raise StoreError(f"cannot create the folder of the state store {redact_url(url)} ({os_problem(exc)}). "
                             "Make its parent folder writable, or set [store] url in config.toml "
                             "(or OSMBRIDGE_STORE_URL) to another place.") from None
        except (SQLAlchemyError, ModuleNotFoundError) as exc:
            raise StoreError(f"cannot open the state store {redact_url(url)}: {exc.__class__.__name__}: "
                             f"{str(exc).splitlines()[0]}. Check [store] url in config.toml "
                             "(or OSMBRIDGE_STORE_URL).") from None
        try:
            self.schema_change = ensure_schema(self.engine)  # "", "created" or "upgraded from ..."
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    # --- runs ----------------------------------------------------------------------------------

    def start_run(self, trigger: str, now: str, owner: Owner | None = None) -> int:
        """Record a new run as running (by `owner`, this process by default); return its id."""
        owner = owner or Owner.new()
        with Session(self.engine) as session, session.begin():
            row = RunRow(started_at=now, status="running", trigger=trigger, message="", host=owner.host,
                         pid=owner.pid, heartbeat_at=time.time())
            session.add(row)
            session.flush()
            return row.id

    def finish_run(self, run_id: int, status: str, now: str, message: str = "") -> None:
        """Close a run: ok, failed or interrupted, with its message (secrets hidden)."""
        with Session(self.engine) as session, session.begin():
            row = _row(session, RunRow, run_id)
            row.status, row.finished_at, row.message = status, now, redact(message)

    def start_dataset(self, run_id: int, dataset: str, now: str) -> int:
        """Record that a dataset's processing began in a run; return the dataset-run id."""
        with Session(self.engine) as session, session.begin():
            row = DatasetRunRow(run_id=run_id, dataset=dataset, started_at=now, status="running")
            session.add(row)
            session.flush()
            return row.id

    def fail_dataset(self, dataset_run_id: int, error: str, status: str = "failed", now: str | None = None) -> None:
        """Close a dataset run that did not finish: failed, interrupted or skipped, with why (secrets hidden)."""
        with Session(self.engine) as session, session.begin():
            row = _row(session, DatasetRunRow, dataset_run_id)
            row.status, row.error, row.finished_at = status, redact(error), now

    def record_dataset(self, dataset_run_id: int, result: DatasetResult, counts: RunCounts,
                       fingerprints: Fingerprints, report_dir: str, base_update: SyncBaseUpdate) -> None:
        """Save a finished dataset run in one transaction: counts, snapshots, differences, review items,
        the base update.

        `base_update` is what the diff stage says both sides agree on (`osmbridge.diff.next_sync_base`).
        """
        with Session(self.engine) as session, session.begin():
            row = _row(session, DatasetRunRow, dataset_run_id)
            row.status, row.report_dir = "ok", report_dir
            for name in ("city_places", "osm_places", "matched", "ambiguous", "missing_in_osm",
                         "missing_in_city", "differences", "skipped"):
                setattr(row, name, getattr(counts, name))
            # Bulk inserts: a run may snapshot tens of thousands of OSM places.
            linked = {m.source_id: m.osm_key for m in result.matches if m.status == "matched" and m.source_id}
            _insert(session, CitySnapshotRow, [
                dict(dataset_run_id=dataset_run_id, source_id=f.source_id,
                     fingerprint=fingerprints.city.get(f.source_id, ""), tags=dict(f.tags),
                     fields=_jsonable(f.place.fields), geometry_wkt=f.geometry.wkt,
                     osm_key=linked.get(f.source_id)) for f in result.city])
            _insert(session, OsmSnapshotRow, [
                dict(dataset_run_id=dataset_run_id, osm_key=p.key, version=p.version,
                     fingerprint=fingerprints.osm.get(p.key, ""), tags=dict(p.tags), lon=p.center.x,
                     lat=p.center.y) for p in result.osm])
            _insert(session, DifferenceRow, [difference_row(d, dataset_run_id) for d in result.differences])
            _insert(session, ProducerRunRow, producer_rows(dataset_run_id, result))
            # Read back rather than RETURNING: SQLite would then insert one row per statement.
            row_of = dict(session.execute(select(DifferenceRow.diff_id, DifferenceRow.id).where(
                DifferenceRow.dataset_run_id == dataset_run_id)).tuples().all())
            refresh_review_items(session, result.dataset, counts.run_id, result.started_at,
                                 [(d, row_of[d.id]) for d in result.differences])
            _merge_sync_base(session, result.dataset, counts.run_id, base_update)

    def history(self, dataset: str) -> list[RunCounts]:
        """Counts of every successful run of a dataset, oldest first."""
        with Session(self.engine) as session:
            rows = session.scalars(select(DatasetRunRow).where(DatasetRunRow.dataset == dataset,
                                                               DatasetRunRow.status == "ok")
                                   .order_by(DatasetRunRow.id)).all()
            return [RunCounts(run_id=r.run_id, started_at=r.started_at, city_places=r.city_places,
                              osm_places=r.osm_places, matched=r.matched, ambiguous=r.ambiguous,
                              missing_in_osm=r.missing_in_osm, missing_in_city=r.missing_in_city,
                              differences=r.differences, skipped=r.skipped) for r in rows]

    def runs(self, limit: int = 20) -> list[RunRow]:
        """The most recent runs, newest first."""
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)))

    # --- service: owners, locks, steps, history, retention (osmbridge/store/locks.py, history.py) ------

    def heartbeat(self, run_id: int, owner: Owner) -> int:
        """Say that `owner` is still running `run_id`; return how many locks it still holds."""
        with Session(self.engine) as session, session.begin():
            session.execute(update(RunRow).where(RunRow.id == run_id).values(heartbeat_at=time.time()))
        return locks.refresh(self.engine, owner)

    def mark_interrupted_runs(self, ttl_s: float, now: str) -> list[int]:
        """Close the runs still "running" whose process is gone (killed, crashed); return their ids.

        A run counts as gone when its heartbeat is older than `ttl_s`, or at once when its process
        has left this host.
        """
        with Session(self.engine) as session, session.begin():
            gone = [run for run in session.scalars(select(RunRow).where(RunRow.status == "running"))
                    if not locks.owner_alive(run.host, run.pid, run.heartbeat_at, ttl_s)]
            for run in gone:
                where = f"process {run.pid} on {run.host}" if run.host else "its process"
                run.status, run.finished_at = "interrupted", now
                run.message = f"interrupted: {where} stopped without finishing (found at {now})"
                session.execute(update(DatasetRunRow).where(DatasetRunRow.run_id == run.id,
                                                            DatasetRunRow.status == "running")
                                .values(status="interrupted", finished_at=now, error=run.message))
            return [run.id for run in gone]

    def acquire_lock(self, name: str, owner: Owner, ttl_s: float, run_id: int | None = None) -> LockHolder | None:
        """Take a named lock ("dataset:X", "scheduler"); None when taken, else who holds it."""
        return locks.acquire(self.engine, name, owner, ttl_s, run_id)

    def release_lock(self, name: str, owner: Owner) -> None:
        locks.release(self.engine, name, owner)

    def refresh_locks(self, owner: Owner) -> int:
        """Renew the heartbeat of the locks `owner` holds; return how many it still holds."""
        return locks.refresh(self.engine, owner)

    def save_steps(self, dataset_run_id: int, steps: Sequence[StepRecord], finished_at: str) -> None:
        """Record the steps of a dataset run and when it ended."""
        with Session(self.engine) as session, session.begin():
            _insert(session, RunStepRow, [
                dict(dataset_run_id=dataset_run_id, step=s.step, started_at=s.started_at, duration_s=s.duration_s,
                     count=s.count, status=s.status, error=redact(s.error)) for s in steps])
            session.execute(update(DatasetRunRow).where(DatasetRunRow.id == dataset_run_id)
                            .values(finished_at=finished_at))

    def run_history(self, limit: int = 20, dataset: str | None = None, with_steps: bool = False) -> list[RunRecord]:
        """The most recent runs, newest first, with their datasets (and steps, when asked)."""
        return run_history(self.engine, limit, dataset, with_steps)

    def run_detail(self, run_id: int) -> RunRecord | None:
        """One run with its datasets and their steps (None: no such run)."""
        return run_detail(self.engine, run_id)

    def new_differences(self, run_id: int, dataset: str) -> dict[str, int]:
        """Differences of a dataset in a run absent from its previous successful run, counted by proposal."""
        with Session(self.engine) as session:
            row = session.scalars(select(DatasetRunRow).where(DatasetRunRow.run_id == run_id,
                                                              DatasetRunRow.dataset == dataset)).first()
            if row is None:
                return {}
            dataset_run_id = row.id
            previous = session.scalars(select(DatasetRunRow.id).where(
                DatasetRunRow.dataset == row.dataset, DatasetRunRow.status == "ok",
                DatasetRunRow.id < dataset_run_id).order_by(DatasetRunRow.id.desc()).limit(1)).first()
            seen = select(DifferenceRow.diff_id).where(DifferenceRow.dataset_run_id == previous)
            query = (select(DifferenceRow.proposal, func.count()).where(DifferenceRow.dataset_run_id == dataset_run_id)
                     .group_by(DifferenceRow.proposal))
            if previous is not None:
                query = query.where(DifferenceRow.diff_id.not_in(seen))
            return {str(proposal): int(count) for proposal, count in session.execute(query)}

    def prune_snapshots(self, dataset: str, keep_runs: int) -> list[str]:
        """Drop the snapshots of a dataset's successful runs older than the newest `keep_runs`.

        Their counts stay in the history, their differences stay for reviewers' decisions; returns
        the report folders of the pruned runs, for the caller to delete.
        """
        if keep_runs <= 0:
            return []
        with Session(self.engine) as session, session.begin():
            old = session.execute(select(DatasetRunRow.id, DatasetRunRow.report_dir).where(
                DatasetRunRow.dataset == dataset, DatasetRunRow.status == "ok")
                .order_by(DatasetRunRow.id.desc()).offset(keep_runs)).all()
            ids = [dataset_run_id for dataset_run_id, _ in old]
            for table in (CitySnapshotRow, OsmSnapshotRow):
                session.execute(delete(table).where(table.dataset_run_id.in_(ids)))
            return [report_dir for _, report_dir in old if report_dir]

    def unfinished_runs(self, dataset: str) -> list[int]:
        """Ids of the runs in which a dataset failed or was interrupted (their report folders are not valid)."""
        with Session(self.engine) as session:
            return list(session.scalars(select(DatasetRunRow.run_id).where(
                DatasetRunRow.dataset == dataset, DatasetRunRow.status.in_(("failed", "interrupted")))))

    # --- producers (datasets with several) ------------------------------------------------------

    def producer_history(self, dataset: str) -> dict[str, list[tuple[str, str]]]:
        """Per producer of a dataset, its good runs' (started_at, digest of its records), oldest first."""
        return producer_history(self.engine, dataset)

    def producer_freshness(self, dataset: str) -> list[ProducerRecord]:
        """Each producer of a dataset as its latest good run saw it: counts, agreement with OSM, last update."""
        return producer_freshness(self.engine, dataset)

    # --- three-way base ------------------------------------------------------------------------

    def sync_base(self, dataset: str) -> SyncBase:
        """Each side's tags, positions and links at the last sync of a dataset (empty before its first run)."""
        tags: dict[str, dict[str, dict[str, str]]] = {"city": {}, "osm": {}}
        positions: dict[str, dict[str, tuple[float, float]]] = {"city": {}, "osm": {}}
        links: dict[str, dict[str, str]] = {"city": {}, "osm": {}}
        closed: set[str] = set()
        with Session(self.engine) as session:
            for row in session.scalars(select(SyncBaseRow).where(SyncBaseRow.dataset == dataset)):
                tags[row.side][row.place_key] = dict(row.tags)
                if row.lon is not None and row.lat is not None:
                    positions[row.side][row.place_key] = (row.lon, row.lat)
                if row.linked:
                    links[row.side][row.place_key] = row.linked
                if row.side == "city" and row.closed:
                    closed.add(row.place_key)
        return SyncBase(city_tags=tags["city"], osm_tags=tags["osm"], city_closed=frozenset(closed),
                        city_positions=positions["city"], osm_positions=positions["osm"],
                        city_links=links["city"], osm_links=links["osm"])

    # --- sticky match decisions ----------------------------------------------------------------

    def decisions(self, dataset: str) -> list[MatchDecision]:
        with Session(self.engine) as session:
            rows = session.scalars(select(MatchDecisionRow).where(MatchDecisionRow.dataset == dataset)
                                   .order_by(MatchDecisionRow.id)).all()
            return [MatchDecision(dataset=r.dataset, source_id=r.source_id, verdict=r.verdict,  # type: ignore[arg-type]
                                  osm_key=r.osm_key, city_fingerprint=r.city_fingerprint,
                                  osm_fingerprint=r.osm_fingerprint, author=r.author, decided_at=r.decided_at)
                    for r in rows]

    def latest_fingerprints(self, dataset: str, source_id: str, osm_key: str | None) -> tuple[str, str | None]:
        """Fingerprints of a city record and an OSM place as the dataset's last successful run saw them.

        A decision is about what the person was shown; these let a later run tell whether either
        side has changed since (StoreError when that run did not see them).
        """
        with Session(self.engine) as session:
            return latest_fingerprints(session, dataset, source_id, osm_key)

    def save_decision(self, decision: MatchDecision) -> None:
        """Store a verdict, replacing an earlier one on the same link (never dropping others)."""
        with Session(self.engine) as session, session.begin():
            save_match_decision(session, decision)


def _merge_sync_base(session: Session, dataset: str, run_id: int, update: SyncBaseUpdate) -> None:
    """Merge each place's agreed tags, position and link into its base row (a None tag value removes the tag)."""
    rows = {(r.side, r.place_key): r
            for r in session.scalars(select(SyncBaseRow).where(SyncBaseRow.dataset == dataset))}
    sides = (("city", update.city, update.city_positions, update.city_links),
             ("osm", update.osm, update.osm_positions, update.osm_links))
    for side, places, positions, links in sides:
        for key in set(places) | set(positions) | set(links):
            row = rows.get((side, key))
            if row is None:
                row = SyncBaseRow(dataset=dataset, side=side, place_key=key, tags={}, closed=False, run_id=run_id)
                session.add(row)
                rows[(side, key)] = row
            merged = {**row.tags, **places.get(key, {})}
            row.tags = {k: v for k, v in merged.items() if v is not None}
            if side == "city" and key in update.city_closed:
                row.closed = update.city_closed[key]
            if key in positions:
                row.lon, row.lat = positions[key]
            if key in links:
                row.linked = links[key]
            row.run_id = run_id


def _row(session: Session, table: type[_RowT], row_id: int) -> _RowT:
    """The row of `table` with this id, which the caller created earlier in the run."""
    row = session.get(table, row_id)
    if row is None:
        raise LookupError(f"{table.__tablename__} {row_id} vanished from the state store")
    return row


def _insert(session: Session, table: type[Base], rows: list[dict[str, object]]) -> None:
    # Core executemany: the ORM's bulk path costs more than the database for 100k rows.
    if rows:
        session.connection().execute(insert(table), rows)


def _jsonable(fields: object) -> dict[str, object]:
    """Raw city fields as JSON-safe values (anything unusual becomes text)."""
    out: dict[str, object] = {}
    for key, value in dict(fields).items():  # type: ignore[call-overload]
        out[str(key)] = value if value is None or isinstance(value, (str, int, float, bool)) else str(value)
    return out
