"""The OSM notes half of the store: notes seen near the places, the items following a note, and the loop back.

Every operation is one transaction. Linking a note to an item and its audit entry are written together;
a note found resolved updates the note, reopens the needs-survey items that followed it and logs why,
all at once. The decision of an item never changes here except that reopening.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from osmbridge.model import NoteComment, NoteConcern, NoteLinkOrigin, NoteStatus, OsmNote, PlaceNote
from osmbridge.review.actions import Reopen
from osmbridge.review.errors import ItemNotFound
from osmbridge.review.refresh import NOTE_CLOSED, NOTE_HIDDEN
from osmbridge.review.transitions import SYSTEM_AUTHOR, apply_action
from osmbridge.store.review_rows import decision_columns, decision_json, item_of
from osmbridge.store.tables import DifferenceRow, OsmNoteLinkRow, OsmNoteRow, ReviewEventRow, ReviewItemRow


@dataclass(frozen=True, slots=True)
class NoteLink:
    """A review item following an OSM note."""

    item_id: str
    note_id: int
    origin: NoteLinkOrigin  # created by osmbridge for the item, or an open one found nearby
    author: str
    at: str


@dataclass(frozen=True, slots=True)
class KnownNote:
    """An OSM note as the store last saw it: the note, the place it is next to, the items following it."""

    dataset: str
    note: OsmNote
    checked_at: str
    source_id: str | None = None
    osm_key: str | None = None
    place_name: str | None = None
    distance_m: float | None = None
    concern: NoteConcern | None = None
    keyword: str | None = None
    last_run_id: int | None = None
    links: tuple[NoteLink, ...] = ()


@dataclass(frozen=True, slots=True)
class NoteFollowUp:
    """What a fresh look at a followed note changed: new comments, its status, the items reopened."""

    note_id: int
    new_comments: int
    status_before: NoteStatus
    status_now: NoteStatus
    reopened: tuple[str, ...] = ()


class OsmNotesStore:
    """OSM note operations of `Store` (a mixin: `Store` provides the engine)."""

    engine: Engine

    # --- reading -------------------------------------------------------------------------------

    def osm_notes(self, dataset: str, *, source_id: str | None = None, osm_key: str | None = None,
                  item_id: str | None = None, item_ids: Sequence[str] = ()) -> list[KnownNote]:
        """Return the notes of a dataset next to a place (its city record or OSM object) or followed by items.

        Without any of them, every note of the dataset. Notes next to a place are those the latest run that
        read notes saw (one it no longer saw was resolved long ago, or moved); followed notes always show.
        Open notes first, then newest first.
        """
        followers = [*item_ids, *([item_id] if item_id is not None else [])]
        with Session(self.engine) as session:
            latest = session.scalar(select(func.max(OsmNoteRow.last_run_id)).where(OsmNoteRow.dataset == dataset))
            followed = select(OsmNoteLinkRow.note_id).where(OsmNoteLinkRow.dataset == dataset)
            query = select(OsmNoteRow).where(OsmNoteRow.dataset == dataset, or_(
                OsmNoteRow.last_run_id == latest, OsmNoteRow.note_id.in_(followed)))
            wanted = []
            if source_id is not None:
                wanted.append(OsmNoteRow.source_id == source_id)
            if osm_key is not None:
                wanted.append(OsmNoteRow.osm_key == osm_key)
            if followers:
                wanted.append(OsmNoteRow.note_id.in_(select(OsmNoteLinkRow.note_id).where(
                    OsmNoteLinkRow.dataset == dataset, OsmNoteLinkRow.diff_id.in_(followers))))
            if wanted:
                query = query.where(or_(*wanted))
            rows = session.scalars(query).all()
            notes = [_known(row, _links(session, dataset, row.note_id)) for row in rows]
        notes.sort(key=lambda k: (k.note.created_at, k.note.id), reverse=True)
        return sorted(notes, key=lambda k: k.note.status != "open")  # stable: newest first within each

    def followed_notes(self, dataset: str | None = None, *, status: NoteStatus | None = "open") -> list[KnownNote]:
        """Return the notes review items follow (of one dataset, or all), in the given status (None: any)."""
        with Session(self.engine) as session:
            linked = select(OsmNoteLinkRow.dataset, OsmNoteLinkRow.note_id).distinct()
            if dataset is not None:
                linked = linked.where(OsmNoteLinkRow.dataset == dataset)
            found = []
            for link_dataset, note_id in session.execute(linked).all():
                row = _note_row(session, link_dataset, note_id)
                if row is not None and (status is None or row.status == status):
                    found.append(_known(row, _links(session, link_dataset, note_id)))
        return sorted(found, key=lambda k: (k.dataset, k.note.id))

    def note_links(self, item_id: str) -> list[NoteLink]:
        """Return the notes an item follows, oldest link first."""
        with Session(self.engine) as session:
            rows = session.scalars(select(OsmNoteLinkRow).where(OsmNoteLinkRow.diff_id == item_id)
                                   .order_by(OsmNoteLinkRow.id)).all()
            return [_link(row) for row in rows]

    def own_note_ids(self, dataset: str | None = None) -> set[int]:
        """Return the ids of the notes osmbridge opened (of one dataset, or all)."""
        query = select(OsmNoteLinkRow.note_id).where(OsmNoteLinkRow.origin == "created")
        if dataset is not None:
            query = query.where(OsmNoteLinkRow.dataset == dataset)
        with Session(self.engine) as session:
            return set(session.scalars(query))

    def notes_created_since(self, since: str) -> list[str]:
        """Return when osmbridge opened each note at or after `since` (ISO 8601), all datasets, oldest first."""
        with Session(self.engine) as session:
            return list(session.scalars(
                select(func.min(OsmNoteLinkRow.at)).where(OsmNoteLinkRow.origin == "created")
                .group_by(OsmNoteLinkRow.note_id).having(func.min(OsmNoteLinkRow.at) >= since)
                .order_by(func.min(OsmNoteLinkRow.at))))

    # --- writing -------------------------------------------------------------------------------

    def save_place_notes(self, dataset: str, run_id: int, notes: Sequence[PlaceNote], now: str) -> None:
        """Record the notes a run found near the dataset's places (their state, and the place each is next to)."""
        with Session(self.engine) as session, session.begin():
            for place_note in notes:
                row = _note_row(session, dataset, place_note.note.id)
                if row is None:
                    row = OsmNoteRow(dataset=dataset, note_id=place_note.note.id)
                    session.add(row)
                _fill(row, place_note.note, now)
                row.source_id, row.osm_key = place_note.source_id, place_note.osm_key
                row.place_name, row.distance_m = place_note.name, place_note.distance_m
                row.concern, row.keyword, row.last_run_id = place_note.concern, place_note.keyword, run_id

    def link_note(self, item_id: str, note: OsmNote, origin: NoteLinkOrigin, *, author: str, now: str) -> None:
        """Record that an item follows `note` (osmbridge opened it, or found it open nearby), with its audit entry.

        ItemNotFound when there is no such item. Linking an item to a note it already follows does nothing.
        """
        with Session(self.engine) as session, session.begin():
            found = session.execute(select(ReviewItemRow, DifferenceRow).join(
                DifferenceRow, DifferenceRow.id == ReviewItemRow.difference_row_id).where(
                ReviewItemRow.diff_id == item_id).with_for_update()).first()
            if found is None:
                raise ItemNotFound(item_id)
            row, difference = found
            if session.scalar(select(OsmNoteLinkRow.id).where(OsmNoteLinkRow.diff_id == item_id,
                                                              OsmNoteLinkRow.note_id == note.id)) is not None:
                return
            note_row = _note_row(session, row.dataset, note.id)
            if note_row is None:
                note_row = OsmNoteRow(dataset=row.dataset, note_id=note.id, source_id=difference.source_id,
                                      osm_key=difference.osm_key, place_name=difference.name)
                session.add(note_row)
            _fill(note_row, note, now)
            session.add(OsmNoteLinkRow(dataset=row.dataset, diff_id=item_id, note_id=note.id, origin=origin,
                                       author=author, at=now))
            action = "osm_note_published" if origin == "created" else "osm_note_linked"
            session.add(_event(row, difference, now, author, action, row.state,
                               details={"note_id": note.id, "origin": origin}))

    def follow_note(self, dataset: str, note: OsmNote, now: str, *, run_id: int | None = None) -> NoteFollowUp:
        """Record a followed note's fresh state; log its new comments on every item following it.

        A note now closed (or hidden) reopens the present needs-survey items that followed it, with the
        reason and the closing comment in the audit log; a note reopened is logged.
        """
        with Session(self.engine) as session, session.begin():
            row = _note_row(session, dataset, note.id)
            if row is None:
                raise ItemNotFound(f"note {note.id} of {dataset}")
            before_status: NoteStatus = row.status  # type: ignore[assignment]
            known = len(row.comments or [])
            fresh = note.comments[known:] if len(note.comments) >= known else ()
            _fill(row, note, now)
            items = session.execute(select(ReviewItemRow, DifferenceRow).join(
                DifferenceRow, DifferenceRow.id == ReviewItemRow.difference_row_id).join(
                OsmNoteLinkRow, OsmNoteLinkRow.diff_id == ReviewItemRow.diff_id).where(
                OsmNoteLinkRow.dataset == dataset, OsmNoteLinkRow.note_id == note.id)
                .order_by(ReviewItemRow.id).with_for_update()).all()
            reopened = []
            for item_row, difference in items:
                for comment in fresh:
                    if comment.action == "commented":
                        session.add(_event(item_row, difference, now, SYSTEM_AUTHOR, "osm_note_commented",
                                           item_row.state, run_id=run_id, details=_said(note.id, comment)))
                if note.status == before_status:
                    continue
                closing = next((c for c in reversed(note.comments) if c.action in ("closed", "hidden")), None)
                if note.status == "open":
                    session.add(_event(item_row, difference, now, SYSTEM_AUTHOR, "osm_note_reopened",
                                       item_row.state, run_id=run_id, details={"note_id": note.id}))
                    continue
                action = "osm_note_closed" if note.status == "closed" else "osm_note_hidden"
                details = _said(note.id, closing) if closing else {"note_id": note.id}
                if item_row.state == "needs_survey" and item_row.present:
                    reason = NOTE_CLOSED if note.status == "closed" else NOTE_HIDDEN
                    current = item_of(item_row, difference)
                    outcome = apply_action(current.decision, current.difference, Reopen(reason=reason),
                                           author=SYSTEM_AUTHOR, now=now, previous=current.previous)
                    old_state = item_row.state
                    for name, value in decision_columns(outcome.decision).items():
                        setattr(item_row, name, value)
                    item_row.previous = decision_json(outcome.previous)
                    item_row.revision += 1
                    session.add(_event(item_row, difference, now, SYSTEM_AUTHOR, action, old_state, reason=reason,
                                       run_id=run_id, details=details))
                    reopened.append(item_row.diff_id)
                else:
                    session.add(_event(item_row, difference, now, SYSTEM_AUTHOR, action, item_row.state,
                                       run_id=run_id, details=details))
            return NoteFollowUp(note_id=note.id, new_comments=sum(1 for c in fresh if c.action == "commented"),
                                status_before=before_status, status_now=note.status, reopened=tuple(reopened))


