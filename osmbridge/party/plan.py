"""Rank neighbourhoods by the work a mapping party could do there."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely import STRtree
from shapely.geometry import Point

from osmbridge.model import DatasetResult
from osmbridge.party.grid import task_cells
from osmbridge.party.model import WORK_WEIGHTS, Neighbourhood, NeighbourhoodWork, PartyPlan, PartyTask
from osmbridge.party.tasks import party_tasks


def _work(neighbourhood: Neighbourhood, tasks: list[PartyTask], rank: int) -> NeighbourhoodWork:
    missing = sum(1 for t in tasks if t.work == "missing")
    survey = sum(1 for t in tasks if t.work == "survey")
    disagreements = sum(t.disagreements for t in tasks if t.work != "survey")
    score = WORK_WEIGHTS["survey"] * survey + WORK_WEIGHTS["missing"] * missing + disagreements
    ordered = sorted(tasks, key=lambda t: (("survey", "missing", "disagreement").index(t.work),
                                           t.name or "", t.dataset, t.source_id or "", t.osm_key or ""))
    return NeighbourhoodWork(neighbourhood, rank, tuple(ordered), missing, disagreements, survey, score)


def plan_party(
    results: Sequence[DatasetResult],
    neighbourhoods: Sequence[Neighbourhood],
    *,
    cell_size_m: float = 500.0,
) -> PartyPlan:
    """Return the neighbourhoods ranked by work (score, then name), the area of interest and its task grid."""
    tasks: list[PartyTask] = []
    unplaced = 0
    for result in results:
        found, missing_position = party_tasks(result)
        tasks.extend(found)
        unplaced += missing_position
    areas = sorted(neighbourhoods, key=lambda n: (n.name, n.ref))
    tree = STRtree([n.geometry for n in areas])
    per_area: dict[int, list[PartyTask]] = {i: [] for i in range(len(areas))}
    outside: list[PartyTask] = []
    for task in tasks:
        hits = sorted(int(i) for i in tree.query(Point(task.lon, task.lat), predicate="intersects"))
        # Overlapping boundaries: the first by name keeps the place, so it is counted once.
        if hits:
            per_area[hits[0]].append(task)
        else:
            outside.append(task)
    unranked = [_work(areas[i], per_area[i], 0) for i in range(len(areas))]
    unranked.sort(key=lambda w: (-w.score, w.neighbourhood.name, w.neighbourhood.ref))
    ranked = tuple(_work(w.neighbourhood, list(w.tasks), rank) for rank, w in enumerate(unranked, start=1))
    with_work = [w for w in ranked if w.tasks]
    aoi = shapely.union_all([w.neighbourhood.geometry for w in with_work]) if with_work else None
    cells = task_cells(aoi, [t for w in with_work for t in w.tasks], cell_size_m) if aoi is not None else []
    return PartyPlan(
        neighbourhoods=ranked,
        outside=tuple(outside),
        unplaced=unplaced,
        aoi=aoi,
        cells=tuple(cells),
        cell_size_m=cell_size_m,
        datasets=tuple(sorted({r.dataset for r in results})),
    )
