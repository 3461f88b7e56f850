"""What a reviewer's role lets them do to a review item: mappers decide what goes to OSM, city staff what
goes to the city; both settle match questions; nobody overturns a decision made for the other side."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from osmbridge.model import PRODUCER_ID_SEPARATOR, Direction
from osmbridge.review import (MATCH_ONLY, Accept, Choose, Edit, NoCounterpart, NotSame, ReviewAction, ReviewItem,
                              Same, action_direction, allowed_directions, candidates, decision_side,
                              proposed_value)
from osmbridge.review.directions import EDITABLE
from osmbridge.store.accounts import User
from osmbridge.web.guard import Problem, reviewer_direction

_CLOSED = frozenset({"pushed", "resolved"})


def check_action(user: User, item: ReviewItem, action: ReviewAction) -> None:
    """Refuse (403) an action the user's role (or the producer they answer for) may not take on this item."""
    mine = reviewer_direction(user)
    refused = _other_producer(user, mine, item, writes=isinstance(action, (Accept, Edit)))
    if refused is not None and not isinstance(action, (Same, NotSame, NoCounterpart, Choose)):
        raise Problem(403, "error.producer", f"item {item.id} is for {refused}'s data; {user.username} answers for "
                                         f"{user.producer}'s")
    decided = item.decision.direction
    if item.state in ("accepted", "edited") and decided is not None and decided != mine:
        raise Problem(403, "error.role", f"item {item.id} was decided {decided.replace('_', ' ')}; "
                                         f"a {user.role} may not change that")
    if isinstance(action, (Accept, Edit)):
        ways = allowed_directions(item.difference)
        if action.direction != mine or (ways and mine not in ways):
            other = ways[0] if ways and mine not in ways else action.direction
            raise Problem(403, "error.role", f"item {item.id} goes {other.replace('_', ' ')}; "
                                             f"a {user.role} may not decide it")
        return
    side = action_direction(item.difference, action)  # None: match verdicts, either-way rejections
    if side is not None and side != mine:
        raise Problem(403, "error.role", f"item {item.id} is a proposal {side.replace('_', ' ')}; "
                                         f"a {user.role} may not decide it")


def _other_producer(user: User, mine: Direction, item: ReviewItem, *, writes: bool) -> str | None:
    """The producer whose item this is, when a user answering for another producer's data decides to the city.

    Accepting or editing (`writes`) changes the record's own producer's data: only its people may. Other
    decisions (reject, defer...) are open to every producer the item is routed to. None: allowed.
    """
    producers = item.difference.producers
    if not user.producer or mine != "to_city" or not producers:
        return None
    if writes:
        source_id = item.difference.source_id or ""
        owner = next((p for p in producers if source_id.startswith(p + PRODUCER_ID_SEPARATOR)), producers[0])
        return None if owner == user.producer else owner
    return None if user.producer in producers else producers[0]


@dataclass(frozen=True, slots=True)
class Choices:
    """What the item page offers a user on one item."""

    direction: Direction | None  # the direction the user may accept or edit in (None: neither)
    accept_value: str | None  # the value accepting would send
    editable: bool
    value_actions: bool  # reject, defer, needs survey
    reopen: bool
    match: bool  # choose a candidate, no counterpart


def choices(user: User | None, item: ReviewItem) -> Choices:
    """The buttons to show a user on an item (the server checks again when one is pressed)."""
    none = Choices(None, None, False, False, False, False)
    if user is None or item.state in _CLOSED:
        return none
    try:
        mine = reviewer_direction(user)
    except Problem:
        return none
    decided = item.decision.direction
    if item.state in ("accepted", "edited") and decided is not None and decided != mine:
        return none
    difference = item.difference
    if difference.kind in MATCH_ONLY:
        return Choices(None, None, False, False, item.state not in ("open", "match_decided"), True)
    if item.state == "match_decided":
        return none
    # A direction in which nothing would travel (an OSM note is a hint, not a value) offers no acceptance.
    direction = (mine if mine in allowed_directions(difference) and proposed_value(difference, mine) is not None
                 else None)
    if direction is not None and _other_producer(user, mine, item, writes=True) is not None:
        direction = None  # the value would go into another producer's data
    side = decision_side(difference)
    own = (side is None or side == mine) and _other_producer(user, mine, item, writes=False) is None
    return Choices(direction=direction, accept_value=proposed_value(difference, direction) if direction else None,
                   editable=direction is not None and difference.kind in EDITABLE, value_actions=own,
                   reopen=own and item.state != "open", match=False)


_OSM_KEY = re.compile(r"[nwr][1-9][0-9]*")


@dataclass(frozen=True, slots=True)
class MatchOption:
    """One place an ambiguous or duplicate item lets a person choose, and what else the choice needs."""

    key: str  # an OSM key (n123) or a city record id
    side: Literal["osm", "city"]
    needs: Literal["source_id", "osm_key", ""]  # the other side's id, when the item does not name it


def match_options(item: ReviewItem) -> list[MatchOption]:
    """The places to choose among: the item's own one and its candidates, all on the candidates' side."""
    difference = item.difference
    offered = candidates(difference)
    if not offered:
        return []
    side: Literal["osm", "city"] = "osm" if all(_OSM_KEY.fullmatch(key) for key in offered) else "city"
    own = difference.osm_key if side == "osm" else difference.source_id
    keys = ([own] if own and own not in offered else []) + list(offered)
    needs: Literal["source_id", "osm_key", ""] = ("source_id" if side == "osm" and not difference.source_id else
                                                  "osm_key" if side == "city" and not difference.osm_key else "")
    return [MatchOption(key, side, needs) for key in keys]
