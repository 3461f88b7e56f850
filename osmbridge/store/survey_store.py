"""The field survey in the store: the places of a dataset's latest run, and agents' answers kept once each.

`record_answer` writes an answer, its survey items, their audit entries and the reopening of the
place's items that waited for a survey in one transaction; an answer id already recorded writes
nothing and returns what the first post did, so a browser may send an answer as often as it likes.
"""

from __future__ import annotations

from typing import Any

from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import Point
from sqlalchemy import JSON, Float, Index, Integer, String, Text, UniqueConstraint, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from osmbridge.diff.pair import LIFECYCLE_KEYS
from osmbridge.model import SURVEY_KINDS, Difference
from osmbridge.party.tasks import address_from_fields, address_from_tags
from osmbridge.review import Reopen, slot_key
from osmbridge.review.refresh import SURVEY_AGREES
from osmbridge.review.transitions import SYSTEM_AUTHOR
from osmbridge.store.review_rows import difference_row
from osmbridge.store.review_store import decide_in
from osmbridge.store.tables import (Base, CitySnapshotRow, DatasetRunRow, DifferenceRow, OsmSnapshotRow,
                                    ReviewEventRow, ReviewItemRow)
from osmbridge.survey.answers import SurveyError, survey_differences
from osmbridge.survey.model import CityColumns, RecordedAnswer, SurveyAnswer, SurveyPlace

# The main keys in the order a place's kind is shown by ("amenity=library" before "building=yes").
_KIND_KEYS = ("amenity", "shop", "leisure", "tourism", "office", "healthcare", "craft", "emergency", "club",
              "man_made", "historic", "military")
assert set(_KIND_KEYS) == LIFECYCLE_KEYS


