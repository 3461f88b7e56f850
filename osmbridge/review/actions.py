"""What a reviewer can do to a review item: one small dataclass per action.

Value actions decide the difference itself (accept, edit, reject, defer, survey, reopen). Match
actions give the matcher a sticky verdict (same, not same, no counterpart, choose a candidate);
the store writes them to `match_decisions`, which the next run honours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from osmbridge.model import Direction


@dataclass(frozen=True, slots=True)
class Accept:
    """Send the proposed value (the other side's) to `direction`: to_osm writes the city's value to OSM."""

    direction: Direction
    reason: str = ""
    name: ClassVar[str] = "accept"


@dataclass(frozen=True, slots=True)
class Edit:
    """Send a value the reviewer typed to `direction` (both sides were wrong, or the proposal needs a fix)."""

    direction: Direction
    value: str
    reason: str = ""
    name: ClassVar[str] = "edit"


@dataclass(frozen=True, slots=True)
class Reject:
    """Nothing goes anywhere; `reason` (required) says why, for the next reviewer and the audit log."""

    reason: str
    name: ClassVar[str] = "reject"


@dataclass(frozen=True, slots=True)
class Defer:
    """Leave it for later (waiting for someone, unsure)."""

    reason: str = ""
    name: ClassVar[str] = "defer"


@dataclass(frozen=True, slots=True)
class Survey:
    """Someone must look on the ground (feeds the mapping-party checklists)."""

    reason: str = ""
    name: ClassVar[str] = "survey"


@dataclass(frozen=True, slots=True)
class Reopen:
    """Undo a decision that was not pushed yet: the item is open again."""

    reason: str = ""
    name: ClassVar[str] = "reopen"


@dataclass(frozen=True, slots=True)
class Same:
    """The city record and the OSM place are the same place.

    On a place missing in OSM, `osm_key` names the OSM object it actually is; on a place missing in
    the city, `source_id` names the city record. The item's own ids fill whichever is not given.
    """

    osm_key: str | None = None
    source_id: str | None = None
    reason: str = ""
    name: ClassVar[str] = "same"


@dataclass(frozen=True, slots=True)
class NotSame:
    """The city record and the OSM place were linked but are different places."""

    osm_key: str | None = None
    source_id: str | None = None
    reason: str = ""
    name: ClassVar[str] = "not_same"


@dataclass(frozen=True, slots=True)
class NoCounterpart:
    """The city record has no OSM counterpart (it is missing in OSM, or unmapped on purpose)."""

    reason: str = ""
    name: ClassVar[str] = "no_counterpart"


@dataclass(frozen=True, slots=True)
class Choose:
    """Settle an ambiguous or duplicate item: this candidate is the one ("same"), the others are not.

    An ambiguous city record chooses among OSM places (`osm_key`); an OSM duplicate needs the city
    record it belongs to (`source_id`) and chooses the OSM place; a city duplicate chooses the city
    record (`source_id`) for the OSM place given as `osm_key`.
    """

    osm_key: str | None = None
    source_id: str | None = None
    reason: str = ""
    name: ClassVar[str] = "choose"


ValueAction = Accept | Edit | Reject | Defer | Survey | Reopen
MatchAction = Same | NotSame | NoCounterpart | Choose
ReviewAction = ValueAction | MatchAction

ACTION_NAMES = ("accept", "edit", "reject", "defer", "survey", "reopen", "same", "not_same", "no_counterpart",
                "choose")
