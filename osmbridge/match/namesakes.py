"""Namesakes: two places (or two records) a person takes for one, mapped or listed twice.

Two candidates of one city record of the same kind and bearing a name that nothing else bears (a
named node and its named building 40 m apart), or two city records of one OSM candidate doing the
same: too far apart to be twins, but choosing between them is no ambiguity. They join the twins of
their side: neither is the other's rival, and the one left over is reported as a duplicate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from osmbridge.match.candidates import geodesic_distances_m
from osmbridge.match.duplicates import Twins
from osmbridge.match.graph import components

if TYPE_CHECKING:
    from osmbridge.match.engine import _Run

# A name borne by at most this many records of a side (the pair itself) is a name nothing else bears.
_RARE = 2


def with_namesakes(run: _Run, twins: Twins, ci: np.ndarray, oj: np.ndarray, city_side: bool) -> Twins:
    """Return the twins of one side (city or OSM) plus its namesakes among the candidate pairs (ci, oj)."""
    own, other = (ci, oj) if city_side else (oj, ci)
    first: list[int] = []
    second: list[int] = []
    seen: dict[tuple[int, str, int], int] = {}
    known = set(zip(twins.first.tolist(), twins.second.tolist(), strict=True))
    for a, b in zip(own.tolist(), other.tolist(), strict=True):
        name, kind = _rare_name(run, a, city_side)
        if name is None:
            continue
        x = seen.setdefault((b, name, kind), a)
        pair = (min(x, a), max(x, a))
        if x != a and pair not in known:
            known.add(pair)
            first.append(pair[0])
            second.append(pair[1])
    if not first:
        return twins
    a_all = np.concatenate((twins.first, np.array(first, dtype=np.int64)))
    b_all = np.concatenate((twins.second, np.array(second, dtype=np.int64)))
    geoms = run.city_geoms if city_side else run.osm_geoms
    distance = geodesic_distances_m(geoms[first], geoms[second])
    similarity = np.concatenate((twins.name_similarity, np.full(len(first), 100.0)))
    return Twins(a_all, b_all, np.concatenate((twins.distance_m, distance)), similarity,
                 components(len(twins.group), a_all, b_all))


def _rare_name(run: _Run, index: int, city_side: bool) -> tuple[str | None, int]:
    """Return a record's normalised name and kind when no more than two records of its side bear the name."""
    if city_side:
        name = run.city_names[index]
        rare = name is not None and run.city_name_counts[name] <= _RARE
        return (name if rare else None), int(run.type_group[index])
    raw = (run.osm[index].tags.get("name") or "").casefold()
    names = run.osm_names_of(index)
    rare = bool(raw) and bool(names) and run.osm_name_counts.get(raw, 0) <= _RARE
    return (names[0] if rare else None), int(run.osm_kind[index])
