"""Review items as the store returns them: a difference, its decision, and the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from osmbridge.model import ChangedSide, Decision, Difference, DiffKind, Direction, Proposal, ReviewState

# States in which a person has said something about the item (not open, not closed by a run).
DECIDED_STATES: frozenset[ReviewState] = frozenset(
    {"accepted", "edited", "rejected", "deferred", "needs_survey", "match_decided", "pushed"})
# States the push stage acts on.
PUSHABLE_STATES: frozenset[ReviewState] = frozenset({"accepted", "edited"})
# States still waiting for a person.
WAITING_STATES: frozenset[ReviewState] = frozenset({"open", "stale", "deferred", "needs_survey"})
REVIEW_STATES: tuple[ReviewState, ...] = ("open", "accepted", "edited", "rejected", "deferred", "needs_survey",
                                          "stale", "match_decided", "pushed", "resolved")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One difference under review, as the latest run that saw it reported it.

    `decision` is the item's current state (state "open" and empty fields before anyone decided).
    When the item is stale, `previous` is the decision that no longer holds: its `seen_*` values
    are the old ones, `difference` holds the new ones. `revision` grows with every change; pass it
    back (`if_revision`) so that a decision made on an outdated page is refused, not overwritten.
    """

    difference: Difference
    decision: Decision
    revision: int
    previous: Decision | None = None
    present: bool = True  # in the dataset's latest run (False once resolved)
    first_run_id: int | None = None
    last_run_id: int | None = None  # the latest run that reported it

    @property
    def id(self) -> str:
        return self.difference.id

    @property
    def dataset(self) -> str:
        return self.difference.dataset

    @property
    def state(self) -> ReviewState:
        return self.decision.state

    @property
    def direction(self) -> Direction | None:
        """The decided direction, else the proposed one (None: a conflict, disagreement or match review)."""
        if self.decision.direction is not None:
            return self.decision.direction
        proposal = self.difference.proposal
        return proposal if proposal in ("to_osm", "to_city") else None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the append-only audit log: who did what to which item, when and why.

    `city_value`/`osm_value` are the item's values at that moment; for "stale" entries
    `old_city_value`/`old_osm_value` are those the earlier decision was made on. Automatic entries
    (opened, resolved, stale, reappeared) carry the run that caused them and author "osmbridge".
    """

    id: int
    item_id: str
    dataset: str
    at: str  # ISO 8601
    author: str
    action: str  # an ACTION_NAMES entry, or opened / stale / resolved / reappeared / pushed / push_stale
    old_state: ReviewState | None  # None when the item was created
    new_state: ReviewState
    direction: Direction | None = None
    value: str | None = None
    reason: str = ""
    city_value: str | None = None
    osm_value: str | None = None
    old_city_value: str | None = None
    old_osm_value: str | None = None
    run_id: int | None = None
    details: Mapping[str, object] = field(default_factory=dict)  # match verdicts written, push reference...


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """Which review items to list; empty tuples mean "any". Shareable as URL query parameters."""

    dataset: str | None = None
    states: tuple[ReviewState, ...] = ()
    kinds: tuple[DiffKind, ...] = ()
    categories: tuple[str, ...] = ()
    # The decided direction, else the proposed one: "to_osm" lists what mappers act on.
    directions: tuple[Direction, ...] = ()
    proposals: tuple[Proposal, ...] = ()  # the diff's proposal: "conflict", "review"...
    changed_sides: tuple[ChangedSide, ...] = ()
    source_id: str | None = None
    osm_key: str | None = None
    field: str | None = None
    text: str | None = None  # part of the name, a value or the id, case-insensitive
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (WGS84)
    present: bool | None = True  # True: in the latest run; False: resolved ones; None: both
    producer: str | None = None  # datasets with several producers: the items routed to this producer
