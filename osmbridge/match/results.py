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
from osmbridge.match.far import far_same_name
from osmbridge.match.kinds import TYPE_CHECK_LABEL
from osmbridge.match.names import name_similarity
from osmbridge.match.notes import join_notes, note
from osmbridge.model import Note
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
    return {2: True, -1: False, -2: False}.get(int(address))


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
        address_agrees={"agree": True, "disagree": False, "elsewhere": False}.get(agreement or ""),
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


def _match(source_id: str | None, osm_key: str | None, status: str, method: str, score: float,
           evidence: Evidence | None = None, candidates: tuple[str, ...] = (), notes: list[Note] | None = None
           ) -> Match:
    parts = notes or []
    return Match(source_id, osm_key, status, method, score, evidence, candidates,  # type: ignore[arg-type]
                 note=join_notes(parts))


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

    def density_notes(i: int, k: int, j: int, linked: bool) -> list[Note]:
        """Say when being alone around the record changed the outcome (or why it could not)."""
        radius = float(run.match_distance_m[i] * rules.search_factor)
        distance, expected = float(evidence["distance"][k]), float(evidence["expected"][k])
        names_against = evidence["name_logit"][k] < rules.isolated_name_floor
        if evidence["isolated"][k] and names_against:
            return [note("isolated", best=key[j], radius=radius, expected=expected, distance=distance)]
        if linked and evidence["lone"][k] and distance > run.match_distance_m[i]:
            return [note("lone", radius=radius, distance=distance)]
        if not linked and evidence["lone"][k] and names_against:
            return [note("name_veto", best=key[j], expected=expected, distance=distance)]
        return []

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
        status[i] = _match(run.city[i].source_id, key[link.osm], "matched", link.method, 1.0,
                           _pair_evidence(run, i, link.osm, link.distance_m, link.method == "ref"), notes=notes)
    for i in run.decided.no_counterpart:
        status[i] = _match(run.city[i].source_id, None, "city_only", "decision", 1.0,
                           notes=run.notes.get(i, []) + [note("decision_none", by=run.decided.by[i])])

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
            status[i] = _match(run.city[i].source_id, None, "ambiguous", method_of(k), logistic(float(logit[k])),
                               geometric_evidence(k), candidates, notes)
            continue
        status[i] = _match(run.city[i].source_id, key[j], "matched", method_of(k), logistic(float(logit[k])),
                           geometric_evidence(k), notes=notes + density_notes(i, k, j, linked=True))

    city_of_osm = {m.osm_key: i for i, m in status.items() if m.status == "matched"}
    # City features left without a link: weak fit, lost a contest, or nothing near.
    nothing_near: list[int] = []
    for i in range(n):
        if i in status:
            continue
        notes = list(run.notes.get(i, []))
        k = int(best_pair[i])
        if k < 0:
            nothing_near.append(i)
            continue
        j = int(oj[k])
        owner = city_of_osm.get(key[j])
        if owner is not None:
            notes.append(note("nearest_taken", best=key[j], other=run.city[owner].source_id))
            status[i] = _match(run.city[i].source_id, None, "city_only", "none", logistic(float(logit[k])),
                               geometric_evidence(k), notes=notes)
            continue
        holder = review_holder.get(j)
        if holder is not None and logit[k] >= rules.min_logit:
            notes.append(note("shared_candidate", best=key[j], rival=run.city[holder].source_id))
        else:
            notes.append(note("weak", best=key[j], score=logistic(float(logit[k]))))
            notes += density_notes(i, k, j, linked=False)
        under_review.add(j)
        status[i] = _match(run.city[i].source_id, None, "ambiguous", method_of(k), logistic(float(logit[k])),
                           geometric_evidence(k), (key[j],), notes)

    # Nothing near: the one place bearing the record's very name further out, else nothing.
    taken = run.osm_taken.copy()
    taken[[int(assignment.osm_of_city[i]) for i in np.flatnonzero(assignment.osm_of_city >= 0).tolist()]] = True
    taken[list(under_review)] = True
    far = far_same_name(run, nothing_near, taken, osm_twins.group)
    for i in nothing_near:
        notes = list(run.notes.get(i, []))
        radius = float(run.match_distance_m[i] * rules.search_factor)
        if i in far:
            j, distance = far[i]
            notes.append(note("far_same_name", best=key[j], distance=distance, radius=radius))
            under_review.add(j)
            status[i] = _match(run.city[i].source_id, None, "ambiguous", "name", 0.0,
                               Evidence(distance_m=round(distance, 1), name_similarity=100.0,
                                        type_check=TYPE_CHECK_LABEL.get(
                                            int(run.type_table[run.type_group[i], j]), "different")),
                               (key[j],), notes)
            continue
        notes.append(note("no_candidate", radius=radius))
        status[i] = _match(run.city[i].source_id, None, "city_only", "none", 0.0, notes=notes)

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
        notes = run.notes.get(i, []) + [
            note("city_duplicate", twin=run.city[primary].source_id, detail=detail.get((i, primary), ""))]
        status[i] = _match(run.city[i].source_id, None, "duplicate", status[i].method, status[i].score,
                           status[i].evidence, (run.city[primary].source_id,), notes)


def _osm_leftovers(run: _Run, status: dict[int, Match], twins: Twins, under_review: set[int]) -> list[Match]:
    """Return osm_only and duplicate matches for accepted OSM places nobody links to."""
    osm = run.osm
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
            # The common case, kept lean: one key and one Match per place.
            place = osm[j]
            osm_key = f"{place.osm_type}{place.osm_id}"
            if osm_key not in linked_keys and j not in under_review:
                leftovers.append(Match(None, osm_key, "osm_only", "none", 0.0))
            continue
        if key[j] in linked_keys or j in under_review:
            continue
        linked = [t for t in group if key[t] in linked_keys]
        # Else the first by OSM id, whatever order the places came in.
        primary = linked[0] if linked else min(group + [j], key=lambda t: (osm[t].osm_type, osm[t].osm_id))
        if primary != j:
            notes = [note("osm_duplicate", twin=key[primary], detail=detail.get((j, primary), ""))]
            leftovers.append(_match(None, key[j], "duplicate", "geometry", 1.0, candidates=(key[primary],),
                                    notes=notes))
            continue
        leftovers.append(Match(None, key[j], "osm_only", "none", 0.0))
    return leftovers
