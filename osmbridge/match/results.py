"""Turning the engine's arrays into Match records, each with its evidence and explanation."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from osmbridge.match.agreement import address_agreement, phone_agreement
from osmbridge.match.assign import Assignment
from osmbridge.match.candidates import geodesic_distances_m
from osmbridge.match.duplicates import Twins
from osmbridge.match.kinds import TYPE_CHECK_LABEL
from osmbridge.match.names import name_similarity
from osmbridge.match.notes import join_notes, note
from osmbridge.match.rules import logistic
from osmbridge.model import Evidence, Match

if TYPE_CHECKING:  # the engine imports this module
    from osmbridge.match.engine import _Run
    from osmbridge.match.refs import RefHit


@dataclass(slots=True)
class Linked:
    """A link made before the spatial stage (decision or ref)."""

    osm: int
    method: str
    ref: RefHit | None = None
    distance_m: float | None = None
    note_key: str = ""
    note_values: dict[str, object] = field(default_factory=dict)


class _KeyOf:
    """OSM keys by index, made on demand: most runs need few besides the leftovers."""

    def __init__(self, run: _Run) -> None:
        self._osm = run.osm

    def __getitem__(self, j: int) -> str:
        place = self._osm[j]
        return f"{place.osm_type}{place.osm_id}"


def _evidence_code(address: int) -> bool | None:
    return {2: True, -1: False}.get(int(address))


def _pair_evidence(run: _Run, i: int, j: int, distance_m: float | None, ref: bool) -> Evidence:
    """Return the evidence of a link made outside the spatial stage (ref or decision)."""
    feature, place = run.city[i], run.osm[j]
    if distance_m is None:
        distance_m = float(geodesic_distances_m(run.city_geoms[[i]], run.osm_geoms[[j]])[0])
    agreement = address_agreement(feature.tags, place.tags)
    return Evidence(
        distance_m=None if math.isnan(distance_m) else round(distance_m, 1),
        name_similarity=name_similarity(feature.name, place.tags.get("name")),
        type_check=TYPE_CHECK_LABEL.get(int(run.type_table[run.type_group[i], j]), "different"),
        ref_match=ref,
        address_agrees={"agree": True, "disagree": False}.get(agreement or ""),
        phone_agrees=phone_agreement(feature.tags, place.tags),
    )


def _twin_detail(distance_m: float, similarity: float) -> str:
    """Return " (3 m apart, names 96 % alike)" for a duplicate note."""
    parts = []
    if not math.isnan(distance_m):
        parts.append(f"{distance_m:.0f} m")
    if not math.isnan(similarity):
        parts.append(f"{similarity:.0f}%")
    return f" ({', '.join(parts)})" if parts else ""


def build_matches(
    run: _Run,
    ci: np.ndarray,
    oj: np.ndarray,
    logit: np.ndarray,
    evidence: dict[str, np.ndarray],
    assignment: Assignment,
    city_twins: Twins,
    osm_twins: Twins,
) -> list[Match]:
    """Return one Match per city feature, then one per unlinked OSM place of an accepted type."""
    rules = run.rules
    n = len(run.city)
    pair_at = {(i, j): k for k, (i, j) in enumerate(zip(ci.tolist(), oj.tolist()))}
    best_pair = np.full(n, -1, dtype=np.int64)
    if len(ci):
        order = np.lexsort((logit, ci))
        best_pair[ci[order]] = order  # the last (highest) per city wins

    def geometric_evidence(k: int) -> Evidence:
        similarity = evidence["similarity"][k]
        return Evidence(
            distance_m=round(float(evidence["distance"][k]), 1),
            name_similarity=None if math.isnan(similarity) else round(float(similarity), 1),
            type_check=TYPE_CHECK_LABEL[int(evidence["kind"][k])],
            address_agrees=_evidence_code(evidence["address"][k]),
            phone_agrees={1: True, -1: False}.get(int(evidence["phone"][k])),
        )

    def method_of(k: int) -> str:
        return "geometry" if math.isnan(evidence["similarity"][k]) else "geometry+name"

    key = _KeyOf(run)
    status: dict[int, Match] = {}
    under_review: set[int] = set()  # OSM places offered to a person
    review_holder: dict[int, int] = {}  # contested OSM place -> the city record it went to review with

    # Links made by a person or a ref.
    for i, link in run.linked.items():
        notes = run.notes.get(i, [])
        if link.method == "ref" and link.ref is not None:
            hit = link.ref
            if link.distance_m is not None and link.distance_m > run.match_distance_m[i] * rules.search_factor:
                notes = notes + [note("ref_far", key=hit.key, value=hit.value, distance=link.distance_m)]
            else:
                notes = notes + [note("ref", key=hit.key, value=hit.value)]
            if run.type_table[run.type_group[i], link.osm] == 0:
                notes.append(note("ref_type", key=hit.key, value=hit.value))
        else:
            notes = notes + [note(link.note_key, **link.note_values)]
        status[i] = Match(
            run.city[i].source_id, key[link.osm], "matched", link.method, 1.0,
            _pair_evidence(run, i, link.osm, link.distance_m, link.method == "ref"),
            note=join_notes(notes),
        )
    for i in run.decided.no_counterpart:
        status[i] = Match(
            run.city[i].source_id, None, "city_only", "decision", 1.0,
            note=join_notes(run.notes.get(i, []) + [note("decision_none", by=run.decided.by[i])]),
        )

    # Links from the assignment.
    for i in np.flatnonzero(assignment.osm_of_city >= 0).tolist():
        j = int(assignment.osm_of_city[i])
        k = pair_at[(i, j)]
        notes = list(run.notes.get(i, []))
        margin = float(assignment.margin[i])
        if margin < rules.ambiguity_margin:
            rival_osm, rival_city = int(assignment.rival_osm[i]), int(assignment.rival_city[i])
            candidates: tuple[str, ...]
            if rival_osm >= 0:
                candidates = (key[j], key[rival_osm])
                notes.append(note("close_call", best=key[j], rival=key[rival_osm], margin=margin))
                under_review.update((j, rival_osm))
            else:
                candidates = (key[j],)
                notes.append(note("contested", best=key[j], rival=run.city[rival_city].source_id, margin=margin))
                under_review.add(j)
                review_holder[j] = i
            status[i] = Match(
                run.city[i].source_id, None, "ambiguous", method_of(k), logistic(float(logit[k])),
                geometric_evidence(k), candidates, join_notes(notes),
            )
            continue
        status[i] = Match(
            run.city[i].source_id, key[j], "matched", method_of(k), logistic(float(logit[k])),
            geometric_evidence(k), note=join_notes(notes),
        )

    city_of_osm = {m.osm_key: i for i, m in status.items() if m.status == "matched"}
    # City features left without a link: weak fit, lost a contest, or nothing near.
    for i in range(n):
        if i in status:
            continue
        notes = list(run.notes.get(i, []))
        k = int(best_pair[i])
        if k < 0:
            notes.append(note("no_candidate", radius=run.match_distance_m[i] * rules.search_factor))
            status[i] = Match(run.city[i].source_id, None, "city_only", "none", 0.0, note=join_notes(notes))
            continue
        j = int(oj[k])
        owner = city_of_osm.get(key[j])
        if owner is not None:
            notes.append(note("nearest_taken", best=key[j], other=run.city[owner].source_id))
            status[i] = Match(
                run.city[i].source_id, None, "city_only", "none", logistic(float(logit[k])),
                geometric_evidence(k), note=join_notes(notes),
            )
            continue
        holder = review_holder.get(j)
        if holder is not None and logit[k] >= rules.min_logit:
            notes.append(note("shared_candidate", best=key[j], rival=run.city[holder].source_id))
        else:
            notes.append(note("weak", best=key[j], score=logistic(float(logit[k]))))
        under_review.add(j)
        status[i] = Match(
            run.city[i].source_id, None, "ambiguous", method_of(k), logistic(float(logit[k])),
            geometric_evidence(k), (key[j],), join_notes(notes),
        )

    _mark_city_twins(run, status, city_twins)
    matches = [status[i] for i in range(n)]
    matches.extend(_osm_leftovers(run, status, osm_twins, under_review))
    return matches


def _mark_city_twins(run: _Run, status: dict[int, Match], twins: Twins) -> None:
    """Report city records that are another record's twin, unless each found its own OSM place."""
    detail = {}
    for a, b, d, s in zip(twins.first.tolist(), twins.second.tolist(), twins.distance_m, twins.name_similarity):
        detail[(a, b)] = detail[(b, a)] = _twin_detail(float(d), float(s))
    for i, twins_of_i in twins.twin_of().items():
        if status[i].status == "matched":
            continue
        linked = [t for t in twins_of_i if status[t].status == "matched"]
        primary = linked[0] if linked else min(twins_of_i + [i])
        if primary == i:
            continue
        status[i] = Match(
            run.city[i].source_id, None, "duplicate", status[i].method, status[i].score, status[i].evidence,
            (run.city[primary].source_id,),
            join_notes(
                run.notes.get(i, [])
                + [note("city_duplicate", twin=run.city[primary].source_id, detail=detail.get((i, primary), ""))]
            ),
        )


