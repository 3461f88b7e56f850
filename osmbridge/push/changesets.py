"""Changesets of a push: small groups of nearby changes, and the tags that say where they come from.

OSM reviewers (OSMCha, the Data Working Group) read a changeset by its bounding box and tags: a
changeset spanning a whole metropolis is hard to check and easy to revert. Changes are put in square
cells of `max_span_m` (so each changeset's box stays within one cell) and each cell is cut into
changesets of at most `max_changes` changes (the API allows 10,000; imports use far fewer).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from osmbridge.plan.osm_changes import PlannedChange
from osmbridge.push.api import CREATED_BY

DEFAULT_MAX_CHANGES = 200
DEFAULT_MAX_SPAN_M = 3000.0
_M_PER_DEGREE = 111_320.0


@dataclass(frozen=True, slots=True)
class ChangesetOptions:
    """The changeset tags and sizes of one dataset's push."""

    comment: str
    source: str
    licence: str  # source:license (the dataset's SPDX-like id)
    hashtags: str = ""  # "#osmbridge #NantesMetropole"
    import_page: str | None = None  # the import's wiki page (import:page)
    max_changes: int = DEFAULT_MAX_CHANGES
    max_span_m: float = DEFAULT_MAX_SPAN_M


def changeset_tags(options: ChangesetOptions, changes: Sequence[PlannedChange]) -> dict[str, str]:
    """The tags of a changeset holding `changes` (import=yes when it creates places from the city's data;
    "survey" in `source` when it carries what a field agent saw on the ground)."""
    source = options.source
    if any(change.surveyed for change in changes) and "survey" not in [p.strip() for p in source.lower().split(";")]:
        source = f"{source};survey" if source.strip() else "survey"
    tags = {"comment": options.comment, "created_by": CREATED_BY, "source": source,
            "source:license": options.licence}
    if options.hashtags.strip():
        tags["hashtags"] = " ".join(options.hashtags.split())
    if any(change.action == "create" and change.from_city for change in changes):
        tags["import"] = "yes"
    if options.import_page:
        tags["import:page"] = options.import_page
    return tags


def group_changes(changes: Sequence[PlannedChange], max_changes: int = DEFAULT_MAX_CHANGES,
                  max_span_m: float = DEFAULT_MAX_SPAN_M) -> list[list[PlannedChange]]:
    """Cut changes into changesets: one square cell of `max_span_m` each, at most `max_changes` per changeset."""
    placed = [c for c in changes if c.where is not None]
    latitudes = sorted(c.where[1] for c in placed)  # type: ignore[index]
    # One scale for the whole push: at a city's size the error of a single cos(latitude) is negligible.
    scale_x = math.cos(math.radians(latitudes[len(latitudes) // 2])) if latitudes else 1.0
    cells: dict[tuple[int, int] | None, list[PlannedChange]] = defaultdict(list)
    for change in changes:
        if change.where is None:
            cells[None].append(change)
            continue
        lon, lat = change.where
        x, y = lon * _M_PER_DEGREE * scale_x, lat * _M_PER_DEGREE
        cells[(math.floor(x / max_span_m), math.floor(y / max_span_m))].append(change)
    groups: list[list[PlannedChange]] = []
    for cell in sorted(cells, key=lambda c: (c is None, c or (0, 0))):
        members = sorted(cells[cell], key=_order)
        groups += [members[i:i + max_changes] for i in range(0, len(members), max_changes)]
    return groups


def bounding_box(changes: Sequence[PlannedChange]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the changes' positions."""
    points = [c.where for c in changes if c.where is not None]
    if not points:
        return None
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points),
            max(p[1] for p in points))


def _order(change: PlannedChange) -> tuple[float, float, str]:
    where = change.where or (0.0, 0.0)
    return where[1], where[0], change.key


def span_m(box: tuple[float, float, float, float]) -> float:
    """The larger side of a (west, south, east, north) box in metres (approximate)."""
    west, south, east, north = box
    scale_x = math.cos(math.radians((south + north) / 2))
    return max((east - west) * _M_PER_DEGREE * scale_x, (north - south) * _M_PER_DEGREE)


