"""Global one-to-one assignment of city features to OSM places, and how contested each link is.

The links maximise the total log-odds over the whole candidate graph (an optimal bipartite
matching, not nearest-first), so a place near two others goes to the one that leaves the rest
best placed. Each link's margin is how much total log-odds the best alternative loses: taking
another candidate, swapping with a neighbour, or leaving the place to another city record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from osmbridge.match.graph import SMALL_GRAPH_EDGES, best_assignment, components, searchable

# Components up to this many records are re-solved exactly for each link's margin; larger ones
# (dense fields of racks) keep the local estimate.
_EXACT_COMPONENT_NODES = 60


@dataclass(frozen=True, slots=True)
class Assignment:
    """Per city feature: linked OSM index (-1 none), margin, and the closest rival link."""

    osm_of_city: np.ndarray
    margin: np.ndarray  # inf when no alternative exists
    rival_osm: np.ndarray  # the other OSM place the city feature could take (-1)
    rival_city: np.ndarray  # the other city feature that could take this OSM place (-1)


def _max_weight_matching(n_city: int, n_osm: int, city: np.ndarray, osm: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Return the OSM index linked to each city (-1 none), maximising the sum of positive weights.

    Solved as a min-cost full matching of a square graph where every city may instead take its own
    "unmatched" slot and every OSM place its own: the sparse LAPJV solver handles the whole
    candidate graph at once, without a Python loop per connected component.
    """
    result = np.full(n_city, -1, dtype=np.int64)
    positive = weight > 0
    city, osm, weight = city[positive], osm[positive], weight[positive]
    if len(city) == 0:
        return result
    if len(city) <= SMALL_GRAPH_EDGES and _match_by_component(n_city, city, osm, weight, result):
        return result
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    cities, city_local = np.unique(city, return_inverse=True)
    places, osm_local = np.unique(osm, return_inverse=True)
    n_c, n_o = len(cities), len(places)
    base = float(weight.max()) + 1.0  # all costs positive: explicit zeros would read as no edge
    rows = np.concatenate((city_local, np.arange(n_c), n_c + np.arange(n_o), n_c + osm_local))
    cols = np.concatenate((osm_local, n_o + np.arange(n_c), np.arange(n_o), n_o + city_local))
    cost = np.concatenate((base - weight, np.full(n_c + n_o + len(city), base)))
    graph = coo_matrix((cost, (rows, cols)), shape=(n_c + n_o, n_o + n_c)).tocsr()
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = (row_ind < n_c) & (col_ind < n_o)
    result[cities[row_ind[real]]] = places[col_ind[real]]
    return result


def _match_by_component(n_city: int, city: np.ndarray, osm: np.ndarray, weight: np.ndarray,
                        result: np.ndarray) -> bool:
    """Fill `result` component by component with exhaustive searches; False when one is too large."""
    parts = []
    for edges in _component_edges(n_city, city, osm):
        cities, places, matrix = _dense(city[edges].tolist(), osm[edges].tolist(), weight[edges].tolist())
        if not searchable(len(cities), len(places)):
            return False
        parts.append((cities, places, matrix))
    for cities, places, matrix in parts:
        _, col_of = best_assignment(matrix)
        for r, c in enumerate(col_of):
            if c >= 0:
                result[cities[r]] = places[c]
    return True


def _component_edges(n_city: int, city: np.ndarray, osm: np.ndarray) -> list[np.ndarray]:
    """Return the edge indices of each connected component of the candidate graph."""
    label = components(n_city + int(osm.max()) + 1, city, n_city + osm)[city]  # OSM nodes after the cities
    order = np.argsort(label, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(label[order])) + 1)


def _dense(cities: list[int], places: list[int], weights: list[float]
           ) -> tuple[list[int], list[int], list[list[float]]]:
    """Return a component's cities, places and weight matrix (-inf where no candidate pair)."""
    rows = sorted(set(cities))
    cols = sorted(set(places))
    row_of = {c: r for r, c in enumerate(rows)}
    col_of = {o: q for q, o in enumerate(cols)}
    matrix = [[-math.inf] * len(cols) for _ in rows]
    for c, o, w in zip(cities, places, weights):
        matrix[row_of[c]][col_of[o]] = w
    return rows, cols, matrix


