"""The state store: what each run saw and reported, the base of the next three-way diff, decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from osmbridge.diff.comparators import osm_aliases
from osmbridge.errors import StoreError
from osmbridge.model import (CityFeature, DatasetResult, Difference, Match, MatchDecision, OsmPlace,
                             RunCounts, SyncBase)
from osmbridge.store import audit_guard  # noqa: F401  (creates the audit log's triggers with its table)
from osmbridge.store.engine import open_engine, redact_url
from osmbridge.store.match_decisions import latest_fingerprints, save_match_decision
from osmbridge.store.review_rows import difference_row
from osmbridge.store.review_store import ReviewStore, refresh_review_items
from osmbridge.store.schema import ensure_schema
from osmbridge.store.tables import (Base, CitySnapshotRow, DatasetRunRow, DifferenceRow, MatchDecisionRow,
                                    OsmSnapshotRow, RunRow, SyncBaseRow)

# Differences about a tag's value: a tag without one of these agrees on both sides.
FIELD_KINDS = frozenset({"differs", "minor", "only_city", "only_osm"})


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Fingerprints of both sides, computed by the matcher, saved with the snapshots."""

    city: dict[str, str]  # source_id -> fingerprint
    osm: dict[str, str]  # osm key -> fingerprint


class Store(ReviewStore):
    """A SQLAlchemy database (SQLite file by default, any SQLAlchemy URL) holding osmbridge's state.

    Opening it brings its schema to this osmbridge's revision (osmbridge/store/schema.py). The review
    operations (items, decisions, audit log, push marks) come from `ReviewStore`.
    """

    def __init__(self, url: str) -> None:
        try:
            self.engine: Engine = open_engine(url)
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

    def start_run(self, trigger: str, now: str) -> int:
        """Record a new run as running; return its id."""
        with Session(self.engine) as session, session.begin():
            row = RunRow(started_at=now, status="running", trigger=trigger, message="")
            session.add(row)
            session.flush()
            return row.id

    def finish_run(self, run_id: int, status: str, now: str, message: str = "") -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(RunRow, run_id)
            row.status, row.finished_at, row.message = status, now, message

    def start_dataset(self, run_id: int, dataset: str, now: str) -> int:
        """Record that a dataset's processing began in a run; return the dataset-run id."""
        with Session(self.engine) as session, session.begin():
            row = DatasetRunRow(run_id=run_id, dataset=dataset, started_at=now, status="running")
            session.add(row)
            session.flush()
            return row.id

    def fail_dataset(self, dataset_run_id: int, error: str) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(DatasetRunRow, dataset_run_id)
            row.status, row.error = "failed", error

    def record_dataset(self, dataset_run_id: int, result: DatasetResult, counts: RunCounts,
                       fingerprints: Fingerprints, report_dir: str) -> None:
        """Save a finished dataset run in one transaction: counts, snapshots, differences, review items,
        new sync base."""
        with Session(self.engine) as session, session.begin():
            row = session.get(DatasetRunRow, dataset_run_id)
            row.status, row.report_dir = "ok", report_dir
            for name in ("city_places", "osm_places", "matched", "ambiguous", "missing_in_osm",
                         "missing_in_city", "differences", "skipped"):
                setattr(row, name, getattr(counts, name))
            # Bulk inserts: a run may snapshot tens of thousands of OSM places.
            _insert(session, CitySnapshotRow, [
                dict(dataset_run_id=dataset_run_id, source_id=f.source_id,
                     fingerprint=fingerprints.city.get(f.source_id, ""), tags=dict(f.tags),
                     fields=_jsonable(f.place.fields), geometry_wkt=f.geometry.wkt) for f in result.city])
            _insert(session, OsmSnapshotRow, [
                dict(dataset_run_id=dataset_run_id, osm_key=p.key, version=p.version,
                     fingerprint=fingerprints.osm.get(p.key, ""), tags=dict(p.tags), lon=p.center.x,
                     lat=p.center.y) for p in result.osm])
            _insert(session, DifferenceRow, [difference_row(d, dataset_run_id) for d in result.differences])
            # Read back rather than RETURNING: SQLite would then insert one row per statement.
            row_of = dict(session.execute(select(DifferenceRow.diff_id, DifferenceRow.id).where(
                DifferenceRow.dataset_run_id == dataset_run_id)).tuples().all())
            refresh_review_items(session, result.dataset, counts.run_id, result.started_at,
                                 [(d, row_of[d.id]) for d in result.differences])
            _update_sync_base(session, result.dataset, counts.run_id, result.city, result.osm,
                              result.matches, result.differences)

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

    # --- three-way base ------------------------------------------------------------------------

    def sync_base(self, dataset: str) -> SyncBase:
        """Each side's tags at the last sync of a dataset (empty before its first run)."""
        city: dict[str, dict[str, str]] = {}
        osm: dict[str, dict[str, str]] = {}
        closed: set[str] = set()
        with Session(self.engine) as session:
            for row in session.scalars(select(SyncBaseRow).where(SyncBaseRow.dataset == dataset)):
                (city if row.side == "city" else osm)[row.place_key] = dict(row.tags)
                if row.side == "city" and row.closed:
                    closed.add(row.place_key)
        return SyncBase(city_tags=city, osm_tags=osm, city_closed=frozenset(closed))

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


