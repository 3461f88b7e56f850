"""Which boxes to ask the notes API for, so that every note near a place is read once and no box is too large.

The API refuses a box larger than its note_area maximum (25 square degrees on openstreetmap.org) and
returns at most `limit` notes per box, newest first. A dataset's places are cut into tiles under the
maximum, each shrunk to the places it holds plus the search distance; a tile whose answer is full is
split in four (again only where places are) and asked again, down to a size where splitting no longer
helps. Pure: the reader (`read.py`) does the requests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

BBox = tuple[float, float, float, float]  # west, south, east, north
_METRES_PER_DEG = 111_320.0
# Tiles are cut a little under the maximum: the margin added around their places must still fit.
_FILL = 0.9


@dataclass(frozen=True, slots=True)
class Tile:
    """A box to request, and the places (lon, lat) it serves."""

    bbox: BBox
    points: tuple[tuple[float, float], ...]

    @property
    def area_deg2(self) -> float:
        west, south, east, north = self.bbox
        return (east - west) * (north - south)


def margin_deg(distance_m: float, latitude: float) -> tuple[float, float]:
    """Return (longitude, latitude) degrees covering `distance_m` around a point at `latitude`."""
    cos = max(math.cos(math.radians(min(abs(latitude), 89.0))), 0.01)
    return distance_m / (_METRES_PER_DEG * cos), distance_m / _METRES_PER_DEG


def around(points: Sequence[tuple[float, float]], distance_m: float) -> BBox:
    """Return the box holding `points` widened by `distance_m` on every side (clamped to the world)."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    dlon, dlat = margin_deg(distance_m, max(abs(min(lats)), abs(max(lats))))
    return (max(-180.0, min(lons) - dlon), max(-90.0, min(lats) - dlat),
            min(180.0, max(lons) + dlon), min(90.0, max(lats) + dlat))


def plan_tiles(points: Sequence[tuple[float, float]], distance_m: float, max_area_deg2: float) -> list[Tile]:
    """Return boxes under `max_area_deg2` that together cover `distance_m` around every point."""
    usable = [p for p in points if math.isfinite(p[0]) and math.isfinite(p[1])]
    if not usable:
        return []
    tile = Tile(around(usable, distance_m), tuple(usable))
    if tile.area_deg2 <= max_area_deg2:
        return [tile]
    west, south, east, north = tile.bbox
    side = math.sqrt(max_area_deg2 * _FILL)
    columns, rows = math.ceil((east - west) / side), math.ceil((north - south) / side)
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for point in usable:
        column = min(columns - 1, int((point[0] - west) / side))
        row = min(rows - 1, int((point[1] - south) / side))
        cells.setdefault((column, row), []).append(point)
    tiles: list[Tile] = []
    for cell in sorted(cells):
        tiles.extend(plan_tiles(cells[cell], distance_m, max_area_deg2))
    return tiles


def split_tile(tile: Tile, distance_m: float) -> list[Tile]:
    """Return the quarters of a tile that hold places, each shrunk around them (empty when it cannot shrink)."""
    west, south, east, north = tile.bbox
    middle_lon, middle_lat = (west + east) / 2, (south + north) / 2
    quarters: dict[tuple[bool, bool], list[tuple[float, float]]] = {}
    for point in tile.points:
        quarters.setdefault((point[0] >= middle_lon, point[1] >= middle_lat), []).append(point)
    parts = [Tile(around(points, distance_m), tuple(points)) for _, points in sorted(quarters.items())]
    # Places all on one spot: the box is already as small as their margin makes it.
    if len(parts) == 1 and parts[0].area_deg2 >= tile.area_deg2 * 0.99:
        return []
    return parts
