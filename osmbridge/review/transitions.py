"""The review state machine: what each action does to an item, and what it refuses.

Pure: the caller (the store) loads the item, applies one of these, and saves the new decision and
its audit entry in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from osmbridge.model import Decision, Difference, MatchVerdict, ReviewState
from osmbridge.review.actions import (Accept, Choose, Defer, Edit, MatchAction, NoCounterpart, NotSame, Reject,
                                      Reopen, ReviewAction, Same, Survey)
from osmbridge.review.directions import EDITABLE, MATCH_ONLY, POSITION_KINDS, allowed_directions, proposed_value
from osmbridge.review.errors import InvalidDecision, InvalidTransition

_OSM_KEY = re.compile(r"[nwr][1-9][0-9]*")
_POSITION = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*")
# Kinds about one matched pair (a city record linked to an OSM place).
_PAIR_KINDS = frozenset({"differs", "minor", "only_city", "only_osm", "position", "lifecycle"})
SYSTEM_AUTHOR = "osmbridge"


@dataclass(frozen=True, slots=True)
class PlannedVerdict:
    """A match decision to write: the matcher links (or keeps apart) this city record and OSM place."""

    source_id: str
    verdict: MatchVerdict
    osm_key: str | None  # None for "no_counterpart"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an action does: the item's new decision, what stays of the stale one, the verdicts to write."""

    decision: Decision
    previous: Decision | None = None  # kept only while the item is stale
    verdicts: tuple[PlannedVerdict, ...] = ()


def apply_action(current: Decision, difference: Difference, action: ReviewAction, *, author: str,
                 now: str, previous: Decision | None = None) -> Outcome:
    """Return what `action` by `author` at `now` does to an item whose decision is `current`.

    Raises InvalidTransition when the item's state does not allow it (pushed, resolved...) and
    InvalidDecision when the action does not fit the difference (a direction it cannot go, an
    empty reason for a rejection, a candidate that is not one).
    """
    author = author.strip()
    if not author:
        raise InvalidDecision("say who decides (--author, or the logged-in user): every decision is signed")
    _check_state(current, difference, action)
    base = Decision(difference_id=difference.id, dataset=difference.dataset, state="open", author=author,
                    decided_at=now, reason=action.reason.strip(), seen_city_value=difference.city_value,
                    seen_osm_value=difference.osm_value, seen_osm_version=difference.osm_version)
    if isinstance(action, Accept):
        _check_direction(difference, action.direction)
        value = proposed_value(difference, action.direction)
        if value is None:
            raise InvalidDecision(f"item {difference.id} has no value to send {_to(action.direction)}")
        return Outcome(replace(base, state="accepted", direction=action.direction, value=value))
    if isinstance(action, Edit):
        if difference.kind not in EDITABLE:
            raise InvalidDecision(f"a {difference.kind} item cannot take a typed value; accept or reject it")
        _check_direction(difference, action.direction)
        value = _check_value(difference, action.value)
        return Outcome(replace(base, state="edited", direction=action.direction, value=value))
    if isinstance(action, Reject):
        if not base.reason:
            raise InvalidDecision("a rejection needs a reason (--reason): the next reviewer will read it")
        return Outcome(replace(base, state="rejected"))
    if isinstance(action, Defer):
        return Outcome(replace(base, state="deferred"))
    if isinstance(action, Survey):
        return Outcome(replace(base, state="needs_survey"))
    if isinstance(action, Reopen):
        return Outcome(replace(base, state="open"))
    return _match_outcome(current, difference, action, base, previous)


def mark_pushed(current: Decision, ref: str, *, author: str, now: str) -> Outcome:
    """Return the decision once the push stage has written it (`ref`: changeset id or city change-log reference)."""
    if current.state not in ("accepted", "edited"):
        raise InvalidTransition(f"item {current.difference_id} is {current.state}: only accepted or edited items "
                                "are pushed")
    if not ref.strip():
        raise InvalidDecision("a pushed item needs the changeset id or the city change-log reference")
    return Outcome(replace(current, state="pushed", push_ref=ref.strip()))


def mark_stale(current: Decision, reason: str, *, author: str, now: str) -> Outcome:
    """Return an accepted or edited item made stale by the push stage (the target changed since the decision)."""
    if current.state not in ("accepted", "edited"):
        raise InvalidTransition(f"item {current.difference_id} is {current.state}: only accepted or edited items "
                                "can be found stale by the push stage")
    stale = Decision(difference_id=current.difference_id, dataset=current.dataset, state="stale",
                     reason=reason.strip(), author=author, decided_at=now, seen_city_value=current.seen_city_value,
                     seen_osm_value=current.seen_osm_value, seen_osm_version=current.seen_osm_version)
    return Outcome(stale, previous=current)


def candidates(difference: Difference) -> tuple[str, ...]:
    """Return the ids an ambiguous or duplicate item offers to choose from (OSM keys or city ids)."""
    if difference.kind not in MATCH_ONLY:
        return ()
    listed = difference.osm_value if difference.osm_value is not None else difference.city_value
    return tuple(part.strip() for part in (listed or "").split(",") if part.strip())


