"""SQLAlchemy 2 tables of the state store: runs, snapshots, the sync base, differences, decisions,
review items and their audit log.

Portable across SQLite (default) and PostgreSQL: JSON columns, no dialect-specific types.
A change here needs a migration in osmbridge/store/migrations/versions/ (see osmbridge/store/schema.py);
tests/store/test_store_schema.py fails until the migrations build exactly these tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (JSON, Boolean, Float, ForeignKey, Index, Integer, MetaData, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# PostgreSQL's own default names, so stores made before migrations existed carry the same names,
# and SQLite migrations (batch mode) can find a constraint to drop by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RunRow(Base):
    """One invocation of the pipeline (cli, demo, scheduler)."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # running | ok | failed
    trigger: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text, default="")
    # Who runs it, so a run whose process died can be told apart from one still going (0002).
    host: Mapped[str | None] = mapped_column(String(200))
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[float | None] = mapped_column(Float)  # Unix time, refreshed while it runs


class DatasetRunRow(Base):
    """One dataset inside a run, with its headline counts."""

    __tablename__ = "dataset_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    dataset: Mapped[str] = mapped_column(String(200), index=True)
    started_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # running | ok | failed
    error: Mapped[str] = mapped_column(Text, default="")
    report_dir: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[str | None] = mapped_column(String(32))
    city_places: Mapped[int] = mapped_column(Integer, default=0)
    osm_places: Mapped[int] = mapped_column(Integer, default=0)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    ambiguous: Mapped[int] = mapped_column(Integer, default=0)
    missing_in_osm: Mapped[int] = mapped_column(Integer, default=0)
    missing_in_city: Mapped[int] = mapped_column(Integer, default=0)
    differences: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class CitySnapshotRow(Base):
    """A city record as it was in one run."""

    __tablename__ = "city_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_run_id: Mapped[int] = mapped_column(ForeignKey("dataset_runs.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    tags: Mapped[dict[str, Any]] = mapped_column(JSON)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    geometry_wkt: Mapped[str] = mapped_column(Text)
    osm_key: Mapped[str | None] = mapped_column(String(32), nullable=True)  # matched to in that run (0008)


class OsmSnapshotRow(Base):
    """An OSM place as it was in one run."""

    __tablename__ = "osm_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_run_id: Mapped[int] = mapped_column(ForeignKey("dataset_runs.id"), index=True)
    osm_key: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    tags: Mapped[dict[str, Any]] = mapped_column(JSON)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)


class SyncBaseRow(Base):
    """The base of the three-way diff: one side's tags of one place at the last sync."""

    __tablename__ = "sync_base"
    __table_args__ = (UniqueConstraint("dataset", "side", "place_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(200))
    side: Mapped[str] = mapped_column(String(8))  # city | osm
    place_key: Mapped[str] = mapped_column(String(200))  # source_id or osm key
    tags: Mapped[dict[str, Any]] = mapped_column(JSON)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)  # city side: marked closed
    run_id: Mapped[int] = mapped_column(Integer)  # run that last set it
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)  # display position at the last sync
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    linked: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the other side's key it was linked to


