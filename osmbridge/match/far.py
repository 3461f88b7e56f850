"""Far same-name places: for a record with no candidate near it, the one place bearing its very name further out.

A city point put in the wrong block (a geocoded address, a digitising slip) may lie several hundred
metres from its place. Too far for a link, but when exactly one place of an accepted type bears the
record's very name within `review_factor` times its match distance, a person is shown it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from osmbridge.match.candidates import find_candidates
from osmbridge.match.refs import refs_conflict

if TYPE_CHECKING:
    from osmbridge.match.engine import _Run


def far_same_name(run: _Run, records: list[int], taken: np.ndarray, osm_group: np.ndarray
                  ) -> dict[int, tuple[int, float]]:
    """Return, for each of `records` (city indices), the one free OSM place with its name further out, and the distance.

    `taken` marks OSM places already linked or offered for review; places of one `osm_group` (twins,
    such as a named node and its named building) count as one.
    """
    wanted = np.array([i for i in records if run.city_names[i] and run.city_located[i]], dtype=np.int64)
    free = run.accepted & run.osm_located & ~taken
    if len(wanted) == 0 or not free.any():
        return {}
    groups = np.unique(run.type_group[wanted])
    blocks = [(wanted[run.type_group[wanted] == g], np.flatnonzero(free & (run.type_table[g] > 0))) for g in groups]
    radius = run.match_distance_m * run.rules.review_factor
    pairs = find_candidates(run.city_geoms, run.osm_geoms, radius, blocks, run.frame)
    found: dict[int, dict[int, tuple[int, float]]] = {}
    for i, j, distance in zip(pairs.city.tolist(), pairs.osm.tolist(), pairs.distance_m.tolist()):
        names = run.osm_names_of(j)
        if not names or run.city_names[i] not in names or (i, j) in run.decided.not_same:
            continue
        if j in run.osm_refs and run.city_refs[i] and refs_conflict(run.city_refs[i], run.osm_refs[j]):
            continue
        nearest = found.setdefault(i, {})
        group = int(osm_group[j])
        if group not in nearest or distance < nearest[group][1]:
            nearest[group] = (j, distance)
    return {i: next(iter(places.values())) for i, places in found.items() if len(places) == 1}