class SurveyAnswerRow(Base):
    """What a field agent answered about one place; one row per answer id, never updated."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("answer_id"), Index("ix_survey_answers_dataset", "dataset"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[str] = mapped_column(String(64))  # made by the agent's browser: retries send it again
    dataset: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    osm_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
    answer: Mapped[str] = mapped_column(String(16))  # exists | closed | moved | value
    field: Mapped[str | None] = mapped_column(String(200), nullable=True)
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    observed_at: Mapped[str] = mapped_column(String(32))  # when the agent answered
    received_at: Mapped[str] = mapped_column(String(32))  # when the server got it
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the run whose place was surveyed
    item_ids: Mapped[Any] = mapped_column(JSON, nullable=True)  # {"items": [...], "reopened": [...]}


def survey_places(engine: Engine, dataset: str) -> list[SurveyPlace]:
    """Return the places of the dataset's latest successful run: each city record with the OSM place it
    was matched to, then the OSM places matched to none (places without a position left out)."""
    with Session(engine) as session:
        latest = _latest_run(session, dataset)
        if latest is None:
            return []
        dataset_run_id, run_id = latest
        osm = {row.osm_key: row for row in session.scalars(
            select(OsmSnapshotRow).where(OsmSnapshotRow.dataset_run_id == dataset_run_id))}
        places, linked = [], set()
        for row in session.scalars(select(CitySnapshotRow).where(CitySnapshotRow.dataset_run_id == dataset_run_id)
                                   .order_by(CitySnapshotRow.source_id)):
            match = osm.get(row.osm_key) if row.osm_key else None
            if match is not None:
                linked.add(match.osm_key)
            city_position = _position(row.geometry_wkt)
            osm_position = (match.lon, match.lat) if match is not None else None
            where = city_position or osm_position
            if where is None:
                continue
            tags = {str(k): str(v) for k, v in (row.tags or {}).items()}
            osm_tags = dict(match.tags) if match is not None else {}
            places.append(SurveyPlace(
                dataset=dataset, source_id=row.source_id, osm_key=match.osm_key if match is not None else None,
                name=tags.get("name") or osm_tags.get("name"), category=_kind(tags) or _kind(osm_tags),
                address=address_from_tags(tags) or address_from_fields(row.fields or {}) or address_from_tags(osm_tags),
                lon=where[0], lat=where[1], city_tags=tags, city_fields=dict(row.fields or {}),
                city_position=city_position, osm_tags=osm_tags, osm_version=match.version if match else None,
                osm_position=osm_position, run_id=run_id))
        for key in sorted(set(osm) - linked):
            alone = osm[key]
            places.append(SurveyPlace(
                dataset=dataset, source_id=None, osm_key=key, name=alone.tags.get("name"), category=_kind(alone.tags),
                address=address_from_tags(alone.tags), lon=alone.lon, lat=alone.lat, osm_tags=dict(alone.tags),
                osm_version=alone.version, osm_position=(alone.lon, alone.lat), run_id=run_id))
        return places


def record_answer(engine: Engine, answer: SurveyAnswer, place: SurveyPlace, city_columns: CityColumns,
                  now: str) -> RecordedAnswer:
    """Record a checked answer about `place` once: its survey items, their audit entries, the place's
    items waiting for a survey reopened, all in one transaction.

    An answer id already recorded returns that answer (`duplicate` True) and writes nothing;
    SurveyError when another person recorded that id, or the dataset has no run yet.
    """
    try:
        with Session(engine) as session, session.begin():
            found = _answer_row(session, answer.answer_id)
            if found is not None:
                return _duplicate(found, answer)
            latest = _latest_run(session, answer.dataset)
            if latest is None:
                raise SurveyError(f"dataset {answer.dataset!r} has not run yet: there is no place to survey")
            dataset_run_id, run_id = latest
            outcome = survey_differences(answer, place, city_columns)
            details = {"answer_id": answer.answer_id, "answer": answer.answer, "observed_at": answer.observed_at}
            for difference in outcome.differences:
                _add_item(session, difference, dataset_run_id, run_id, answer, now, details, outcome.agrees)
            reopened = [item.id for item in decide_in(session, _waiting_for_survey(session, place),
                                                      Reopen(reason=answer.comment), author=answer.author, now=now,
                                                      details=details)]
            items = [difference.id for difference in outcome.differences]
            session.add(SurveyAnswerRow(
                answer_id=answer.answer_id, dataset=answer.dataset, source_id=answer.source_id,
                osm_key=answer.osm_key, answer=answer.answer, field=answer.field, value=answer.value,
                lat=answer.lat, lon=answer.lon, comment=answer.comment, author=answer.author,
                observed_at=answer.observed_at, received_at=now, run_id=run_id,
                item_ids={"items": items, "reopened": reopened}))
        return RecordedAnswer(answer, now, tuple(items), tuple(reopened))
    except IntegrityError:
        # The same answer arrived twice at once (a retry racing the first post): the first one won.
        with Session(engine) as session:
            found = _answer_row(session, answer.answer_id)
            if found is None:
                raise
            return _duplicate(found, answer)


def survey_answers(engine: Engine, dataset: str | None = None, since: str | None = None,
                   author: str | None = None) -> list[RecordedAnswer]:
    """Return recorded answers, newest first: of a dataset, observed at or after `since`, by one agent."""
    query = select(SurveyAnswerRow).order_by(SurveyAnswerRow.observed_at.desc(), SurveyAnswerRow.id.desc())
    if dataset is not None:
        query = query.where(SurveyAnswerRow.dataset == dataset)
    if since is not None:
        query = query.where(SurveyAnswerRow.observed_at >= since)
    if author is not None:
        query = query.where(SurveyAnswerRow.author == author)
    with Session(engine) as session:
        return [_recorded(row) for row in session.scalars(query)]


def _add_item(session: Session, difference: Difference, dataset_run_id: int, run_id: int, answer: SurveyAnswer,
              now: str, details: dict[str, Any], agrees: bool) -> None:
    """Write one survey item: its difference, the item (open, or resolved when both sides agree), its audit."""
    row = DifferenceRow(**difference_row(difference, dataset_run_id))
    session.add(row)
    session.flush()
    direction = difference.proposal if difference.proposal in ("to_osm", "to_city") else None
    item = ReviewItemRow(dataset=difference.dataset, diff_id=difference.id, slot=slot_key(difference),
                         difference_row_id=row.id, present=True, first_run_id=run_id, last_run_id=run_id,
                         revision=1, state="open", reason="", author="", decided_at="", push_ref="")
    session.add(item)
    event = dict(dataset=difference.dataset, diff_id=difference.id, at=now, city_value=difference.city_value,
                 osm_value=difference.osm_value, run_id=run_id)
    session.add(ReviewEventRow(**event, author=answer.author, action="surveyed", old_state=None, new_state="open",
                               direction=direction, value=difference.survey_value, reason=answer.comment,
                               details=details))
    if agrees:
        item.state, item.reason, item.author, item.decided_at, item.revision = (
            "resolved", SURVEY_AGREES, SYSTEM_AUTHOR, now, 2)
        session.add(ReviewEventRow(**event, author=SYSTEM_AUTHOR, action="resolved", old_state="open",
                                   new_state="resolved", reason=SURVEY_AGREES, details={}))
    session.flush()


def _waiting_for_survey(session: Session, place: SurveyPlace) -> list[str]:
    """The ids of the place's items (from runs) that a reviewer sent for a survey."""
    same_place = []
    if place.source_id is not None:
        same_place.append(DifferenceRow.source_id == place.source_id)
    if place.osm_key is not None:
        same_place.append(DifferenceRow.osm_key == place.osm_key)
    query = (select(ReviewItemRow.diff_id).join(DifferenceRow, DifferenceRow.id == ReviewItemRow.difference_row_id)
             .where(ReviewItemRow.dataset == place.dataset, ReviewItemRow.present.is_(True),
                    ReviewItemRow.state == "needs_survey", DifferenceRow.kind.not_in(SURVEY_KINDS), or_(*same_place))
             .order_by(ReviewItemRow.diff_id))
    return list(session.scalars(query))