def _note_row(session: Session, dataset: str, note_id: int) -> OsmNoteRow | None:
    return session.scalar(select(OsmNoteRow).where(OsmNoteRow.dataset == dataset, OsmNoteRow.note_id == note_id))


def _links(session: Session, dataset: str, note_id: int) -> tuple[NoteLink, ...]:
    rows = session.scalars(select(OsmNoteLinkRow).where(OsmNoteLinkRow.dataset == dataset,
                                                        OsmNoteLinkRow.note_id == note_id)
                           .order_by(OsmNoteLinkRow.id)).all()
    return tuple(_link(row) for row in rows)


def _link(row: OsmNoteLinkRow) -> NoteLink:
    return NoteLink(item_id=row.diff_id, note_id=row.note_id, origin=row.origin,  # type: ignore[arg-type]
                    author=row.author, at=row.at)


def _fill(row: OsmNoteRow, note: OsmNote, now: str) -> None:
    row.lon, row.lat, row.status = note.lon, note.lat, note.status
    row.created_at, row.closed_at, row.text = note.created_at, note.closed_at, note.text
    row.comments = [{"action": c.action, "date": c.date, "user": c.user, "text": c.text} for c in note.comments]
    row.checked_at = now


def _known(row: OsmNoteRow, links: tuple[NoteLink, ...]) -> KnownNote:
    comments = tuple(NoteComment(action=c.get("action", ""), date=c.get("date", ""), user=c.get("user"),
                                 text=c.get("text") or "") for c in row.comments or [])
    note = OsmNote(id=row.note_id, lon=row.lon, lat=row.lat, status=row.status,  # type: ignore[arg-type]
                   created_at=row.created_at, closed_at=row.closed_at, comments=comments)
    return KnownNote(dataset=row.dataset, note=note, checked_at=row.checked_at, source_id=row.source_id,
                     osm_key=row.osm_key, place_name=row.place_name, distance_m=row.distance_m,
                     concern=row.concern, keyword=row.keyword, last_run_id=row.last_run_id,  # type: ignore[arg-type]
                     links=links)


def _said(note_id: int, comment: NoteComment) -> dict[str, Any]:
    return {"note_id": note_id, "by": comment.user, "comment": comment.text, "date": comment.date}


def _event(row: ReviewItemRow, difference: DifferenceRow, now: str, author: str, action: str, old_state: str, *,
           reason: str = "", run_id: int | None = None, details: dict[str, Any] | None = None) -> ReviewEventRow:
    """An audit entry about an item's note; the item's state after it is its current one."""
    return ReviewEventRow(dataset=row.dataset, diff_id=row.diff_id, at=now, author=author, action=action,
                          old_state=old_state, new_state=row.state, direction=row.direction, value=row.value,
                          reason=reason, city_value=difference.city_value, osm_value=difference.osm_value,
                          run_id=run_id, details=details or {})
