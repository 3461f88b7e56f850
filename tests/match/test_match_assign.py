"""The one-to-one assignment against brute force on small random candidate graphs."""

from __future__ import annotations

import itertools
import random

import numpy as np

from osmbridge.match.assign import assign


def _best_total(n_city: int, n_osm: int, weights: dict[tuple[int, int], float], forbidden=None) -> float:
    """Return the best total positive weight of a one-to-one linking, by trying every linking."""
    best = 0.0
    slots = list(range(n_osm)) + [None] * n_city
    for choice in itertools.permutations(slots, n_city):
        total = 0.0
        for i, j in enumerate(choice):
            if j is None or (i, j) == forbidden:
                continue
            w = weights.get((i, j), 0.0)
            total += max(w, 0.0)
        best = max(best, total)
    return best


def test_assignment_is_optimal_and_one_to_one() -> None:
    rng = random.Random(5)
    exact: list[bool] = []
    for _ in range(150):
        n_city, n_osm = rng.randint(1, 4), rng.randint(1, 4)
        weights = {
            (i, j): rng.uniform(-2.0, 4.0) for i in range(n_city) for j in range(n_osm) if rng.random() < 0.7
        }
        city = np.array([i for i, _ in weights], dtype=np.int64)
        osm = np.array([j for _, j in weights], dtype=np.int64)
        w = np.array(list(weights.values()))
        result = assign(n_city, n_osm, city, osm, w, np.arange(n_city), np.arange(n_osm))
        linked = [(i, int(j)) for i, j in enumerate(result.osm_of_city) if j >= 0]
        assert len({j for _, j in linked}) == len(linked)
        assert all(weights[pair] > 0 for pair in linked)
        total = sum(weights[pair] for pair in linked)
        assert abs(total - _best_total(n_city, n_osm, weights)) < 1e-9
        # On small graphs the margin is exactly what the best alternative without the link loses
        # (capped by the link's own weight: giving the link up altogether).
        for i, j in linked:
            loss = total - _best_total(n_city, n_osm, weights, forbidden=(i, j))
            assert result.margin[i] >= loss - 1e-9
            exact.append(abs(min(result.margin[i], weights[(i, j)]) - loss) < 1e-9)
    assert all(exact)


def test_twins_are_no_rivals() -> None:
    city, osm = np.array([0, 0]), np.array([0, 1])
    weights = np.array([3.0, 2.9])
    plain = assign(1, 2, city, osm, weights, np.arange(1), np.arange(2))
    twins = assign(1, 2, city, osm, weights, np.arange(1), np.array([0, 0]))
    assert plain.margin[0] < 0.2 and plain.rival_osm[0] == 1
    assert twins.margin[0] == np.inf
