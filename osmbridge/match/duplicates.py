"""Same-side duplicates: two records on one side for one place (same type, on top of each other,
same name), found before matching so that they are reported rather than silently linked."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from osmbridge.match.candidates import Frame, find_candidates
from osmbridge.match.graph import components
from osmbridge.match.names import similarity_of_normalized
from osmbridge.match.rules import MatchRules

# Below this letter-level similarity two names cannot become 90 % alike, even once a word cut short
# ("Bibli." / "Bibliothèque") is read whole.
_BOUND_FOR_REVIEW = 50.0


@dataclass(frozen=True, slots=True)
class Twins:
    """Pairs of same-side duplicates, and a group id per record (twins share one)."""

    first: np.ndarray
    second: np.ndarray
    distance_m: np.ndarray
    name_similarity: np.ndarray  # NaN when a name is missing
    group: np.ndarray

    def twin_of(self) -> dict[int, list[int]]:
        """Return each record's twins."""
        twins: dict[int, list[int]] = {}
        for a, b in zip(self.first.tolist(), self.second.tolist()):
            twins.setdefault(a, []).append(b)
            twins.setdefault(b, []).append(a)
        return twins


def _conflicting_refs(a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]]) -> bool:
    """Tell whether both records carry a link key with no value in common (two distinct places)."""
    return any(key in b and not values & b[key] for key, values in a.items())


def find_twins(
    geoms: np.ndarray,
    kinds: np.ndarray,
    name_of: Callable[[int], str | None],
    named: np.ndarray,
    refs: Sequence[Mapping[str, frozenset[str]]],
    considered: np.ndarray,
    extra_pairs: tuple[np.ndarray, np.ndarray],
    rules: MatchRules,
    frame: Frame | None = None,
) -> Twins:
    """Return the duplicates among the `considered` records.

    Twins have the same kind (int label per record), are within duplicate_distance_m with names at
    least duplicate_name_similarity alike (`name_of` gives a record's normalised name, asked only for
    records close to another of their kind; `named` says beforehand which have a name), or within
    duplicate_unnamed_distance_m when a name is missing, and carry no conflicting link ref.
    `extra_pairs` (records sharing a link ref) are twins whatever their distance.
    """
    n = len(geoms)
    index = np.flatnonzero(considered)
    order = index[np.argsort(kinds[index], kind="stable")]
    bounds = np.flatnonzero(np.diff(kinds[order])) + 1
    blocks = [(members, members) for members in np.split(order, bounds) if len(members) > 1]
    # Unnamed records (racks, benches) only pair when on top of each other: search them that
    # far only, so a dense field of racks costs no more than a sparse one.
    radius = np.where(named, rules.duplicate_distance_m, rules.duplicate_unnamed_distance_m)
    pairs = find_candidates(geoms, geoms, radius, blocks, frame)
    a, b, distance = pairs.city, pairs.osm, pairs.distance_m
    keep = (a < b) & ((named[a] & named[b]) | (distance <= rules.duplicate_unnamed_distance_m))
    a, b, distance = a[keep], b[keep], distance[keep]
    # Named pairs: a quick letter-level bound first (in rapidfuzz's C++), the full comparison
    # only for the pairs that may reach the threshold.
    both_named = named[a] & named[b]
    promising = np.zeros(len(a), dtype=bool)
    if both_named.any():
        index_named = np.flatnonzero(both_named)
        left = [name_of(x) or "" for x in a[index_named].tolist()]
        right = [name_of(y) or "" for y in b[index_named].tolist()]
        bound = np.max(
            [process.cpdist(left, right, scorer=scorer) for scorer in (fuzz.ratio, fuzz.token_set_ratio)], axis=0
        )
        promising[index_named] = bound >= _BOUND_FOR_REVIEW
    keep = promising | (~both_named & (distance <= rules.duplicate_unnamed_distance_m))
    a, b, distance = a[keep], b[keep], distance[keep]
    first, second, dist, sims = [], [], [], []
    for x, y, d in zip(a.tolist(), b.tolist(), distance.tolist()):
        name_x, name_y = name_of(x), name_of(y)
        if name_x and name_y:
            similarity = similarity_of_normalized(name_x, name_y)
            if similarity < rules.duplicate_name_similarity:
                continue
        else:
            similarity = float("nan")
            if d > rules.duplicate_unnamed_distance_m:
                continue
        if _conflicting_refs(refs[x], refs[y]):
            continue
        first.append(x)
        second.append(y)
        dist.append(d)
        sims.append(similarity)
    extra_a, extra_b = extra_pairs
    seen = set(zip(first, second))
    for x, y in zip(extra_a.tolist(), extra_b.tolist()):
        x, y = min(x, y), max(x, y)
        if x != y and (x, y) not in seen:
            seen.add((x, y))
            first.append(x)
            second.append(y)
            dist.append(float("nan"))
            sims.append(float("nan"))
    first_a, second_a = np.array(first, dtype=np.int64), np.array(second, dtype=np.int64)
    return Twins(first_a, second_a, np.array(dist), np.array(sims), components(n, first_a, second_a))