class DifferenceRow(Base):
    """A difference as reported in one run; its `diff_id` is stable across runs."""

    __tablename__ = "differences"
    __table_args__ = (Index("ix_differences_diff_id", "diff_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_run_id: Mapped[int] = mapped_column(ForeignKey("dataset_runs.id"), index=True)
    diff_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str | None] = mapped_column(String(200))
    osm_key: Mapped[str | None] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(String(200))
    city_value: Mapped[str | None] = mapped_column(Text)
    osm_value: Mapped[str | None] = mapped_column(Text)
    changed_side: Mapped[str] = mapped_column(String(16))
    proposal: Mapped[str] = mapped_column(String(16))
    # The proposal's tag changes when more than field = city_value: {"set": {k: v}, "unset": [k]}.
    osm_edit: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The rest of the Difference, so that review and push work from the store alone.
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    category: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str | None] = mapped_column(Text, nullable=True)
    osm_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    city_field: Mapped[str | None] = mapped_column(String(200), nullable=True)
    base_city_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    base_osm_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    notes: Mapped[Any] = mapped_column(JSON, nullable=True)  # [{"code": ..., "params": {...}}, ...]
    survey_value: Mapped[str | None] = mapped_column(Text, nullable=True)  # survey_* kinds (0008)
    # Datasets with several producers (0010): the producers it is routed to, " a b " (filters use
    # LIKE '% a %'), and what each producer says for "producers_disagree": [[producer, value], ...].
    producers: Mapped[str | None] = mapped_column(String(400), nullable=True)
    producer_values: Mapped[Any] = mapped_column(JSON, nullable=True)


class MatchDecisionRow(Base):
    """A person's sticky verdict on a link (issue: conflation engine)."""

    __tablename__ = "match_decisions"
    __table_args__ = (UniqueConstraint("dataset", "source_id", "verdict", "osm_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(200), index=True)
    source_id: Mapped[str] = mapped_column(String(200))
    verdict: Mapped[str] = mapped_column(String(16))
    osm_key: Mapped[str | None] = mapped_column(String(32))
    city_fingerprint: Mapped[str] = mapped_column(String(64))
    osm_fingerprint: Mapped[str | None] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[str] = mapped_column(String(32), default="")


class RunStepRow(Base):
    """One step of a dataset run (city, osm, match, diff, report, store, push): when, how long, how many."""

    __tablename__ = "run_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_run_id: Mapped[int] = mapped_column(ForeignKey("dataset_runs.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[str] = mapped_column(String(32))
    duration_s: Mapped[float] = mapped_column(Float)
    count: Mapped[int | None] = mapped_column(Integer)  # what the step produced (places read, matches...)
    status: Mapped[str] = mapped_column(String(16))  # ok | failed | interrupted
    error: Mapped[str] = mapped_column(Text, default="")


class LockRow(Base):
    """A named lock held by one process ("dataset:<name>", "scheduler"), kept alive by its heartbeat."""

    __tablename__ = "locks"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))  # a token unique to the holder
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(Integer)
    acquired_at: Mapped[str] = mapped_column(String(32))
    heartbeat_at: Mapped[float] = mapped_column(Float)  # Unix time
class ReviewItemRow(Base):
    """A difference under review and its current decision; one row per difference id, kept across runs."""

    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("diff_id"), Index("ix_review_items_dataset_slot", "dataset", "slot"),
                      Index("ix_review_items_dataset_state", "dataset", "state"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(200))
    diff_id: Mapped[str] = mapped_column(String(64))
    slot: Mapped[str] = mapped_column(String(32))  # same place and field whatever the values (review.refresh)
    difference_row_id: Mapped[int] = mapped_column(ForeignKey("differences.id"), index=True)  # latest report
    present: Mapped[bool] = mapped_column(Boolean, default=True)  # in the dataset's latest run
    first_run_id: Mapped[int] = mapped_column(Integer)
    last_run_id: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The current decision (model.Decision).
    state: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str | None] = mapped_column(String(8), nullable=True)
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[str] = mapped_column(String(32), default="")
    seen_city_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    seen_osm_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    seen_osm_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    match_verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)
    push_ref: Mapped[str] = mapped_column(String(200), default="")
    decided_run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # newest run when decided
    previous: Mapped[Any] = mapped_column(JSON, nullable=True)  # the decision a stale/resolved item keeps