def _check_state(current: Decision, difference: Difference, action: ReviewAction) -> None:
    state: ReviewState = current.state
    if state == "pushed":
        raise InvalidTransition(f"item {difference.id} was pushed ({current.push_ref}); nothing can change it now. "
                                "If the value is wrong again, the next run reports a new difference")
    if state == "resolved":
        raise InvalidTransition(f"item {difference.id} is resolved: the latest run no longer reports this "
                                "difference")
    if isinstance(action, Reopen) and state in ("open", "match_decided"):
        raise InvalidTransition(f"item {difference.id} is {state}: nothing to reopen"
                                + ("; give another match verdict instead" if state == "match_decided" else ""))
    if state == "match_decided" and not isinstance(action, (Same, NotSame, NoCounterpart, Choose)):
        raise InvalidTransition(f"item {difference.id} was settled by a match verdict; the next run re-matches "
                                "it (give another verdict to change it)")


def _check_direction(difference: Difference, direction: str) -> None:
    allowed = allowed_directions(difference)
    if direction not in allowed:
        ways = " or ".join(_to(d) for d in allowed) if allowed else "nowhere: give a match verdict instead"
        raise InvalidDecision(f"a {difference.kind} item can go {ways}, not {_to(direction)}")


def _check_value(difference: Difference, value: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidDecision("an edited value cannot be empty; reject the item to leave both sides as they are")
    if difference.kind in POSITION_KINDS:
        found = _POSITION.fullmatch(text)
        if not found or not (-90 <= float(found[1]) <= 90 and -180 <= float(found[2]) <= 180):
            raise InvalidDecision(f"a position is typed as latitude,longitude in degrees (47.21836,-1.55362), "
                                  f"not {value!r}")
        return f"{float(found[1]):.7f},{float(found[2]):.7f}"
    return text


def _to(direction: str) -> str:
    return {"to_osm": "to OSM", "to_city": "to the city"}.get(direction, direction)


def _match_outcome(current: Decision, difference: Difference, action: MatchAction, base: Decision,
                   previous: Decision | None) -> Outcome:
    """Verdicts for the matcher; the item is settled when the verdict changes what it is about."""
    kind = difference.kind
    if isinstance(action, Choose):
        verdicts = _choose(difference, action)
        chosen = verdicts[0]
        return Outcome(replace(base, state="match_decided", match_verdict="same",
                               value=f"{chosen.source_id}={chosen.osm_key}"), verdicts=verdicts)
    if isinstance(action, NoCounterpart):
        if difference.source_id is None:
            raise InvalidDecision(f"item {difference.id} has no city record: 'no counterpart' is said of a city "
                                  "record")
        verdict = PlannedVerdict(difference.source_id, "no_counterpart", None)
        settles = kind != "missing_in_osm"  # on a missing place it confirms the proposal to create it
    else:
        source_id = action.source_id or difference.source_id
        osm_key = action.osm_key or difference.osm_key
        if source_id is None:
            raise InvalidDecision(f"item {difference.id} names no city record: give the city record's id")
        if osm_key is None or not _OSM_KEY.fullmatch(osm_key):
            raise InvalidDecision(f"item {difference.id}: give the OSM object as n, w or r then the number (w5678), "
                                  f"not {osm_key!r}")
        if isinstance(action, Same):
            verdict = PlannedVerdict(source_id, "same", osm_key)
            settles = kind not in _PAIR_KINDS  # on a linked pair "same" confirms the link
        else:
            verdict = PlannedVerdict(source_id, "not_same", osm_key)
            settles = kind != "missing_in_osm"  # there, it only keeps a wrong candidate away
    if not settles:
        return Outcome(current, previous=previous, verdicts=(verdict,))
    value = f"{verdict.source_id}={verdict.osm_key}" if verdict.osm_key else verdict.source_id
    return Outcome(replace(base, state="match_decided", match_verdict=verdict.verdict, value=value),
                   verdicts=(verdict,))


def _choose(difference: Difference, action: Choose) -> tuple[PlannedVerdict, ...]:
    """Return "same" for the chosen pair first, then "not_same" for every other candidate."""
    if difference.kind not in MATCH_ONLY:
        raise InvalidDecision(f"choose settles ambiguous and duplicate items; this one is {difference.kind}: "
                              "use same or not-same")
    offered = candidates(difference)
    on_osm_side = all(_OSM_KEY.fullmatch(c) for c in offered)
    city = [difference.source_id] if difference.source_id else []
    osm = [difference.osm_key] if difference.osm_key else []
    (osm if on_osm_side else city).extend(c for c in offered if c not in osm + city)
    source_id = _pick(action.source_id, city, "city record", "--city")
    osm_key = _pick(action.osm_key, osm, "OSM object", "--osm")
    if not _OSM_KEY.fullmatch(osm_key):
        raise InvalidDecision(f"give the OSM object as n, w or r then the number (w5678), not {osm_key!r}")
    verdicts = [PlannedVerdict(source_id, "same", osm_key)]
    verdicts += [PlannedVerdict(source_id, "not_same", other) for other in osm if other != osm_key]
    verdicts += [PlannedVerdict(other, "not_same", osm_key) for other in city if other != source_id]
    return tuple(verdicts)


def _pick(given: str | None, offered: list[str], what: str, option: str) -> str:
    """Return the chosen id: the one given (which must be offered, when the item offers any), or the only one."""
    if given:
        if offered and given not in offered:
            raise InvalidDecision(f"{given} is not a candidate {what} of this item; choose among {', '.join(offered)}")
        return given
    if len(offered) == 1:
        return offered[0]
    if not offered:
        raise InvalidDecision(f"this item does not name the {what}: give it ({option})")
    raise InvalidDecision(f"choose the {what} among {', '.join(offered)} ({option})")
