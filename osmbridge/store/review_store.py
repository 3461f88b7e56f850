"""The review half of the store: items, decisions, the audit log, and what the push stage reads and marks.

Every operation is one transaction: the item's new decision, the match decisions it implies and
its audit entry are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import Table, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from osmbridge.model import SURVEY_KINDS, Decision, Difference, Direction, MatchDecision
from osmbridge.review.actions import ReviewAction
from osmbridge.review.errors import ItemNotFound, RevisionConflict
from osmbridge.review.items import AuditEntry, ItemFilter, ReviewItem
from osmbridge.review.refresh import Change, KnownItem, plan_refresh, slot_key
from osmbridge.review.transitions import SYSTEM_AUTHOR, Outcome, apply_action, mark_pushed, mark_stale
from osmbridge.store.match_decisions import latest_fingerprints, save_match_decision
from osmbridge.store.review_rows import (decision_columns, decision_json, decision_of, entry_of, item_of,
                                        previous_of)
from osmbridge.store.tables import DifferenceRow, ReviewEventRow, ReviewItemRow, RunRow

PUSH_AUTHOR = "osmbridge-push"
CountBy = Literal["state", "kind", "category", "proposal", "changed_side", "field"]
_CHUNK = 500  # ids per IN (...) list: SQLite caps the number of bound parameters


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReviewStore:
    """Review operations of `Store` (a mixin: `Store` provides the engine)."""

    engine: Engine

    # --- reading -------------------------------------------------------------------------------

    def review_item(self, item_id: str) -> ReviewItem:
        """Return one item by its id (the difference id); ItemNotFound when there is none."""
        with Session(self.engine) as session:
            found = session.execute(_items_query().where(ReviewItemRow.diff_id == item_id)).first()
            if found is None:
                raise ItemNotFound(item_id)
            return item_of(found[0], found[1])

    def review_items(self, where: ItemFilter | None = None, *, limit: int | None = None,
                     offset: int = 0) -> list[ReviewItem]:
        """Return the items matching `where`, ordered by category, name, place, field and id (stable for paging)."""
        query = _filtered(_items_query(), where or ItemFilter()).order_by(
            DifferenceRow.category, DifferenceRow.name, DifferenceRow.source_id, DifferenceRow.osm_key,
            DifferenceRow.field, ReviewItemRow.diff_id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with Session(self.engine) as session:
            return [item_of(item, difference) for item, difference in session.execute(query)]

    def count_review_items(self, where: ItemFilter | None = None) -> int:
        """Return how many items match `where`."""
        query = _filtered(select(func.count()).select_from(ReviewItemRow).join(
            DifferenceRow, DifferenceRow.id == ReviewItemRow.difference_row_id), where or ItemFilter())
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def review_counts(self, where: ItemFilter | None = None, by: CountBy = "state") -> dict[str, int]:
        """Return how many items matching `where` there are per state (or kind, category, proposal...)."""
        column = ReviewItemRow.state if by == "state" else getattr(DifferenceRow, by)
        query = _filtered(select(column, func.count()).select_from(ReviewItemRow).join(
            DifferenceRow, DifferenceRow.id == ReviewItemRow.difference_row_id), where or ItemFilter()).group_by(column)
        with Session(self.engine) as session:
            return {str(key if key is not None else ""): int(count) for key, count in session.execute(query)}

    def review_history(self, item_id: str) -> list[AuditEntry]:
        """Return the audit entries of one item, oldest first, including those of the item it replaced."""
        entries: list[AuditEntry] = []
        seen: set[str] = set()
        with Session(self.engine) as session:
            # A stale item carries the decision of the item it replaced: show that item's story first.
            while item_id not in seen:
                seen.add(item_id)
                rows = session.scalars(select(ReviewEventRow).where(ReviewEventRow.diff_id == item_id)
                                       .order_by(ReviewEventRow.id)).all()
                entries[:0] = [entry_of(row) for row in rows]
                replaced = [row.details["replaces"] for row in rows if row.details and "replaces" in row.details]
                if not replaced:
                    break
                item_id = replaced[-1]
        return entries

    def audit_log(self, *, dataset: str | None = None, author: str | None = None, since: str | None = None,
                  limit: int | None = None) -> list[AuditEntry]:
        """Return audit entries, newest first: of one dataset, by one author, at or after `since` (ISO 8601)."""
        query = select(ReviewEventRow).order_by(ReviewEventRow.id.desc())
        if dataset is not None:
            query = query.where(ReviewEventRow.dataset == dataset)
        if author is not None:
            query = query.where(ReviewEventRow.author == author)
        if since is not None:
            query = query.where(ReviewEventRow.at >= since)
        if limit is not None:
            query = query.limit(limit)
        with Session(self.engine) as session:
            return [entry_of(row) for row in session.scalars(query)]

    # --- deciding ------------------------------------------------------------------------------

    def decide(self, item_id: str, action: ReviewAction, *, author: str, now: str | None = None,
               if_revision: int | None = None) -> ReviewItem:
        """Apply a reviewer's action to one item and log it; return the item as it is now.

        `if_revision` is the revision the caller showed: a different one means someone decided in
        between (RevisionConflict, nothing written). Match actions also write the matcher's sticky
        decisions, with the fingerprints of the latest run. Raises ItemNotFound, InvalidTransition,
        InvalidDecision, RevisionConflict, StoreError (the latest run lacks a place a verdict names).
        """
        return self.decide_many([item_id], action, author=author, now=now,
                                if_revisions=None if if_revision is None else {item_id: if_revision})[0]

    def decide_many(self, item_ids: Sequence[str], action: ReviewAction, *, author: str, now: str | None = None,
                    if_revisions: dict[str, int] | None = None) -> list[ReviewItem]:
        """Apply the same action to several items in one transaction (all or none); return them in order."""
        with Session(self.engine) as session, session.begin():
            return decide_in(session, item_ids, action, author=author, now=now or _now(), if_revisions=if_revisions)

    # --- the push stage ------------------------------------------------------------------------

    def accepted_items(self, dataset: str, direction: Direction) -> list[tuple[Difference, Decision]]:
        """Return the accepted and edited items of a dataset's latest run going `direction`, not pushed yet.

        Pairs of (the difference as the latest run reported it, the decision to carry out), ordered
        by place so that one object's fields come together. The decision's `value` is what to write;
        its `seen_*` values are what the reviewer saw (the latest run still reports the same values:
        otherwise the item would be stale, not accepted).
        """
        query = (_items_query().where(ReviewItemRow.dataset == dataset, ReviewItemRow.present.is_(True),
                                      ReviewItemRow.state.in_(("accepted", "edited")),
                                      ReviewItemRow.direction == direction)
                 .order_by(DifferenceRow.source_id, DifferenceRow.osm_key, DifferenceRow.field, ReviewItemRow.diff_id))
        with Session(self.engine) as session:
            return [(item.difference, item.decision)
                    for item in (item_of(row, difference) for row, difference in session.execute(query))]

    def mark_pushed(self, item_ids: Iterable[str], ref: str, *, author: str = PUSH_AUTHOR,
                    now: str | None = None) -> list[ReviewItem]:
        """Record that the push stage wrote these items (one transaction); `ref` names where.

        `ref` is the OSM changeset ("osm:changeset/123456") or the city change-log reference. A
        pushed item is never returned by `accepted_items` again. InvalidTransition when an item is
        not accepted or edited (nothing is marked then).
        """
        now = now or _now()
        with Session(self.engine) as session, session.begin():
            done = []
            for _, (row, difference) in _locked_items(session, list(item_ids)):
                current = item_of(row, difference)
                outcome = mark_pushed(current.decision, ref, author=author, now=now)
                _save(session, row, outcome, "pushed", current, now, {"ref": ref.strip()}, author=author)
                done.append(item_of(row, difference))
            return done

    def mark_stale(self, item_id: str, reason: str, *, author: str = PUSH_AUTHOR,
                   now: str | None = None) -> ReviewItem:
        """Record that the push stage found the target changed since the decision: the item goes back to review.

        The accepted decision is kept as the stale item's `previous`; `reason` says what changed
        ("OSM n123 is at version 8, the reviewer saw 7").
        """
        now = now or _now()
        with Session(self.engine) as session, session.begin():
            row, difference = _locked_item(session, item_id)
            current = item_of(row, difference)
            outcome = mark_stale(current.decision, reason, author=author, now=now)
            _save(session, row, outcome, "push_stale", current, now, {}, author=author)
            return item_of(row, difference)


def decide_in(session: Session, item_ids: Sequence[str], action: ReviewAction, *, author: str, now: str,
              if_revisions: dict[str, int] | None = None, details: dict[str, Any] | None = None) -> list[ReviewItem]:
    """Apply one action to items inside the caller's transaction (with its audit entries); return them in order.

    `details` go into each audit entry (a field survey names the answer that reopened an item).
    """
    newest_run = session.scalar(select(func.max(RunRow.id)))
    done = []
    for item_id, (row, difference) in _locked_items(session, item_ids):
        expected = (if_revisions or {}).get(item_id)
        if expected is not None and expected != row.revision:
            raise RevisionConflict(item_id, expected, row.revision)
        current = item_of(row, difference)
        outcome = apply_action(current.decision, current.difference, action, author=author, now=now,
                               previous=current.previous)
        written = _write_verdicts(session, current.difference, outcome, author, now)
        entry: dict[str, Any] = {"verdicts": written} if written else {}
        _save(session, row, outcome, action.name, current, now, entry | (details or {}), decided_run_id=newest_run)
        done.append(item_of(row, difference))
    return done


# --- helpers used by Store.record_dataset --------------------------------------------------------


def refresh_review_items(session: Session, dataset: str, run_id: int, now: str,
                         reported: Sequence[tuple[Difference, int]]) -> None:
    """Bring a dataset's review items up to date with a run's differences (with their `differences` row ids)."""
    row_of = {difference.id: row_id for difference, row_id in reported}
    # A field agent's items (survey_* kinds) come from no run: a run neither resolves nor reopens them.
    from_runs = (select(ReviewItemRow).join(DifferenceRow, DifferenceRow.id == ReviewItemRow.difference_row_id)
                 .where(ReviewItemRow.dataset == dataset, DifferenceRow.kind.not_in(SURVEY_KINDS)))
    rows = {row.diff_id: row for row in session.scalars(from_runs.where(ReviewItemRow.present.is_(True)))}
    # Resolved items reported again: their ids first (one column), then only those rows.
    resolved = set(session.scalars(from_runs.where(ReviewItemRow.present.is_(False))
                                   .with_only_columns(ReviewItemRow.diff_id)))
    absent = [d.id for d, _ in reported if d.id not in rows and d.id in resolved]
    for start in range(0, len(absent), _CHUNK):
        rows.update((row.diff_id, row) for row in session.scalars(select(ReviewItemRow).where(
            ReviewItemRow.diff_id.in_(absent[start:start + _CHUNK]))))
    known = [KnownItem(id=row.diff_id, slot=row.slot, decision=decision_of(row), previous=previous_of(row),
                       present=row.present, decided_run_id=row.decided_run_id) for row in rows.values()]
    plan = plan_refresh(known, [d for d, _ in reported], run_id=run_id, now=now)
    new_items, updates, events = [], [], []
    for change in plan.changes:
        row = rows.get(change.item_id)
        columns = decision_columns(change.decision) | {"previous": decision_json(change.previous)}
        if change.difference is not None:
            columns |= {"difference_row_id": row_of[change.item_id], "last_run_id": run_id, "present": True}
        if row is None:
            assert change.difference is not None  # a new item always comes with its difference
            new_items.append(columns | {"dataset": dataset, "diff_id": change.item_id, "revision": 1,
                                        "slot": slot_key(change.difference), "first_run_id": run_id})
        else:
            if change.action == "resolved":
                columns["present"] = False
            if change.action != "seen":
                columns["revision"] = row.revision + 1
            updates.append(columns | {"id": row.id})
        if change.action != "seen":
            events.append(_refresh_event(dataset, change, run_id, now))
    # Core executemany: the ORM's bulk path costs more than the database for 100k rows.
    connection = session.connection()
    if new_items:
        connection.execute(insert(ReviewItemRow), new_items)
    # Grouped by the columns they set: one executemany per shape.
    table = cast(Table, ReviewItemRow.__table__)
    for shape in {tuple(sorted(u)) for u in updates}:
        names = [name for name in shape if name != "id"]
        statement = (update(table).where(table.c.id == bindparam("row_id"))
                     .values({name: bindparam(f"new_{name}") for name in names}))
        connection.execute(statement, [{"row_id": u["id"], **{f"new_{name}": u[name] for name in names}}
                                       for u in updates if tuple(sorted(u)) == shape])
    if events:
        connection.execute(insert(ReviewEventRow), events)


def _refresh_event(dataset: str, change: Change, run_id: int, now: str) -> dict[str, Any]:
    difference = change.difference
    previous = change.previous
    details: dict[str, Any] = {}
    if change.replaces:
        details["replaced_by" if change.action == "resolved" else "replaces"] = change.replaces
    return dict(dataset=dataset, diff_id=change.item_id, at=now, author=SYSTEM_AUTHOR, action=change.action,
                old_state=change.old.state if change.old else None, new_state=change.decision.state,
                direction=previous.direction if previous else None, value=previous.value if previous else None,
                reason=change.decision.reason,
                city_value=difference.city_value if difference else None,
                osm_value=difference.osm_value if difference else None,
                old_city_value=previous.seen_city_value if previous and change.action != "resolved" else None,
                old_osm_value=previous.seen_osm_value if previous and change.action != "resolved" else None,
                run_id=run_id, details=details)


def _items_query() -> Any:
    return select(ReviewItemRow, DifferenceRow).join(DifferenceRow, DifferenceRow.id == ReviewItemRow.difference_row_id)


def _locked_items(session: Session, item_ids: Sequence[str]) -> list[tuple[str, tuple[ReviewItemRow, DifferenceRow]]]:
    """Return the items (each id once, in the order given), locked like `_locked_item`; ItemNotFound for any missing."""
    ids = list(dict.fromkeys(item_ids))
    found: dict[str, tuple[ReviewItemRow, DifferenceRow]] = {}
    for start in range(0, len(ids), _CHUNK):
        query = _items_query().where(ReviewItemRow.diff_id.in_(ids[start:start + _CHUNK])).with_for_update()
        found.update((row.diff_id, (row, difference)) for row, difference in session.execute(query))
    missing = [item_id for item_id in ids if item_id not in found]
    if missing:
        raise ItemNotFound(missing[0])
    return [(item_id, found[item_id]) for item_id in ids]


def _locked_item(session: Session, item_id: str) -> tuple[ReviewItemRow, DifferenceRow]:
    # FOR UPDATE on PostgreSQL: two reviewers deciding the same item take turns (SQLite locks the file).
    found = session.execute(_items_query().where(ReviewItemRow.diff_id == item_id).with_for_update()).first()
    if found is None:
        raise ItemNotFound(item_id)
    return found[0], found[1]


def _write_verdicts(session: Session, difference: Difference, outcome: Outcome, author: str,
                    now: str) -> list[dict[str, Any]]:
    """Save the match decisions an outcome implies; return them as audit details."""
    written = []
    for verdict in outcome.verdicts:
        city_print, osm_print = latest_fingerprints(session, difference.dataset, verdict.source_id, verdict.osm_key)
        save_match_decision(session, MatchDecision(
            dataset=difference.dataset, source_id=verdict.source_id, verdict=verdict.verdict,
            osm_key=verdict.osm_key, city_fingerprint=city_print, osm_fingerprint=osm_print, author=author,
            decided_at=now))
        written.append({"source_id": verdict.source_id, "verdict": verdict.verdict, "osm_key": verdict.osm_key})
    return written


def _save(session: Session, row: ReviewItemRow, outcome: Outcome, action: str, before: ReviewItem, now: str,
          details: dict[str, Any], *, author: str | None = None, decided_run_id: int | None = None) -> None:
    """Write an item's new decision and its audit entry."""
    decision = outcome.decision
    for name, value in decision_columns(decision).items():
        setattr(row, name, value)
    row.previous = decision_json(outcome.previous)
    row.revision += 1
    if decision.state == "match_decided" and decision is not before.decision:
        row.decided_run_id = decided_run_id
    difference = before.difference
    old_values = outcome.previous if outcome.previous is not None and decision.state == "stale" else None
    session.add(ReviewEventRow(
        dataset=row.dataset, diff_id=row.diff_id, at=now, author=author or decision.author, action=action,
        old_state=before.decision.state, new_state=decision.state, direction=decision.direction,
        value=decision.value, reason=decision.reason, city_value=difference.city_value,
        osm_value=difference.osm_value,
        old_city_value=old_values.seen_city_value if old_values else None,
        old_osm_value=old_values.seen_osm_value if old_values else None, details=details))


