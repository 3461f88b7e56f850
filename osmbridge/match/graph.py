"""Connected components and exact assignments of small candidate graphs, without loading scipy.

Most candidate graphs fall apart into tiny components (a record, its two or three candidates). For
those, a union-find and an exhaustive search over one component are exact and cheaper than a call
into scipy; scipy (whose import alone costs more than a small run) is loaded only for the graphs
that need it: many edges, or a component too large to search.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# Graphs with at most this many edges get their components from the union-find below.
SMALL_GRAPH_EDGES = 4096
# A component is searched exhaustively when each side has at most this many members.
SEARCH_LIMIT = 7

Matrix = Sequence[Sequence[float]]  # weights[row][col], -inf where there is no edge


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return a component label per node 0..n-1 of the undirected graph with edges a[k]-b[k].

    Equal labels mean one component; a node without edges keeps a label of its own.
    """
    if len(a) > SMALL_GRAPH_EDGES:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
        return connected_components(graph, directed=False)[1].astype(np.int64)
    labels = np.arange(n, dtype=np.int64)
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for x, y in zip(a.tolist(), b.tolist()):
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    for x in list(parent):
        labels[x] = root(x)
    return labels


def searchable(rows: int, cols: int) -> bool:
    """Tell whether a component this size is searched exhaustively (else scipy solves it)."""
    return min(rows, cols) <= 1 or max(rows, cols) <= SEARCH_LIMIT


def best_assignment(weights: Matrix, forced_row: int = -1, forced_col: int = -1) -> tuple[float, list[int]]:
    """Return the largest total weight of a one-to-one assignment, and each row's column (-1 none).

    Only links of positive weight are worth making, except that `forced_row` must be linked (to
    some column with an edge) and `forced_col` must be taken (by some row with an edge), whatever
    their weight. Returns (-inf, []) when the constraint cannot be met.
    """
    n_rows = len(weights)
    n_cols = len(weights[0]) if n_rows else 0
    if n_cols > n_rows and n_rows:
        # Search over the smaller side: the transposed problem has the same optimum.
        transposed = [[weights[r][c] for r in range(n_rows)] for c in range(n_cols)]
        total, col_of = best_assignment(transposed, forced_row=forced_col, forced_col=forced_row)
        if not col_of:
            return total, []
        row_to_col = [-1] * n_rows
        for c, r in enumerate(col_of):
            if r >= 0:
                row_to_col[r] = c
        return total, row_to_col
    # states: columns taken (bitmask) -> (total, choices so far); rows visited in order.
    states: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    for r in range(n_rows):
        row = weights[r]
        following: dict[int, tuple[float, tuple[int, ...]]] = {}
        for used, (total, chosen) in states.items():
            options = [] if r == forced_row else [(used, total, -1)]
            for c in range(n_cols):
                w = row[c]
                if used >> c & 1 or w == -math.inf:
                    continue
                if w > 0 or r == forced_row or c == forced_col:
                    options.append((used | 1 << c, total + w, c))
            for mask, value, c in options:
                seen = following.get(mask)
                if seen is None or value > seen[0]:
                    following[mask] = (value, chosen + (c,))
        states = following
    best: tuple[float, tuple[int, ...]] | None = None
    for used, (total, chosen) in states.items():
        if forced_col >= 0 and not used >> forced_col & 1:
            continue
        if best is None or total > best[0]:
            best = (total, chosen)
    if best is None:
        return -math.inf, []
    return best[0], list(best[1])