def _latest_run(session: Session, dataset: str) -> tuple[int, int] | None:
    """(dataset run id, run id) of the dataset's latest successful run, or None."""
    found = session.execute(select(DatasetRunRow.id, DatasetRunRow.run_id).where(
        DatasetRunRow.dataset == dataset, DatasetRunRow.status == "ok").order_by(DatasetRunRow.id.desc())
        .limit(1)).first()
    return None if found is None else (int(found[0]), int(found[1]))


def _answer_row(session: Session, answer_id: str) -> SurveyAnswerRow | None:
    return session.scalars(select(SurveyAnswerRow).where(SurveyAnswerRow.answer_id == answer_id)).first()


def _duplicate(row: SurveyAnswerRow, answer: SurveyAnswer) -> RecordedAnswer:
    if row.author != answer.author:
        raise SurveyError(f"answer {answer.answer_id} was recorded by someone else; reload the survey page "
                          "(it makes new answer ids)")
    recorded = _recorded(row)
    return RecordedAnswer(recorded.answer, recorded.received_at, recorded.item_ids, recorded.reopened, duplicate=True)


def _recorded(row: SurveyAnswerRow) -> RecordedAnswer:
    ids = row.item_ids or {}
    answer = SurveyAnswer(answer_id=row.answer_id, dataset=row.dataset, source_id=row.source_id, osm_key=row.osm_key,
                          answer=row.answer, author=row.author, observed_at=row.observed_at,  # type: ignore[arg-type]
                          field=row.field, value=row.value, lat=row.lat, lon=row.lon, comment=row.comment)
    return RecordedAnswer(answer, row.received_at, tuple(ids.get("items", ())), tuple(ids.get("reopened", ())))


def _kind(tags: dict[str, str] | Any) -> str:
    """The place's kind as its main tag ("amenity=library"), or ""."""
    key = next((k for k in _KIND_KEYS if tags.get(k)), None)
    return f"{key}={tags[key]}" if key else ""


def _position(text: str) -> tuple[float, float] | None:
    """(lon, lat) of a stored geometry's display point, or None when it cannot be read."""
    try:
        geometry = wkt.loads(text)
    except (ShapelyError, ValueError):
        return None
    if geometry.is_empty:
        return None
    point = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return float(point.x), float(point.y)