def _update_sync_base(session: Session, dataset: str, run_id: int, city: Sequence[CityFeature],
                      osm: Sequence[OsmPlace], matches: Sequence[Match],
                      differences: Sequence[Difference]) -> None:
    """Move the base forward: everything on a dataset's first run, then only what both sides agree on.

    A base that followed every run would forget who changed what after one run; keeping the last
    agreed values makes "the city changed this" stay true until OSM takes the change (or rejects it).
    """
    existing = session.scalars(select(SyncBaseRow).where(SyncBaseRow.dataset == dataset)).all()
    rows = {(r.side, r.place_key): r for r in existing}

    def put(side: str, key: str, tags: dict[str, str], closed: bool | None = None) -> None:
        row = rows.get((side, key))
        if row is None:
            row = SyncBaseRow(dataset=dataset, side=side, place_key=key, tags={}, closed=False, run_id=run_id)
            session.add(row)
            rows[(side, key)] = row
        row.tags = {**row.tags, **tags}
        row.tags = {k: v for k, v in row.tags.items() if v is not None}
        if closed is not None:
            row.closed = closed
        row.run_id = run_id

    if not existing:
        for feature in city:
            put("city", feature.source_id, dict(feature.tags), feature.closed)
        for place in osm:
            put("osm", place.key, dict(place.tags))
        return
    disagreeing = {(d.source_id, d.osm_key, d.field) for d in differences if d.kind in FIELD_KINDS}
    # No lifecycle difference: both sides agree on whether the place is open.
    lifecycle_disputed = {(d.source_id, d.osm_key) for d in differences if d.kind == "lifecycle"}
    by_id = {f.source_id: f for f in city}
    by_key = {p.key: p for p in osm}
    for match in _matched(matches):
        feature, place = by_id.get(match.source_id), by_key.get(match.osm_key)
        if feature is None or place is None:
            continue
        # OSM may hold a mapped tag under an alias (contact:phone for phone); the difference names the alias.
        keys = {tag: (tag, *osm_aliases(tag)) for tag in feature.tags}
        agreed = [tag for tag in feature.tags
                  if not any((match.source_id, match.osm_key, key) in disagreeing for key in keys[tag])]
        agreed_closed = None if (match.source_id, match.osm_key) in lifecycle_disputed else feature.closed
        put("city", feature.source_id, {tag: feature.tags.get(tag) for tag in agreed}, agreed_closed)
        put("osm", place.key, {key: place.tags.get(key) for tag in agreed for key in keys[tag]})


def _insert(session: Session, table: type[Base], rows: list[dict[str, object]]) -> None:
    # Core executemany: the ORM's bulk path costs more than the database for 100k rows.
    if rows:
        session.connection().execute(insert(table.__table__), rows)


def _matched(matches: Iterable[Match]) -> Iterable[Match]:
    return (m for m in matches if m.status == "matched" and m.source_id and m.osm_key)


def _jsonable(fields: object) -> dict[str, object]:
    """Raw city fields as JSON-safe values (anything unusual becomes text)."""
    out: dict[str, object] = {}
    for key, value in dict(fields).items():  # type: ignore[call-overload]
        out[str(key)] = value if value is None or isinstance(value, (str, int, float, bool)) else str(value)
    return out
