"""Headline counts of one run: totals, differences by kind/proposal/category, who should act."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from osmbridge.model import ChangedSide, DatasetResult, Difference, DiffKind, Proposal

KINDS: tuple[str, ...] = get_args(DiffKind)
PROPOSALS: tuple[str, ...] = get_args(Proposal)
SIDES: tuple[str, ...] = get_args(ChangedSide)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts shown at the top of the report."""

    totals: dict[str, int]  # count.* key suffix -> number
    by_proposal: dict[str, int]  # every proposal, zero included
    by_side: dict[str, int]  # changed side -> n, sides present only
    by_kind: list[tuple[str, dict[str, int], int]]  # kind, proposal -> n, total (kinds present only)
    by_category: list[tuple[str, dict[str, int], int]]  # category, proposal -> n, total
    proposals_present: list[str]


def summarise(result: DatasetResult) -> Summary:
    """Return the counts of one dataset's run."""
    diffs = result.differences
    statuses = Counter(match.status for match in result.matches)
    kinds = Counter(d.kind for d in diffs)
    totals = {
        "city_places": len(result.city),
        "osm_places": len(result.osm),
        "matched": statuses["matched"],
        "ambiguous": statuses["ambiguous"],
        "missing_in_osm": kinds["missing_in_osm"],
        "missing_in_city": kinds["missing_in_city"],
        "differences": len(diffs),
        "skipped": len(result.skipped),
    }
    by_proposal = {p: sum(1 for d in diffs if d.proposal == p) for p in PROPOSALS}
    present = [p for p in PROPOSALS if by_proposal[p]]

    def table(key_of: Callable[[Difference], str]) -> list[tuple[str, dict[str, int], int]]:
        cells: Counter[tuple[str, str]] = Counter((key_of(d), d.proposal) for d in diffs)
        keys = sorted({key_of(d) for d in diffs}, key=lambda k: (KINDS.index(k) if k in KINDS else 99, k))
        return [(k, {p: cells[(k, p)] for p in present}, sum(cells[(k, p)] for p in present)) for k in keys]

    return Summary(
        totals=totals,
        by_proposal=by_proposal,
        by_side={side: n for side in SIDES if (n := sum(1 for d in diffs if d.changed_side == side))},
        by_kind=table(lambda d: d.kind),
        by_category=table(lambda d: d.category or "—"),
        proposals_present=present,
    )
