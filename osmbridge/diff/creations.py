"""Creations a careful mapper would make: a city place the matcher left without counterpart is
proposed for creation only when nothing in OSM says it is already there.

- An OSM object of the same kind and the same name and address anywhere in the area is the place
  itself, mapped elsewhere (or the city's position is off): a position disagreement, not a creation.
- An OSM object of the same kind (the feature's match tags) within the mapping's match distance
  may be the same place: a "possible duplicate" for review, naming the candidates.
- An OSM object the reader could not place (a multipolygon osmium could not assemble...) within
  that distance, or of the same name when its position is unknown: for review as well.

Distances are measured as the matcher measures them: STRtree search in a local metric projection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from osmbridge.diff.build import DiffContext, present
from osmbridge.diff.comparators import comparator_for
from osmbridge.diff.geometry import distance_m
from osmbridge.diff.ids import difference_id
from osmbridge.diff.notes import join_notes, note
from osmbridge.diff.pair import far_twin
from osmbridge.diff.region import pair_region
from osmbridge.match.candidates import find_candidates
from osmbridge.match.names import normalize_name
from osmbridge.model import CityFeature, Difference, DroppedOsmObject, OsmPlace

_ADDRESS_KEYS = ("addr:housenumber", "addr:street")


def guard_creations(ctx: DiffContext, creations: Sequence[tuple[CityFeature, Difference]],
                    osm: Sequence[OsmPlace], linked: frozenset[str],
                    dropped: Sequence[DroppedOsmObject] = ()) -> list[Difference]:
    """Return the creations that may stand, and in place of the others what a person must look at.

    `creations` pairs each city-only feature with its missing_in_osm difference; `linked` holds
    the OSM keys matched to some city place (a twin already linked elsewhere is only a candidate).
    """
    if not creations:
        return []
    twins = _twins(ctx, creations, osm, linked)
    nearby = _within_match_distance([f for f, _ in creations], [p.geometry for p in osm],
                                    lambda f, j: _same_kind(f, osm[j].tags))
    placed = [d for d in dropped if d.geometry is not None]
    near_dropped = _within_match_distance([f for f, _ in creations], [d.geometry for d in placed],
                                          lambda f, j: True)
    unplaced_names: dict[str, list[DroppedOsmObject]] = defaultdict(list)
    for item in dropped:
        if item.geometry is None and present(item.tags.get("name")):
            unplaced_names[normalize_name(item.tags["name"])].append(item)
    out: list[Difference] = []
    for index, (feature, creation) in enumerate(creations):
        twin = twins.get(index)
        if twin is not None:
            out.append(far_twin(ctx, feature, twin))
            continue
        candidates: list[tuple[str, float | None]] = [(osm[j].key, metres) for j, metres in nearby.get(index, [])]
        candidates += [(placed[j].key, metres) for j, metres in near_dropped.get(index, [])]
        if feature.name:
            candidates += [(d.key, None) for d in unplaced_names.get(normalize_name(feature.name), [])
                           if _same_kind(feature, d.tags)]
        if not candidates:
            out.append(creation)
            continue
        out.append(_possible_duplicate(ctx, creation, candidates, {d.key: d for d in dropped}))
    return out


def _possible_duplicate(ctx: DiffContext, creation: Difference, candidates: list[tuple[str, float | None]],
                        dropped: Mapping[str, DroppedOsmObject]) -> Difference:
    """Return the creation turned into a review item naming the OSM objects it may duplicate."""
    ordered = sorted(set(candidates), key=lambda c: (c[1] is None, c[1] or 0.0, c[0]))
    keys = ", ".join(key for key, _ in ordered)
    notes = [note("possible_duplicate", candidates=", ".join(
        f"{key} ({metres:.0f} m)" if metres is not None else key for key, metres in ordered))]
    notes += [note("near_dropped", key=key, reason=dropped[key].reason) for key, _ in ordered if key in dropped]
    return replace(creation, proposal="review", osm_value=keys,
                   id=difference_id(ctx.dataset, creation.source_id, None, None, creation.id, keys, creation.kind),
                   note=join_notes(*notes, creation.note))


def _same_kind(feature: CityFeature, tags: Mapping[str, str]) -> bool:
    return any(key in tags and (value == "*" or tags[key] == value) for key, value in feature.match_tags)


def _within_match_distance(features: Sequence[CityFeature], geometries: Sequence[object],
                           keep: object) -> dict[int, list[tuple[int, float]]]:
    """Return, per feature index, the (geometry index, metres) within its match distance that `keep` accepts."""
    if not features or not geometries:
        return {}
    city = np.array([f.geometry for f in features], dtype=object)
    other = np.array(list(geometries), dtype=object)
    radius = np.array([f.match_distance_m for f in features], dtype=float)
    pairs = find_candidates(city, other, radius)
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, j, metres in zip(pairs.city.tolist(), pairs.osm.tolist(), pairs.distance_m.tolist()):
        if keep(features[i], j):  # type: ignore[operator]
            found[i].append((j, float(metres)))
    return found


def _twins(ctx: DiffContext, creations: Sequence[tuple[CityFeature, Difference]], osm: Sequence[OsmPlace],
           linked: frozenset[str]) -> dict[int, OsmPlace]:
    """Return, per creation index, the unlinked OSM place of the same kind, name and address."""
    by_name: dict[str, list[OsmPlace]] = defaultdict(list)
    for place in osm:
        name = present(place.tags.get("name"))
        if name and place.key not in linked and all(present(place.tags.get(k)) for k in _ADDRESS_KEYS):
            by_name[normalize_name(name)].append(place)
    twins: dict[int, OsmPlace] = {}
    for index, (feature, _) in enumerate(creations):
        name = feature.name or present(feature.tags.get("name"))
        if not name or not all(present(feature.tags.get(k)) for k in _ADDRESS_KEYS):
            continue
        same = [place for place in by_name.get(normalize_name(name), [])
                if _same_kind(feature, place.tags) and _same_address(ctx, feature, place)]
        if same:
            twins[index] = min(same, key=lambda place: (distance_m(feature.geometry, place.geometry), place.key))
    return twins


def _same_address(ctx: DiffContext, feature: CityFeature, place: OsmPlace) -> bool:
    region = pair_region(feature.tags, place.tags, ctx.region)
    keys = [*_ADDRESS_KEYS, *(k for k in ("addr:postcode", "addr:city")
                              if present(feature.tags.get(k)) and present(place.tags.get(k)))]
    return all(comparator_for(key).compare(feature.tags[key], place.tags[key], region).verdict != "differs"
               for key in keys)
