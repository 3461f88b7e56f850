"""What the licence gate keeps back, as reviewers read it: per queue, and per item with the reason.

An item may still be accepted while its direction is blocked (the decision is kept), but the push
sends nothing of it: the page says so next to the item, in the reader's language, so that nobody
waits for a change that cannot come until a waiver or another licence is recorded.
"""

from __future__ import annotations

from typing import Any

from osmbridge.config import DatasetConfig
from osmbridge.model import Difference, Direction
from osmbridge.push.licence import LicenceVerdict, check, describe, gated
from osmbridge.review.directions import allowed_directions
from osmbridge.review.items import ReviewItem

DIRECTIONS: tuple[Direction, Direction] = ("to_osm", "to_city")


def verdicts(dataset: DatasetConfig) -> dict[Direction, LicenceVerdict]:
    """The licence gate's verdict for each direction of a dataset."""
    return {direction: check(direction, dataset.licence, waiver=dataset.licence_waiver,
                             attribution=dataset.attribution) for direction in DIRECTIONS}


def blocked_directions(dataset: DatasetConfig, lang: str) -> dict[Direction, str]:
    """The blocked directions of a dataset, each with why in `lang` ("en" or "fr")."""
    return {direction: describe(verdict, "fr" if lang == "fr" else "en")
            for direction, verdict in verdicts(dataset).items() if verdict.blocked}


def item_blocked(item: ReviewItem, blocked: dict[Direction, str]) -> dict[Direction, str]:
    """The directions this item could go that the gate keeps back, with why (empty: nothing blocked).

    A decided item counts for the direction it was decided in; an open one for each it may go.
    """
    difference: Difference = item.difference
    if item.state in ("accepted", "edited", "pushed") and item.decision.direction is not None:
        directions: tuple[Direction, ...] = (item.decision.direction,)
    else:
        directions = allowed_directions(difference)
    return {d: blocked[d] for d in directions if d in blocked and gated(difference, d)}


def item_json(item: ReviewItem, dataset: DatasetConfig) -> dict[str, Any]:
    """The licence part of an item in the JSON API: {"to_osm": "Blocked: ..."} for what the gate keeps back."""
    return {str(direction): why for direction, why in item_blocked(item, blocked_directions(dataset, "en")).items()}
