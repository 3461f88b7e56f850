"""Which way a difference may be decided, and the value that would travel.

The web app's role check uses these: mappers decide what goes to OSM, city staff what goes to the city.
"""

from __future__ import annotations

from osmbridge.model import SURVEY_KINDS, Difference, Direction, DiffKind

# Field kinds a person can settle either way: the reviewer knows which side is right.
_EITHER_WAY: frozenset[DiffKind] = frozenset({"differs", "minor", "position"})
_ONE_WAY: dict[DiffKind, tuple[Direction, ...]] = {
    # The city has a value OSM lacks: add it to OSM. Deleting the city's value because OSM lacks
    # one is no correction, so there is no way back.
    "only_city": ("to_osm",),
    # OSM has a value the city lacks: offer it to the city. An empty city field is no reason to
    # delete OSM's value.
    "only_osm": ("to_city",),
    "lifecycle": ("to_osm",),  # the city closed it: OSM takes the lifecycle prefix
    "missing_in_osm": ("to_osm",),  # create it in OSM
    "missing_in_city": ("to_city",),  # add it to the city dataset
    "ambiguous": (),  # settled by a match verdict, not by a value
    "duplicate": (),
    # An OSM note next to a city record reports it closed or a value wrong: its owner, city staff, looks.
    # No value travels (the note is a hint, not a value): they reject it, defer it, or ask for a survey.
    "osm_note": ("to_city",),
    # Two producers disagree: the value of the producer holding the field goes to the other's data.
    "producers_disagree": ("to_city",),
}
# Kinds whose value a reviewer may type (`Edit`): a tag's value or a position ("lat,lon").
EDITABLE: frozenset[DiffKind] = frozenset({"differs", "minor", "only_city", "only_osm", "position", "survey_value",
                                           "survey_moved", "producers_disagree"})
# Kinds whose typed value is a position ("lat,lon").
POSITION_KINDS: frozenset[DiffKind] = frozenset({"position", "survey_moved"})
# Kinds that only a match verdict settles.
MATCH_ONLY: frozenset[DiffKind] = frozenset({"ambiguous", "duplicate"})


def allowed_directions(difference: Difference) -> tuple[Direction, ...]:
    """Return the directions `difference` may be accepted or edited in (empty: match verdicts only)."""
    if difference.kind in SURVEY_KINDS:
        # A field agent's answer makes one item per side it would change, each going that way only;
        # an answer both sides already agree with goes nowhere.
        return (difference.proposal,) if difference.proposal in ("to_osm", "to_city") else ()
    if difference.kind in _EITHER_WAY:
        return ("to_osm", "to_city")
    return _ONE_WAY[difference.kind]


def proposed_direction(difference: Difference) -> Direction | None:
    """Return the direction the diff proposes (None for conflicts, disagreements and match reviews)."""
    if difference.proposal in ("to_osm", "to_city") and difference.proposal in allowed_directions(difference):
        return difference.proposal
    return None


def proposed_value(difference: Difference, direction: Direction) -> str | None:
    """Return the value accepting `difference` in `direction` writes: the other side's value.

    to_osm carries the city's value (a tag value, "lat,lon", the lifecycle tag, or a new place's
    tags one "key=value" per line); to_city carries OSM's, except for producers who disagree: there
    the value of the producer holding the field goes to the other producer's record. A field agent's
    item carries what the agent saw (`survey_value`) to its side.
    """
    if difference.kind in SURVEY_KINDS:
        return difference.survey_value
    if difference.kind == "osm_note":
        return None
    if difference.kind == "producers_disagree":
        return difference.producer_values[0][1] if direction == "to_city" and difference.producer_values else None
    return difference.city_value if direction == "to_osm" else difference.osm_value


def decision_side(difference: Difference) -> Direction | None:
    """Return the side whose data a decision on `difference` is about, for role checks.

    A difference that can go one way only belongs to that side (a mapper rejects a proposal to
    OSM; city staff reject one to the city). Either-way differences and match reviews return None:
    both roles may settle them, each only in their own direction.
    """
    directions = allowed_directions(difference)
    return directions[0] if len(directions) == 1 else None


def action_direction(difference: Difference, action: object) -> Direction | None:
    """Return the direction an action on `difference` decides about, for role checks (None: any role).

    Accept and Edit go where they say. Reject, Defer, Survey and Reopen concern the side the
    difference can go to when it can go one way only (`decision_side`); on an either-way
    difference they commit nothing to either side. Match verdicts concern the link, not a side.
    A mapper may then act when the answer is None or "to_osm", city staff when None or "to_city".
    """
    direction = getattr(action, "direction", None)
    if direction in ("to_osm", "to_city"):
        return direction
    if getattr(action, "name", "") in ("reject", "defer", "survey", "reopen"):
        return decision_side(difference)
    return None
