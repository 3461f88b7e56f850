"""Ref-tag join: links by the dataset's own id tag or a well-known register key on both sides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from osmbridge.model import CityFeature, OsmPlace

Refs = Mapping[str, frozenset[str]]


def split_refs(value: str) -> frozenset[str]:
    """Return the refs of a tag value: OSM may hold several, separated by ';'."""
    return frozenset(part.strip() for part in value.split(";") if part.strip())


def city_refs(feature: CityFeature, extra_keys: Sequence[str]) -> dict[str, frozenset[str]]:
    """Return the link refs a city feature carries: its ref tag and any well-known key."""
    keys = ([feature.ref_tag] if feature.ref_tag else []) + [k for k in extra_keys if k != feature.ref_tag]
    refs = {}
    for key in keys:
        value = feature.tags.get(key)
        if value:
            refs[key] = split_refs(str(value))
    return refs


def osm_refs(osm: Sequence[OsmPlace], keys: set[str]) -> dict[int, dict[str, frozenset[str]]]:
    """Return, for each OSM place carrying any of the keys, its refs by key."""
    found: dict[int, dict[str, frozenset[str]]] = {}
    for key in sorted(keys):
        for j, place in enumerate(osm):
            value = place.tags.get(key)
            if value:
                found.setdefault(j, {})[key] = split_refs(value)
    return found


@dataclass(frozen=True, slots=True)
class RefHit:
    """An OSM place sharing a link ref with a city feature."""

    osm: int
    key: str
    value: str


def ref_hits(
    city_ref_list: Sequence[Refs], osm_ref_map: Mapping[int, Refs]
) -> dict[int, list[RefHit]]:
    """Return, for each city feature, the OSM places sharing one of its refs."""
    index: dict[tuple[str, str], list[int]] = {}
    for j, refs in osm_ref_map.items():
        for key, values in refs.items():
            for value in values:
                index.setdefault((key, value), []).append(j)
    hits: dict[int, list[RefHit]] = {}
    for i, refs in enumerate(city_ref_list):
        for key, values in refs.items():
            for value in sorted(values):
                for j in index.get((key, value), ()):
                    hits.setdefault(i, []).append(RefHit(j, key, value))
    return hits


def shared_ref_pairs(ref_list: Sequence[Refs], only: Sequence[bool]) -> list[tuple[int, int, str, str]]:
    """Return pairs of records on one side carrying the same ref value under the same key."""
    index: dict[tuple[str, str], list[int]] = {}
    for i, refs in enumerate(ref_list):
        if not only[i]:
            continue
        for key, values in refs.items():
            for value in values:
                index.setdefault((key, value), []).append(i)
    pairs = []
    for (key, value), members in index.items():
        for other in members[1:]:
            pairs.append((members[0], other, key, value))
    return pairs


def refs_conflict(a: Refs, b: Refs) -> bool:
    """Tell whether two records carry one link key with no value in common: two distinct places."""
    return any(key in b and not values & b[key] for key, values in a.items())