class ReviewEventRow(Base):
    """The audit log: one row per change of a review item. Append-only: never updated nor deleted
    (the database refuses both, see osmbridge/store/audit_guard.py)."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_item", "diff_id"), Index("ix_review_events_dataset", "dataset"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(200))
    diff_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    old_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    new_state: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str | None] = mapped_column(String(8), nullable=True)
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    city_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    osm_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    old_city_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    old_osm_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[Any] = mapped_column(JSON, nullable=True)


class PushJournalRow(Base):
    """The push stage's write-ahead journal: one changeset attempt, recorded before upload, its result after.

    state: planned (written before anything is sent) -> open (changeset created) -> sent (osmChange about to
    be posted) -> applied (diffResult recorded) -> done (items marked pushed, changeset closed); or
    abandoned (nothing was applied: the items return to the pool) / rejected (the server refused it).
    """

    __tablename__ = "push_journal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(200), index=True)
    target: Mapped[str] = mapped_column(String(16))  # "osm"
    state: Mapped[str] = mapped_column(String(16), index=True)
    changeset_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[list[Any]] = mapped_column(JSON)  # planned whole-element changes, to reconcile against
    changeset_tags: Mapped[dict[str, Any]] = mapped_column(JSON)
    items: Mapped[list[Any]] = mapped_column(JSON)  # [difference id, decided_at] of the accepted items carried
    osc: Mapped[str] = mapped_column(Text, default="")  # the osmChange as posted
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # sent key -> [new key, new version]
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class OsmNoteRow(Base):
    """An OSM note seen near a dataset's places, or followed for a review item: its latest known state (0009)."""

    __tablename__ = "osm_notes"
    __table_args__ = (UniqueConstraint("dataset", "note_id"),
                      Index("ix_osm_notes_dataset_place", "dataset", "source_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(200))
    note_id: Mapped[int] = mapped_column(Integer)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(8))  # open | closed | hidden
    created_at: Mapped[str] = mapped_column(String(32))
    closed_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")  # what it was opened with
    comments: Mapped[Any] = mapped_column(JSON, nullable=True)  # [{"action", "date", "user", "text"}, ...]
    # The place it was last seen next to, and what its text reports about it.
    source_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    osm_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
    place_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    concern: Mapped[str | None] = mapped_column(String(16), nullable=True)
    keyword: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the last run that saw it near a place
    checked_at: Mapped[str] = mapped_column(String(32))  # when its state was last read from the API


class OsmNoteLinkRow(Base):
    """A review item following an OSM note: osmbridge opened the note for it, or found one open nearby (0009)."""

    __tablename__ = "osm_note_links"
    __table_args__ = (UniqueConstraint("diff_id", "note_id"), Index("ix_osm_note_links_note", "dataset", "note_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(200))
    diff_id: Mapped[str] = mapped_column(String(64), index=True)
    note_id: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))  # created | existing (model.NoteLinkOrigin)
    author: Mapped[str] = mapped_column(String(200))  # the reviewer who asked
    at: Mapped[str] = mapped_column(String(32))


class ProducerRunRow(Base):
    """What one producer of a dataset brought to one run: counts, agreement with OSM, freshness (0010)."""

    __tablename__ = "producer_runs"
    __table_args__ = (Index("ix_producer_runs_dataset", "dataset", "producer"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_run_id: Mapped[int] = mapped_column(ForeignKey("dataset_runs.id"), index=True)
    dataset: Mapped[str] = mapped_column(String(200))
    producer: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(String(200), default="")
    trust: Mapped[int] = mapped_column(Integer, default=50)
    records: Mapped[int] = mapped_column(Integer, default=0)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    linked: Mapped[int] = mapped_column(Integer, default=0)
    fields_compared: Mapped[int] = mapped_column(Integer, default=0)
    fields_agreed: Mapped[int] = mapped_column(Integer, default=0)
    routed: Mapped[int] = mapped_column(Integer, default=0)
    disagreements: Mapped[int] = mapped_column(Integer, default=0)
    digest: Mapped[str] = mapped_column(String(64), default="")  # of its records: a new one means new data
    data_date: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_change: Mapped[str | None] = mapped_column(String(32), nullable=True)