def _filtered(query: Any, where: ItemFilter) -> Any:
    """Return `query` (joining review_items and differences) restricted to `where`."""
    conditions: list[ColumnElement[bool]] = []
    if where.dataset is not None:
        conditions.append(ReviewItemRow.dataset == where.dataset)
    if where.present is not None:
        conditions.append(ReviewItemRow.present.is_(where.present))
    if where.states:
        conditions.append(ReviewItemRow.state.in_(where.states))
    if where.kinds:
        conditions.append(DifferenceRow.kind.in_(where.kinds))
    if where.categories:
        conditions.append(DifferenceRow.category.in_(where.categories))
    if where.proposals:
        conditions.append(DifferenceRow.proposal.in_(where.proposals))
    if where.changed_sides:
        conditions.append(DifferenceRow.changed_side.in_(where.changed_sides))
    if where.directions:
        conditions.append(or_(ReviewItemRow.direction.in_(where.directions),
                              and_(ReviewItemRow.direction.is_(None), DifferenceRow.proposal.in_(where.directions))))
    for column, value in ((DifferenceRow.source_id, where.source_id), (DifferenceRow.osm_key, where.osm_key),
                          (DifferenceRow.field, where.field)):
        if value is not None:
            conditions.append(column == value)
    if where.producer is not None:  # routed to it: it holds the field, or disagrees with the holder
        name = where.producer.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(DifferenceRow.producers.like(f"% {name} %", escape="\\"))
    if where.text:
        pattern = "%" + where.text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            DifferenceRow.name, DifferenceRow.city_value, DifferenceRow.osm_value, ReviewItemRow.diff_id,
            DifferenceRow.source_id, DifferenceRow.osm_key))))
    if where.bbox is not None:
        west, south, east, north = where.bbox
        conditions += [DifferenceRow.lon >= west, DifferenceRow.lon <= east, DifferenceRow.lat >= south,
                       DifferenceRow.lat <= north]
    return query.where(*conditions) if conditions else query
