"""Deciding from the web: a request's fields become a review action, checked against the user's role,
then handed to the store (which applies the state machine and writes the audit log in one transaction)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from osmbridge.errors import StoreError
from osmbridge.model import Direction
from osmbridge.review import (Accept, Choose, Defer, Edit, InvalidDecision, InvalidTransition, ItemNotFound,
                              NoCounterpart, NotSame, Reject, Reopen, ReviewAction, ReviewError, ReviewItem,
                              RevisionConflict, Same, Survey, allowed_directions)
from osmbridge.store import Store
from osmbridge.store.accounts import User
from osmbridge.web.guard import Problem, reviewer_direction
from osmbridge.web.permissions import check_action

VALUE_ACTIONS = ("accept", "edit", "reject", "defer", "survey", "reopen")
MATCH_ACTIONS = ("choose", "same", "not_same", "no_counterpart")
# Kinds a reviewer may accept many at once: a tag value to copy, nothing to place, create or close.
BULK_KINDS = ("minor", "only_city", "only_osm", "differs")


def make_action(name: str, user: User, *, value: str | None = None, reason: str = "", osm_key: str | None = None,
                source_id: str | None = None) -> ReviewAction:
    """The review action a form or JSON call asks for; Problem 400 for an unknown one.

    Accept and edit go in the user's own direction: a role decides one direction only.
    """
    reason = (reason or "").strip()
    if name in ("accept", "edit"):
        direction = reviewer_direction(user)
        if name == "accept":
            return Accept(direction=direction, reason=reason)
        return Edit(direction=direction, value=value or "", reason=reason)
    simple: dict[str, type[Reject | Defer | Survey | Reopen | NoCounterpart]] = {
        "reject": Reject, "defer": Defer, "survey": Survey, "reopen": Reopen, "no_counterpart": NoCounterpart}
    if name in simple:
        return simple[name](reason=reason)
    pairs: dict[str, type[Choose | Same | NotSame]] = {"choose": Choose, "same": Same, "not_same": NotSame}
    if name in pairs:
        return pairs[name](osm_key=osm_key or None, source_id=source_id or None, reason=reason)
    raise Problem(400, "error.404", f"unknown action {name!r}; expected one of "
                                   f"{', '.join(VALUE_ACTIONS + MATCH_ACTIONS)}")


def item_of(store: Store, dataset: str, item_id: str) -> ReviewItem:
    """The item `item_id` of `dataset` (404 otherwise)."""
    try:
        item = store.review_item(item_id)
    except ItemNotFound:
        raise Problem(404, "error.404", f"no review item {item_id!r}") from None
    if item.dataset != dataset:
        raise Problem(404, "error.404", f"no review item {item_id!r} in dataset {dataset!r}")
    return item


def decide(store: Store, user: User, dataset: str, item_id: str, action: ReviewAction,
           revision: int | None) -> ReviewItem:
    """Apply `action` to one item as `user`; Problem 403/404/409/400 when it is refused (nothing changed)."""
    item = item_of(store, dataset, item_id)
    check_action(user, item, action)
    try:
        return store.decide(item_id, action, author=user.username, if_revision=revision)
    except ReviewError as exc:
        raise _problem(exc) from None
    except StoreError as exc:
        raise Problem(409, "error.403", str(exc)) from None


def bulk_candidates(items: Sequence[ReviewItem], user: User, kind: str) -> list[ReviewItem]:
    """The open items of `kind` among `items` that the user may accept in their direction."""
    direction: Direction = reviewer_direction(user)
    if kind not in BULK_KINDS:
        raise Problem(400, "error.404", f"bulk acceptance is for one kind among {', '.join(BULK_KINDS)}; "
                                       "choose it in the kind filter")
    # A case- or accent-only ("minor") difference goes in bulk only where the diff proposes it: else one
    # click would write a city's "PISCINE VICTOR HUGO" over OSM's "Piscine Victor Hugo" everywhere.
    return [item for item in items if item.state == "open" and item.difference.kind == kind
            and direction in allowed_directions(item.difference) and _may_accept(user, item, direction)
            and (kind != "minor" or item.difference.proposal == direction)]


def _may_accept(user: User, item: ReviewItem, direction: Direction) -> bool:
    """Whether the user may accept the item (a person answering for one producer: only its records)."""
    try:
        check_action(user, item, Accept(direction=direction))
    except Problem:
        return False
    return True


def digest(items: Sequence[ReviewItem]) -> str:
    """A short fingerprint of a set of items and their revisions: the confirmation names exactly these."""
    text = "\n".join(f"{item.id}:{item.revision}" for item in sorted(items, key=lambda i: i.id))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def accept_all(store: Store, user: User, items: Sequence[ReviewItem]) -> list[ReviewItem]:
    """Accept every item in the user's direction, all or none (409 if any changed since it was shown)."""
    direction = reviewer_direction(user)
    for item in items:
        check_action(user, item, Accept(direction=direction))
    try:
        return store.decide_many([item.id for item in items], Accept(direction=direction), author=user.username,
                                 if_revisions={item.id: item.revision for item in items})
    except ReviewError as exc:
        raise _problem(exc) from None


def _problem(error: ReviewError) -> Problem:
    if isinstance(error, ItemNotFound):
        return Problem(404, "error.404", str(error))
    if isinstance(error, (RevisionConflict, InvalidTransition)):
        return Problem(409, "error.conflict", str(error))
    if isinstance(error, InvalidDecision):
        return Problem(400, "error.invalid", str(error))
    return Problem(400, "error.invalid", str(error))