def _group_max(groups: np.ndarray, values: np.ndarray, labels: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return per group the largest value (-inf when none) and the label that reached it (-1)."""
    best = np.full(size, -np.inf)
    label = np.full(size, -1, dtype=np.int64)
    if len(groups) == 0:
        return best, label
    order = np.lexsort((values, groups))  # by group, then value ascending: the last one wins
    best[groups[order]] = values[order]
    label[groups[order]] = labels[order]
    return best, label


def assign(
    n_city: int,
    n_osm: int,
    city: np.ndarray,
    osm: np.ndarray,
    weight: np.ndarray,
    city_group: np.ndarray,
    osm_group: np.ndarray,
) -> Assignment:
    """Link city features to OSM places one-to-one and measure each link's margin.

    `weight` is each candidate pair's log-odds minus the minimum a link needs (> 0 to link).
    `city_group` / `osm_group` give twins (same-side duplicates) the same id: a twin is never a
    rival, since choosing between twins changes nothing for the other side.
    """
    osm_of_city = _max_weight_matching(n_city, n_osm, city, osm, weight)
    city_of_osm = np.full(n_osm, -1, dtype=np.int64)
    linked = np.flatnonzero(osm_of_city >= 0)
    city_of_osm[osm_of_city[linked]] = linked
    linked_weight = np.full(n_city, np.nan)
    if len(city):
        keys = city * n_osm + osm
        order = np.argsort(keys)
        sorted_keys, sorted_weight = keys[order], weight[order]

        def weight_of(c: np.ndarray, o: np.ndarray) -> np.ndarray:
            wanted = c * n_osm + o
            pos = np.clip(np.searchsorted(sorted_keys, wanted), 0, len(sorted_keys) - 1)
            return np.where((sorted_keys[pos] == wanted) & (c >= 0) & (o >= 0), sorted_weight[pos], -np.inf)

        linked_weight[linked] = weight_of(linked, osm_of_city[linked])
    # Best weight each city could get from a still-free OSM place (for chains of moves).
    free = city_of_osm[osm] < 0
    best_free, _ = _group_max(city[free], weight[free], osm[free], n_city)
    best_free = np.maximum(best_free, 0.0)

    # 1) The city takes another candidate k (free, or taken from its owner, who then moves to
    #    a free place, gives up, or swaps into the city's current place).
    mine = osm_of_city[city]
    own = (mine >= 0) & (osm != mine)
    own &= osm_group[osm] != np.where(mine >= 0, osm_group[np.maximum(mine, 0)], -1)
    c, k, w = city[own], osm[own], weight[own]
    owner = city_of_osm[k]
    j = osm_of_city[c]
    delta = np.where(
        owner < 0,
        w - linked_weight[c],
        np.maximum(
            w - linked_weight[c] - linked_weight[np.maximum(owner, 0)] + best_free[np.maximum(owner, 0)],
            w + weight_of(owner, j) - linked_weight[c] - linked_weight[np.maximum(owner, 0)],
        )
        if len(c)
        else w,
    )
    best_move, rival_osm = _group_max(c, delta, k, n_city)

    # 2) Another city record i'' takes the linked place (leaving its own link, if any).
    held_by = city_of_osm[osm]
    other = (held_by >= 0) & (city != held_by)
    other &= city_group[city] != city_group[np.maximum(held_by, 0)]
    holder, challenger, w = held_by[other], city[other], weight[other]
    challenger_weight = np.nan_to_num(linked_weight[challenger], nan=0.0)
    delta = w - linked_weight[holder] - challenger_weight
    best_steal, rival_city = _group_max(holder, delta, challenger, n_city)

    best = np.maximum(best_move, best_steal)
    margin = np.where(osm_of_city >= 0, -best, np.inf)
    rival_osm = np.where(best_move >= best_steal, rival_osm, -1)
    rival_city = np.where(best_steal > best_move, rival_city, -1)
    _exact_margins(n_city, n_osm, city, osm, weight, osm_of_city, city_group, osm_group, margin, rival_osm, rival_city)
    return Assignment(osm_of_city, margin, rival_osm, rival_city)


def _exact_margins(
    n_city: int,
    n_osm: int,
    city: np.ndarray,
    osm: np.ndarray,
    weight: np.ndarray,
    osm_of_city: np.ndarray,
    city_group: np.ndarray,
    osm_group: np.ndarray,
    margin: np.ndarray,
    rival_osm: np.ndarray,
    rival_city: np.ndarray,
) -> None:
    """Replace the local margins by exact ones in small connected components (in place).

    For each link i-j, two alternatives are solved optimally: i linked elsewhere, or j linked to
    another city record (twins of either excluded). The margin is the total lost by the better.
    """
    if len(city) == 0 or not (osm_of_city >= 0).any():
        return
    for edges in _component_edges(n_city, city, osm):
        if len(edges) < 2:
            continue
        cities, places, matrix = _dense(city[edges].tolist(), osm[edges].tolist(), weight[edges].tolist())
        size = len(cities) + len(places)
        if size <= 2 or size > _EXACT_COMPONENT_NODES:
            continue
        col_of_place = {o: q for q, o in enumerate(places)}
        links = [(r, col_of_place[int(osm_of_city[c])]) for r, c in enumerate(cities) if osm_of_city[c] >= 0]
        if not links:
            continue
        total = sum(matrix[r][q] for r, q in links)
        row_groups = [int(city_group[c]) for c in cities]
        col_groups = [int(osm_group[o]) for o in places]
        search = searchable(len(cities), len(places))
        for r, q in links:
            # The same link, or one between the twins of either side, is no alternative.
            allowed = [
                [-math.inf if row_groups[rr] == row_groups[r] and col_groups[cc] == col_groups[q] else w
                 for cc, w in enumerate(row)]
                for rr, row in enumerate(matrix)
            ]
            if search:
                value_a, col_a = best_assignment(allowed, forced_row=r)
                other_place = col_a[r] if col_a else -1
                value_b, col_b = best_assignment(allowed, forced_col=q)
                other_city = next((rr for rr, cc in enumerate(col_b) if cc == q), -1)
            else:
                other_place, value_a = _best_with(np.array(allowed), row=r)
                other_city, value_b = _best_with(np.array(allowed), col=q)
            i = cities[r]
            margin[i] = total - max(value_a, value_b)
            if value_a >= value_b and other_place >= 0:
                rival_osm[i], rival_city[i] = places[other_place], -1
            elif other_city >= 0:
                rival_osm[i], rival_city[i] = -1, cities[other_city]


def _best_with(allowed: np.ndarray, row: int = -1, col: int = -1) -> tuple[int, float]:
    """Return the best total when `row` (or `col`) must be linked (-inf entries are no edge), and its partner.

    Links below zero are left out (an unlinked record counts 0) except for the forced one. For
    components too large to search exhaustively (scipy's assignment solver).
    """
    from scipy.optimize import linear_sum_assignment

    forced = allowed[row, :] if row >= 0 else allowed[:, col]
    if not np.isfinite(forced).any():
        return -1, -np.inf
    finite = np.isfinite(allowed)
    bonus = 1.0 + np.abs(allowed[finite]).sum()
    gains = np.where(finite, np.maximum(allowed, 0.0), 0.0)
    if row >= 0:
        gains[row, :] = np.where(finite[row, :], allowed[row, :] + bonus, -bonus)
    else:
        gains[:, col] = np.where(finite[:, col], allowed[:, col] + bonus, -bonus)
    # One "unlinked" column per row, so that every row may stay unlinked.
    padded = np.hstack((gains, np.where(np.eye(len(gains), dtype=bool), 0.0, -bonus)))
    if row >= 0:
        padded[row, gains.shape[1] :] = -bonus
    r, c = linear_sum_assignment(padded, maximize=True)
    chosen = dict(zip(r.tolist(), c.tolist()))
    if row >= 0:
        partner = chosen[row]
        value = padded[r, c].sum() - bonus
    else:
        partner = next((rr for rr, cc in chosen.items() if cc == col), -1)
        if partner < 0:
            return -1, -np.inf
        value = padded[r, c].sum() - bonus
    # Unforced links that lose are dropped from the total (they would simply not be made).
    return partner, float(value)
