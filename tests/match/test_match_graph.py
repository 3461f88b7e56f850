"""The small-graph solvers agree with scipy's on random graphs (values; partners when unique)."""

from __future__ import annotations

import math
import random

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from osmbridge.match.graph import best_assignment, components


def _random_matrix(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    return [[rng.uniform(-3, 5) if rng.random() < 0.6 else -math.inf for _ in range(cols)] for _ in range(rows)]


def _scipy_best(matrix: list[list[float]], forced_row: int = -1, forced_col: int = -1) -> float:
    """The optimum by scipy: only positive links count, except the forced one, which must be made."""
    a = np.array(matrix)
    rows, cols = a.shape
    big = 1e6
    gains = np.where(np.isfinite(a), np.maximum(a, 0.0), 0.0)
    # a link of no value and no edge: taking it costs `big`
    gains = np.where(np.isfinite(a), gains, -big)
    if forced_row >= 0:
        gains[forced_row] = np.where(np.isfinite(a[forced_row]), a[forced_row] + big, -big)
    if forced_col >= 0:
        gains[:, forced_col] = np.where(np.isfinite(a[:, forced_col]), a[:, forced_col] + big, -big)
    padded = np.hstack((gains, np.where(np.eye(rows, dtype=bool), 0.0, -2 * big)))
    if forced_row >= 0:
        padded[forced_row, cols:] = -2 * big
    r, c = linear_sum_assignment(padded, maximize=True)
    value = padded[r, c].sum()
    if forced_row >= 0 or forced_col >= 0:
        value -= big
    return float(value) if value > -big / 2 else -math.inf


def test_exhaustive_search_finds_the_optimum_scipy_finds() -> None:
    rng = random.Random(7)
    for _ in range(400):
        rows, cols = rng.randint(1, 6), rng.randint(1, 6)
        matrix = _random_matrix(rng, rows, cols)
        value, col_of = best_assignment(matrix)
        assert math.isclose(value, _scipy_best(matrix), abs_tol=1e-9)
        assert len(col_of) == rows
        taken = [c for c in col_of if c >= 0]
        assert len(taken) == len(set(taken))
        assert math.isclose(sum(matrix[r][c] for r, c in enumerate(col_of) if c >= 0), value, abs_tol=1e-9)
        forced_row, forced_col = rng.randrange(rows), rng.randrange(cols)
        value, col_of = best_assignment(matrix, forced_row=forced_row)
        expected = _scipy_best(matrix, forced_row=forced_row)
        assert value == expected or math.isclose(value, expected, abs_tol=1e-9)
        if col_of:
            assert col_of[forced_row] >= 0
        value, col_of = best_assignment(matrix, forced_col=forced_col)
        expected = _scipy_best(matrix, forced_col=forced_col)
        assert value == expected or math.isclose(value, expected, abs_tol=1e-9)
        if col_of:
            assert forced_col in col_of


def test_components_agree_with_scipy() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(1, 40))
        edges = int(rng.integers(0, 40))
        a, b = rng.integers(0, n, edges), rng.integers(0, n, edges)
        ours = components(n, a, b)
        theirs = connected_components(coo_matrix((np.ones(edges), (a, b)), shape=(n, n)), directed=False)[1]
        # Same partition: two nodes share a label in one iff they do in the other.
        assert (np.equal.outer(ours, ours) == np.equal.outer(theirs, theirs)).all()