def _osm_leftovers(run: _Run, status: dict[int, Match], twins: Twins, under_review: set[int]) -> list[Match]:
    """Return osm_only and duplicate matches for accepted OSM places nobody links to."""
    linked_keys = {m.osm_key for m in status.values() if m.status == "matched"}
    key = _KeyOf(run)
    twins_of = twins.twin_of()
    detail = {}
    for a, b, d, s in zip(twins.first.tolist(), twins.second.tolist(), twins.distance_m, twins.name_similarity):
        detail[(a, b)] = detail[(b, a)] = _twin_detail(float(d), float(s))
    leftovers = []
    for j in np.flatnonzero(run.accepted).tolist():
        group = twins_of.get(j)
        if group is None:
            # The common case, kept lean: one OsmPlace.key and one Match per place.
            osm_key = key[j]
            if osm_key not in linked_keys and j not in under_review:
                leftovers.append(Match(None, osm_key, "osm_only", "none", 0.0))
            continue
        if key[j] in linked_keys or j in under_review:
            continue
        if group:
            linked = [t for t in group if key[t] in linked_keys]
            primary = linked[0] if linked else min(group + [j])
            if primary != j:
                leftovers.append(
                    Match(
                        None, key[j], "duplicate", "geometry", 1.0, candidates=(key[primary],),
                        note=join_notes([note("osm_duplicate", twin=key[primary],
                                              detail=detail.get((j, primary), ""))]),
                    )
                )
                continue
        leftovers.append(Match(None, key[j], "osm_only", "none", 0.0))
    return leftovers
