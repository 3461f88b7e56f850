"""The Tasking Manager task grid: square cells in metres over the area, clipped, only cells with work."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from osmbridge.party.model import PartyTask, TaskCell


def _local_metric(area: BaseGeometry) -> tuple[Transformer, Transformer]:
    # A transverse Mercator centred on the area keeps cells square to a few centimetres per km.
    centre = area.centroid
    crs = f"+proj=tmerc +lat_0={centre.y:.6f} +lon_0={centre.x:.6f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    backward = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return forward, backward


def task_cells(aoi: BaseGeometry, tasks: Sequence[PartyTask], cell_size_m: float) -> list[TaskCell]:
    """Return the grid cells (clipped to the area of interest) that hold at least one task, sorted."""
    if cell_size_m <= 0:
        raise ValueError(f"cell_size_m must be positive, got {cell_size_m}")
    forward, backward = _local_metric(aoi)
    # pyproj's Transformer.transform is overloaded; shapely's stub wants one array signature.
    metric = shapely.transform(aoi, forward.transform, interleaved=False)  # type: ignore[arg-type]
    left, bottom, _, _ = metric.bounds
    cells: dict[tuple[int, int], list[PartyTask]] = defaultdict(list)
    for task in tasks:
        x, y = forward.transform(task.lon, task.lat)
        cells[(math.floor((x - left) / cell_size_m), math.floor((y - bottom) / cell_size_m))].append(task)
    result = []
    for (ix, iy), members in sorted(cells.items()):
        square = box(left + ix * cell_size_m, bottom + iy * cell_size_m,
                     left + (ix + 1) * cell_size_m, bottom + (iy + 1) * cell_size_m)
        # Clip in WGS84, where the area's edges are exact; densify so the square's sides stay true.
        square_wgs84 = shapely.transform(square.segmentize(cell_size_m / 8), backward.transform,  # type: ignore[arg-type]
                                         interleaved=False)
        clipped = square_wgs84.intersection(aoi)
        parts = [g for g in getattr(clipped, "geoms", [clipped]) if isinstance(g, Polygon) and not g.is_empty]
        if not parts:
            continue  # the tasks lie just outside the area (on its edge)
        points = [Point(t.lon, t.lat) for t in members]
        # A clipped cell may fall apart in pieces: keep the piece holding most of its tasks.
        part = max(parts, key=lambda p: (sum(p.buffer(1e-7).contains(pt) for pt in points), p.area))
        result.append(TaskCell(
            cell_id=f"{ix}_{iy}",
            geometry=part,
            tasks=len(members),
            missing=sum(1 for t in members if t.work == "missing"),
            disagreements=sum(t.disagreements for t in members if t.work != "survey"),
            survey=sum(1 for t in members if t.work == "survey"),
        ))
    return result
