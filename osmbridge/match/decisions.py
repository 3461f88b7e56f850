"""Sticky human decisions: which still hold for this run, which are stale and why."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from osmbridge.match.notes import Note, note
from osmbridge.model import MatchDecision


@dataclass(slots=True)
class ResolvedDecisions:
    """Decisions that hold, as index-level constraints, plus the notes explaining ignored ones."""

    same: dict[int, int] = field(default_factory=dict)  # city index -> OSM index
    not_same: set[tuple[int, int]] = field(default_factory=set)
    no_counterpart: set[int] = field(default_factory=set)
    by: dict[int, str] = field(default_factory=dict)  # " by X on D" of the decision applied
    notes: dict[int, list[Note]] = field(default_factory=dict)


def _by(decision: MatchDecision) -> str:
    """Return " by alice on 2026-05-01" (parts omitted when unknown)."""
    text = f" by {decision.author}" if decision.author else ""
    return text + (f" on {decision.decided_at[:10]}" if decision.decided_at else "")


def resolve_decisions(
    decisions: Sequence[MatchDecision],
    city_index: Mapping[tuple[str, str], int],
    osm_index: Mapping[str, int],
    city_fingerprint_of: Callable[[int], str],
    osm_fingerprint_of: Callable[[int], str],
    source_ids: Sequence[str],
) -> ResolvedDecisions:
    """Return the decisions still valid: both sides' fingerprints unchanged since the decision.

    The latest "same" or "no_counterpart" per city record wins; every valid "not_same" applies.
    A decision about a city record absent from this run is dropped silently (nothing to explain).
    """
    resolved = ResolvedDecisions()
    latest: dict[int, MatchDecision] = {}
    claimed: dict[int, int] = {}  # OSM index -> city index, for "same" decisions
    for decision in sorted(decisions, key=lambda d: d.decided_at, reverse=True):
        i = city_index.get((decision.dataset, decision.source_id))
        if i is None:
            continue
        if decision.verdict == "not_same" and (decision.osm_key or "") not in osm_index:
            continue  # "not that one" about a place gone from OSM: nothing left to keep apart
        why = _staleness(decision, i, osm_index, city_fingerprint_of, osm_fingerprint_of)
        if why is not None:
            english, french = why
            resolved.notes.setdefault(i, []).append(
                note("decision_stale", verdict=decision.verdict, by=_by(decision), why=english, why_fr=french)
            )
            continue
        if decision.verdict == "not_same":
            resolved.not_same.add((i, osm_index[decision.osm_key or ""]))
            continue
        if i in latest:
            continue  # an older verdict on the same record, superseded
        if decision.verdict == "same":
            j = osm_index[decision.osm_key or ""]
            if j in claimed:
                resolved.notes.setdefault(i, []).append(
                    note("decision_taken", verdict="same", by=_by(decision), osm=decision.osm_key, other=source_ids[claimed[j]])
                )
                continue
            claimed[j] = i
            resolved.same[i] = j
        else:
            resolved.no_counterpart.add(i)
        latest[i] = decision
        resolved.by[i] = _by(decision)
    return resolved


def _staleness(
    decision: MatchDecision,
    i: int,
    osm_index: Mapping[str, int],
    city_fingerprint_of: Callable[[int], str],
    osm_fingerprint_of: Callable[[int], str],
) -> tuple[str, str] | None:
    """Return why a decision no longer holds (English, French), or None when it still does."""
    if decision.city_fingerprint != city_fingerprint_of(i):
        return ("the city record changed since", "la fiche de la ville a changé depuis")
    if decision.verdict == "no_counterpart":
        return None
    j = osm_index.get(decision.osm_key or "")
    if j is None:
        return (
            f"{decision.osm_key} is no longer in OSM data of a matching type",
            f"{decision.osm_key} n'est plus dans les données OSM de type compatible",
        )
    if decision.osm_fingerprint is not None and decision.osm_fingerprint != osm_fingerprint_of(j):
        return (f"{decision.osm_key} changed in OSM since", f"{decision.osm_key} a changé dans OSM depuis")
    return None
