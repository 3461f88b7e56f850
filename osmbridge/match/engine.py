"""The conflation engine: pair each city feature with at most one OSM place, explaining each link.

Stages, in order: a person's decisions; ref-tag join; same-side duplicates; spatial candidates
(STRtree in a metric projection) filtered by type; pair scores from distance, name, type,
address and phone; a global one-to-one assignment; ambiguity and weak-fit checks.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Sequence

import numpy as np

from osmbridge.match.agreement import address_agreement, attribute_agreement, attribute_keys, phone_agreement
from osmbridge.match.assign import Assignment, assign
from osmbridge.match.candidates import find_candidates, geodesic_distances_m, located, metric_frame
from osmbridge.match.decisions import ResolvedDecisions, resolve_decisions
from osmbridge.match.density import expected_within, local_xy_m, places_per_m2
from osmbridge.match.duplicates import Twins, find_twins
from osmbridge.match.fingerprint import city_fingerprint, osm_fingerprint
from osmbridge.match.kinds import SAME, classify_all, type_key
from osmbridge.match.names import OSM_NAME_KEYS, NameComparer, normalize_name
from osmbridge.match.namesakes import with_namesakes
from osmbridge.match.refs import city_refs, osm_refs, ref_hits, refs_conflict, shared_ref_pairs
from osmbridge.match.results import Linked, build_matches
from osmbridge.match.rules import MatchRules
from osmbridge.match.score import (address_logit, attribute_logit, distance_logit, name_logit, name_weight,
                                   phone_logit)
from osmbridge.match.short_forms import learn_short_forms
from osmbridge.model import CityFeature, Match, MatchDecision, Note, OsmPlace


def match_places(
    city: Sequence[CityFeature],
    osm: Sequence[OsmPlace],
    rules: MatchRules = MatchRules(),
    decisions: Sequence[MatchDecision] = (),
) -> list[Match]:
    """Pair each city feature with at most one OSM place, explaining each link.

    Returns one Match per city feature, in input order (matched / ambiguous / city_only /
    duplicate), then one Match per OSM place of a type some city feature accepts that is left
    unlinked: "duplicate" when it is a twin of another OSM place, else "osm_only". OSM places
    offered as candidates of an ambiguous record are left out of the osm_only list: a person
    decides about them with the record.
    """
    # A run allocates millions of small objects around the caller's millions of OSM places; the
    # cyclic collector would walk them all again and again (a quarter of the time at 1M places)
    # while the engine makes no reference cycles. Reference counting still frees everything.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Run(city, osm, rules, decisions).matches()
    finally:
        if was_enabled:
            gc.enable()


class _Run:
    """State of one matching run; each method is one stage."""

    def __init__(
        self,
        city: Sequence[CityFeature],
        osm: Sequence[OsmPlace],
        rules: MatchRules,
        decisions: Sequence[MatchDecision],
    ) -> None:
        self.city, self.osm, self.rules = list(city), list(osm), rules
        m = len(self.osm)
        keys = [type_key(feature) for feature in self.city]
        unique = list(dict.fromkeys(keys))
        position = {k: g for g, k in enumerate(unique)}
        self.type_group = np.array([position[k] for k in keys], dtype=np.int64)
        self.type_table, self.osm_kind = classify_all(unique, self.osm)
        self.accepted = self.type_table.max(axis=0) > 0 if len(unique) else np.zeros(m, dtype=bool)
        self.city_geoms = np.array([feature.geometry for feature in self.city], dtype=object)
        self.osm_geoms = np.array([place.geometry for place in self.osm], dtype=object)
        # A record without a position can still be linked by its ref or by a person.
        self.city_located, self.osm_located = located(self.city_geoms), located(self.osm_geoms)
        self.frame = metric_frame(self.city_geoms, self.osm_geoms)
        self.match_distance_m = np.array([max(feature.match_distance_m, 1.0) for feature in self.city])
        self.city_names = [normalize_name(f.name) if f.name and f.name.strip() else None for f in self.city]
        self.city_refs = [city_refs(feature, rules.extra_ref_keys) for feature in self.city]
        used_keys = {key for refs in self.city_refs for key in refs}
        self.osm_refs = osm_refs(self.osm, used_keys)
        self.decided = self._resolve(decisions)
        self.linked: dict[int, Linked] = {}
        self.osm_taken = np.zeros(m, dtype=bool)
        self._osm_name_cache: dict[int, list[str]] = {}
        self.names = NameComparer()
        # How many records of each side bear each name (filled with the name evidence).
        self.city_name_counts: Counter[str] = Counter()
        self.osm_name_counts: Counter[str] = Counter()
        self.notes: dict[int, list[Note]] = {i: list(v) for i, v in self.decided.notes.items()}

    # --- stage 0: decisions ---------------------------------------------------------------

    def _resolve(self, decisions: Sequence[MatchDecision]) -> ResolvedDecisions:
        """Return the decisions that still hold."""
        if not decisions:
            return ResolvedDecisions()
        city_index = {(f.place.dataset, f.source_id): i for i, f in enumerate(self.city)}
        accepted_index = {self.osm[j].key: j for j in np.flatnonzero(self.accepted).tolist()}
        return resolve_decisions(
            decisions,
            city_index,
            accepted_index,
            lambda i: city_fingerprint(self.city[i]),
            lambda j: osm_fingerprint(self.osm[j]),
            [f.source_id for f in self.city],
        )

    def _apply_decisions(self) -> None:
        """Link the pairs a person confirmed."""
        for i, j in self.decided.same.items():
            self.linked[i] = Linked(j, "decision", note_key="decision_same", note_values={"by": self.decided.by[i]})
            self.osm_taken[j] = True

    # --- stage 1: refs --------------------------------------------------------------------

    def _join_refs(self) -> None:
        """Link city features to the OSM places sharing their ref (own ref tag, or a well-known key)."""
        hits = ref_hits(self.city_refs, self.osm_refs)
        for i, found in hits.items():
            if i in self.linked or i in self.decided.no_counterpart:
                continue
            feature = self.city[i]
            usable = [
                hit
                for hit in found
                if (i, hit.osm) not in self.decided.not_same
                and not self.osm_taken[hit.osm]
                and (hit.key == feature.ref_tag or self.type_table[self.type_group[i], hit.osm] > 0)
            ]
            if not usable:
                continue
            distances = geodesic_distances_m(
                np.array([feature.geometry] * len(usable), dtype=object),
                self.osm_geoms[[hit.osm for hit in usable]],
            )
            best = min(
                range(len(usable)),
                key=lambda n: (
                    usable[n].key != feature.ref_tag,
                    -int(self.type_table[self.type_group[i], usable[n].osm]),
                    np.nan_to_num(distances[n], nan=np.inf),
                ),
            )
            hit = usable[best]
            distance = None if np.isnan(distances[best]) else float(distances[best])
            self.linked[i] = Linked(hit.osm, "ref", ref=hit, distance_m=distance)
            self.osm_taken[hit.osm] = True

    def _learn_short_forms(self) -> dict[str, tuple[str, ...]]:
        """Return the short forms this dataset uses, as its pairs linked by ref or by a person show them."""
        pairs = []
        for i, link in self.linked.items():
            city_name, osm_names = self.city_names[i], self.osm_names_of(link.osm)
            if city_name and osm_names and city_name != osm_names[0]:
                pairs.append((city_name, osm_names[0]))
        return learn_short_forms(pairs)

    # --- stage 2: duplicates --------------------------------------------------------------

    def _find_twins(self) -> tuple[Twins, Twins]:
        """Return same-side duplicates among city features and among accepted OSM places."""
        rules = self.rules
        city_kinds = self.type_group.copy()
        # A record's own id (its ref tag) differs from every other record's by definition: only
        # register keys (UAI, FINESS...) tell two city records apart or together.
        register_refs = [
            {key: values for key, values in refs.items() if key != feature.ref_tag}
            for feature, refs in zip(self.city, self.city_refs)
        ]
        city_pairs = shared_ref_pairs(register_refs, [True] * len(self.city))
        city_twins = find_twins(
            self.city_geoms,
            city_kinds,
            self.city_names.__getitem__,
            np.array([name is not None for name in self.city_names], dtype=bool),
            register_refs,
            self.city_located,
            _pair_arrays(city_pairs),
            rules,
            self.frame,
        )
        osm_kinds = np.where(self.accepted, self.osm_kind, -1)

        def osm_name(j: int) -> str | None:
            names = self.osm_names_of(j)
            return names[0] if names and (self.osm[j].tags.get("name") or "").strip() else None

        refs = [self.osm_refs.get(j, {}) for j in range(len(self.osm))]
        osm_pairs = shared_ref_pairs(refs, self.accepted.tolist())
        osm_twins = find_twins(
            self.osm_geoms,
            osm_kinds,
            osm_name,
            np.array([bool((place.tags.get("name") or "").strip()) for place in self.osm], dtype=bool),
            refs,
            self.accepted & self.osm_located,
            _pair_arrays(osm_pairs),
            rules,
            self.frame,
        )
        return city_twins, osm_twins

    # --- stages 3-5: candidates and scores ------------------------------------------------

    def _candidates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Return candidate pairs (city, osm, log-odds) and their evidence arrays."""
        rules = self.rules
        free_city = self.city_located & np.array(
            [i not in self.linked and i not in self.decided.no_counterpart for i in range(len(self.city))], dtype=bool
        )
        free_osm = self.accepted & ~self.osm_taken & self.osm_located
        # One block per type group: its free city features against the free OSM places it accepts.
        blocks = [
            (np.flatnonzero(free_city & (self.type_group == g)), np.flatnonzero(free_osm & (row > 0)))
            for g, row in enumerate(self.type_table)
        ]
        radius = self.match_distance_m * rules.search_factor
        pairs = find_candidates(self.city_geoms, self.osm_geoms, radius, blocks, self.frame)
        ci, oj, distance = pairs.city, pairs.osm, pairs.distance_m
        kind = self.type_table[self.type_group[ci], oj] if len(ci) else np.zeros(0, np.int8)
        keep = kind > 0
        if self.decided.not_same:
            keep &= np.array([(i, j) not in self.decided.not_same for i, j in zip(ci.tolist(), oj.tolist())], bool)
        ci, oj, distance, kind = ci[keep], oj[keep], distance[keep], kind[keep]
        if self.osm_refs:
            conflict = np.array(
                [
                    j in self.osm_refs and bool(self.city_refs[i])
                    and refs_conflict(self.city_refs[i], self.osm_refs[j])
                    for i, j in zip(ci.tolist(), oj.tolist())
                ],
                dtype=bool,
            )
            ci, oj, distance, kind = ci[~conflict], oj[~conflict], distance[~conflict], kind[~conflict]
        similarity, weight, unnamed_in_osm = self._name_evidence(ci, oj)
        address, phone, attributes = self._contact_evidence(ci, oj)
        # Alone within the search radius, and where chance puts few places of its kind that close.
        lone = np.bincount(ci, minlength=len(self.city))[ci] == 1 if len(ci) else np.zeros(0, bool)
        expected = expected_within(self._density(blocks)[ci], distance)
        # Only a name can be outweighed so: an unnamed place is never linked on its position alone.
        isolated = lone & (expected <= rules.isolated_expected) & ~np.isnan(similarity)
        names = name_logit(similarity, weight)
        logit = (
            distance_logit(distance, self.match_distance_m[ci], rules, lone)
            + np.where(isolated, np.maximum(names, rules.isolated_name_floor) + rules.isolated_logit, names)
            + np.where(kind == SAME, 0.0, rules.compatible_type_logit)
            + np.where(unnamed_in_osm, rules.unnamed_in_osm_logit, 0.0)
            + address_logit(address, rules)
            + phone_logit(phone, rules)
            + attribute_logit(attributes, rules)
        )
        plausible = logit >= rules.weak_logit
        evidence = {"distance": distance, "similarity": similarity, "kind": kind, "address": address, "phone": phone,
                    "lone": lone, "isolated": isolated, "expected": expected,
                    "name_logit": names}
        ci, oj, logit = ci[plausible], oj[plausible], logit[plausible]
        evidence = {key: value[plausible] for key, value in evidence.items()}
        # Keep each city feature's best few: enough for every realistic alternative.
        order = np.lexsort((-logit, ci))
        rank = np.arange(len(order)) - np.searchsorted(ci[order], ci[order], side="left")
        top = order[rank < rules.max_candidates]
        return ci[top], oj[top], logit[top], {key: value[top] for key, value in evidence.items()}

    def _density(self, blocks: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Return, per city feature, the density (per m²) of other places of the types it accepts around it."""
        density = np.zeros(len(self.city))
        city_xy, osm_xy = local_xy_m(self.city_geoms), local_xy_m(self.osm_geoms)
        for city_idx, osm_idx in blocks:
            if len(city_idx) == 0:
                continue
            radius = float(self.match_distance_m[city_idx].max()) * self.rules.context_factor
            density[city_idx] = places_per_m2(city_xy[city_idx], osm_xy[osm_idx], radius)
        return density

    def _name_evidence(self, ci: np.ndarray, oj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return per pair the best name similarity (NaN when a name is missing), its weight, and
        whether the city names the place while the OSM place has no name."""
        city_counts = self.city_name_counts = Counter(name for name in self.city_names if name)
        osm_counts = self.osm_name_counts = Counter(
            place.tags["name"].casefold() for place, ok in zip(self.osm, self.accepted) if ok and "name" in place.tags
        )
        similarity = np.full(len(ci), np.nan)
        weight = np.ones(len(ci))
        unnamed_in_osm = np.zeros(len(ci), dtype=bool)
        city_named = np.array([name is not None for name in self.city_names], dtype=bool)
        # An unnamed city feature (a rack) has no name evidence: only its named pairs are visited.
        for n in np.flatnonzero(city_named[ci]).tolist():
            i, j = int(ci[n]), int(oj[n])
            city_name = self.city_names[i] or ""
            names = self.osm_names_of(j)
            if not names:
                unnamed_in_osm[n] = True
                continue
            similarity[n] = max(self.names.similarity(city_name, name) for name in names)
            raw = self.osm[j].tags.get("name", "").casefold()
            weight[n] = name_weight(max(city_counts[city_name], osm_counts.get(raw, 1)))
        return similarity, weight, unnamed_in_osm

    def osm_names_of(self, j: int) -> list[str]:
        """Return the normalised names of OSM place j ("name" first when present), computed once per run."""
        names = self._osm_name_cache.get(j)
        if names is None:
            names = self._osm_name_cache[j] = _osm_names(self.osm[j])
        return names

    def _contact_evidence(self, ci: np.ndarray, oj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return per pair address codes (2 agree, 1 street, -1 disagree, -2 another town, 0 unknown), phone codes and
        net attribute agreement."""
        address = np.zeros(len(ci), dtype=np.int8)
        phone = np.zeros(len(ci), dtype=np.int8)
        attributes = np.zeros(len(ci), dtype=np.int8)
        keys = [attribute_keys(f.field_of_tag, f.ref_tag) for f in self.city]
        city_attributes = np.array([bool(k) for k in keys], dtype=bool)
        for n in np.flatnonzero(city_attributes[ci]).tolist():
            attributes[n] = attribute_agreement(self.city[ci[n]].tags, self.osm[oj[n]].tags, keys[ci[n]])
        city_street = np.array(["addr:street" in f.tags for f in self.city], dtype=bool)
        city_phone = np.array(["phone" in f.tags or "contact:phone" in f.tags for f in self.city], dtype=bool)
        codes = {"agree": 2, "street": 1, "disagree": -1, "elsewhere": -2, None: 0}
        for n in np.flatnonzero(city_street[ci] | city_phone[ci]).tolist():
            city_tags, osm_tags = self.city[ci[n]].tags, self.osm[oj[n]].tags
            if city_street[ci[n]] and "addr:street" in osm_tags:
                address[n] = codes[address_agreement(city_tags, osm_tags)]
            if city_phone[ci[n]]:
                agrees = phone_agreement(city_tags, osm_tags)
                phone[n] = 0 if agrees is None else (1 if agrees else -1)
        return address, phone, attributes

    # --- run ------------------------------------------------------------------------------

    def matches(self) -> list[Match]:
        """Run every stage and return the matches."""
        self._apply_decisions()
        self._join_refs()
        self.names = NameComparer(self._learn_short_forms())
        city_twins, osm_twins = self._find_twins()
        ci, oj, logit, evidence = self._candidates()
        city_twins = with_namesakes(self, city_twins, ci, oj, city_side=True)
        osm_twins = with_namesakes(self, osm_twins, ci, oj, city_side=False)
        result: Assignment = assign(
            len(self.city), len(self.osm), ci, oj, logit - self.rules.min_logit, city_twins.group, osm_twins.group)
        return build_matches(self, ci, oj, logit, evidence, result, city_twins, osm_twins)


def _osm_names(place: OsmPlace) -> list[str]:
    """Return the normalised names an OSM place goes by."""
    names = []
    for key in OSM_NAME_KEYS:
        for value in (place.tags.get(key) or "").split(";"):
            if value.strip():
                names.append(normalize_name(value))
    return names


def _pair_arrays(pairs: list[tuple[int, int, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and second records of (a, b, key, value) pairs as arrays."""
    return (
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
    )

