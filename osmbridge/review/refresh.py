"""After each run: which review items open, stay, go stale, come back or close.

Items are keyed by the stable difference id, so an unchanged difference keeps its decision run
after run. A changed value gives a new id; it is tied to the decided item it replaces by its
slot (same place, same field), and opens stale, carrying the old decision to show beside the new
values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from osmbridge.model import Decision, Difference
from osmbridge.review.items import DECIDED_STATES
from osmbridge.review.transitions import SYSTEM_AUTHOR

_FIELD_KINDS = frozenset({"differs", "minor", "only_city", "only_osm"})
# Reasons of the changes a run makes, as codes: the CLI and the web app render them in the reader's
# language (osmbridge.i18n, "reason.<code>"); the audit entry's details name the other item.
VALUES_CHANGED = "values_changed"  # stale: a decided item's values changed (details: replaces)
REAPPEARED = "reappeared"  # stale: a resolved item with a decision is reported again
VERDICT_UNSETTLED = "verdict_unsettled"  # stale: the run after a match verdict still reports the item
GONE = "gone"  # resolved: both sides agree now, or the place left the dataset
REPLACED = "replaced"  # resolved: its values changed; the item replacing it is in details.replaced_by
SURVEY_AGREES = "survey_agrees"  # resolved: a field agent's answer no side needs (kept on record)
# open again: the OSM note a needs-survey item was published as (or linked to) was resolved, or hidden.
NOTE_CLOSED = "osm_note_closed"
NOTE_HIDDEN = "osm_note_hidden"
SYSTEM_REASONS = frozenset({VALUES_CHANGED, REAPPEARED, VERDICT_UNSETTLED, GONE, REPLACED, SURVEY_AGREES, NOTE_CLOSED,
                            NOTE_HIDDEN})


def slot_key(difference: Difference) -> str:
    """Return what a difference is about, whatever the values: the place(s) and the field (16 hex chars).

    The four field kinds share a slot per field (a value removed on one side turns "differs" into
    "only_osm"); place-level kinds have one slot per kind, except `osm_note` (one per note) and
    producers who disagree (one per field).
    """
    family = "field" if difference.kind in _FIELD_KINDS else difference.kind
    # An osm_note's field names its note ("note:123"): two notes next to one place are two slots.
    per_field = family in ("field", "osm_note", "producers_disagree")
    parts = (difference.source_id, difference.osm_key, difference.field if per_field else None, family)
    # Unit separator between parts, NUL for "none": no id or tag key holds either.
    text = "\x1f".join("\x00" if part is None else part for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class KnownItem:
    """An item already in the store, as much of it as the refresh needs."""

    id: str
    slot: str
    decision: Decision
    previous: Decision | None  # the decision a stale or resolved item keeps
    present: bool  # reported by the dataset's previous run
    decided_run_id: int | None = None  # the newest run started when its decision was made


@dataclass(frozen=True, slots=True)
class Change:
    """One item's new state after a run, for the store to write with an audit entry."""

    difference: Difference | None  # None for a resolved item (its last difference stays)
    item_id: str
    action: str  # opened, seen, stale, resolved, reappeared
    decision: Decision
    previous: Decision | None = None
    old: Decision | None = None  # the item's decision before this run (None for a new item)
    replaces: str | None = None  # stale: the item whose decision it carries; resolved: the item replacing it


@dataclass(slots=True)
class RefreshPlan:
    """Everything a run changes in a dataset's review items."""

    changes: list[Change] = field(default_factory=list)

    def by_action(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]


def plan_refresh(known: Sequence[KnownItem], differences: Sequence[Difference], *, run_id: int,
                 now: str) -> RefreshPlan:
    """Return how the differences of a new run change the known items of its dataset.

    - a new id opens an item, stale when a decided item of the same slot vanished in this run;
    - a known present id stays as it is ("seen"), except a match verdict that did not settle it:
      a run started after the verdict still reports it, so it goes stale;
    - a resolved id that comes back reopens (stale when it had a decision);
    - a present id not reported any more is resolved, keeping its decision to show.
    """
    plan = RefreshPlan()
    by_id = {item.id: item for item in known}
    reported = {d.id for d in differences}
    vanished_by_slot: dict[str, KnownItem] = {}
    for item in known:
        if item.present and item.id not in reported and _kept_decision(item) is not None:
            held: KnownItem | None = vanished_by_slot.get(item.slot)
            # Two decided items vanishing from one slot: the newer decision is the one to show.
            if held is None or item.decision.decided_at > held.decision.decided_at:
                vanished_by_slot[item.slot] = item
    superseded: dict[str, str] = {}
    for difference in differences:
        found = by_id.get(difference.id)
        if found is None:
            old = vanished_by_slot.pop(slot_key(difference), None)
            if old is None:
                plan.changes.append(Change(difference, difference.id, "opened", _open(difference)))
                continue
            plan.changes.append(Change(difference, difference.id, "stale", _stale(difference, VALUES_CHANGED, now),
                                       previous=_kept_decision(old), replaces=old.id))
            superseded[old.id] = difference.id
        elif not found.present:
            kept = _kept_decision(found)
            decision = _open(difference) if kept is None else _stale(difference, REAPPEARED, now)
            plan.changes.append(Change(difference, found.id, "reappeared", decision, previous=kept,
                                       old=found.decision))
        elif (found.decision.state == "match_decided" and found.decided_run_id is not None
              and run_id > found.decided_run_id):
            plan.changes.append(Change(difference, found.id, "stale", _stale(difference, VERDICT_UNSETTLED, now),
                                       previous=found.decision, old=found.decision))
        else:
            plan.changes.append(Change(difference, found.id, "seen", found.decision, previous=found.previous,
                                       old=found.decision))
    for item in known:
        if item.present and item.id not in reported:
            replaced_by = superseded.get(item.id)
            resolved = Decision(difference_id=item.id, dataset=item.decision.dataset, state="resolved",
                                reason=REPLACED if replaced_by else GONE, author=SYSTEM_AUTHOR, decided_at=now)
            plan.changes.append(Change(None, item.id, "resolved", resolved, previous=_kept_decision(item),
                                       old=item.decision, replaces=replaced_by))
    return plan


def _kept_decision(item: KnownItem) -> Decision | None:
    """Return the decision worth keeping with an item that goes away or comes back."""
    if item.decision.state in DECIDED_STATES:
        return item.decision
    if item.decision.state in ("stale", "resolved"):
        return item.previous
    return None


def _open(difference: Difference) -> Decision:
    return Decision(difference_id=difference.id, dataset=difference.dataset, state="open")


def _stale(difference: Difference, why: str, now: str) -> Decision:
    return Decision(difference_id=difference.id, dataset=difference.dataset, state="stale", reason=why,
                    author=SYSTEM_AUTHOR, decided_at=now, seen_city_value=difference.city_value,
                    seen_osm_value=difference.osm_value, seen_osm_version=difference.osm_version)
