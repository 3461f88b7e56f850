"""The push journal: each changeset attempt is written before anything is sent, and its result after.

Every method commits its own transaction, so what the journal says survives a crash at the next
step. After a restart the push stage reconciles the entries left unfinished (planned, open, sent,
applied) by reading their changeset back from the API, so that nothing is uploaded twice and
nothing accepted is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from osmbridge.store.tables import PushJournalRow

JournalState = Literal["planned", "open", "sent", "applied", "done", "abandoned", "rejected"]
UNFINISHED: tuple[JournalState, ...] = ("planned", "open", "sent", "applied")
CARRIED_OUT: tuple[JournalState, ...] = ("applied", "done")


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One changeset attempt as the journal holds it."""

    id: int
    dataset: str
    state: JournalState
    changeset_id: int | None
    changes: tuple[Mapping[str, Any], ...]
    changeset_tags: Mapping[str, str]
    items: tuple[tuple[str, str], ...]  # (difference id, decided_at)
    osc: str
    result: Mapping[str, Any] | None
    message: str
    created_at: str
    updated_at: str

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item for item, _ in self.items)


class PushJournal:
    """The journal table of a store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine  # a Store's engine: the store brings the schema to date (migration 0007)

    def record_planned(self, dataset: str, changes: Sequence[Mapping[str, Any]], changeset_tags: Mapping[str, str],
                       items: Sequence[tuple[str, str]], now: str, *, changeset_id: int | None = None) -> int:
        """Write an attempt before anything is sent; return its id. With `changeset_id` (a changeset reused
        after a refused upload) it starts as "open"."""
        with Session(self.engine) as session, session.begin():
            row = PushJournalRow(dataset=dataset, target="osm", state="planned" if changeset_id is None else "open",
                                 changeset_id=changeset_id, changes=[dict(c) for c in changes],
                                 changeset_tags=dict(changeset_tags), items=[list(i) for i in items], osc="",
                                 result=None, message="", created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return row.id

    def set_open(self, entry_id: int, changeset_id: int, now: str) -> None:
        self._update(entry_id, now, state="open", changeset_id=changeset_id)

    def set_sent(self, entry_id: int, osc: str, now: str) -> None:
        self._update(entry_id, now, state="sent", osc=osc)

    def set_applied(self, entry_id: int, result: Mapping[str, Any], now: str, message: str = "") -> None:
        self._update(entry_id, now, state="applied", result=dict(result), message=message)

    def set_done(self, entry_id: int, now: str) -> None:
        self._update(entry_id, now, state="done")

    def set_abandoned(self, entry_id: int, message: str, now: str) -> None:
        self._update(entry_id, now, state="abandoned", message=message)

    def set_rejected(self, entry_id: int, message: str, now: str) -> None:
        self._update(entry_id, now, state="rejected", message=message)

    def entry(self, entry_id: int) -> JournalEntry:
        with Session(self.engine) as session:
            row = session.get(PushJournalRow, entry_id)
            if row is None:
                raise KeyError(entry_id)
            return _entry(row)

    def entries(self, dataset: str, states: Sequence[str] | None = None) -> list[JournalEntry]:
        """A dataset's attempts, oldest first (only those in `states` when given)."""
        query = select(PushJournalRow).where(PushJournalRow.dataset == dataset, PushJournalRow.target == "osm")
        if states is not None:
            query = query.where(PushJournalRow.state.in_(list(states)))
        with Session(self.engine) as session:
            return [_entry(row) for row in session.scalars(query.order_by(PushJournalRow.id))]

    def unfinished(self, dataset: str) -> list[JournalEntry]:
        return self.entries(dataset, UNFINISHED)

    def carried_out(self, dataset: str) -> set[tuple[str, str]]:
        """(difference id, decided_at) of every item an applied upload carried out."""
        return {item for entry in self.entries(dataset, CARRIED_OUT) for item in entry.items}

    def _update(self, entry_id: int, now: str, **values: Any) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(PushJournalRow, entry_id)
            if row is None:
                raise KeyError(entry_id)
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now


def _entry(row: PushJournalRow) -> JournalEntry:
    return JournalEntry(id=row.id, dataset=row.dataset, state=row.state, changeset_id=row.changeset_id,  # type: ignore[arg-type]
                        changes=tuple(row.changes), changeset_tags=dict(row.changeset_tags),
                        items=tuple((str(a), str(b)) for a, b in row.items), osc=row.osc,
                        result=dict(row.result) if row.result is not None else None, message=row.message,
                        created_at=row.created_at, updated_at=row.updated_at)
