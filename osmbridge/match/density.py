"""Local density of the places a city record may be: how many of them chance alone puts near it.

A same-kind place 22 m from a record means little in a street of shops and a lot where the nearest
other one is a kilometre away. The density is counted on a grid around each record (cells as wide
as the context radius, the 3 x 3 cells around it), per type group, so it costs one pass over each
side whatever their size.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

_METRES_PER_DEG_LAT = 110_574.0
_METRES_PER_DEG_LON_EQUATOR = 111_320.0


def local_xy_m(geoms: np.ndarray) -> np.ndarray:
    """Return rough metric (x, y) of each geometry's centre: enough to count neighbours on a grid."""
    if len(geoms) == 0:
        return np.empty((0, 2))
    bounds = shapely.bounds(geoms)
    lon, lat = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    return np.column_stack((lon * _METRES_PER_DEG_LON_EQUATOR * np.cos(np.radians(lat)), lat * _METRES_PER_DEG_LAT))


def places_per_m2(city_xy: np.ndarray, osm_xy: np.ndarray, radius_m: float) -> np.ndarray:
    """Return, around each city point, the density of the OSM points other than its own counterpart.

    Counted over the 3 x 3 grid cells of side `radius_m` around the point's cell, less one place
    (the counterpart, when there is one), never below half a place: no area is certainly empty.
    """
    counts = np.zeros(len(city_xy))
    finite_osm = osm_xy[np.isfinite(osm_xy).all(axis=1)]
    if len(city_xy) and len(finite_osm) and radius_m > 0:
        keys, per_cell = np.unique(_cell_keys(np.floor(finite_osm / radius_m)), return_counts=True)
        finite = np.isfinite(city_xy).all(axis=1)
        own = np.floor(np.where(finite[:, None], city_xy, 0.0) / radius_m)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                wanted = _cell_keys(own + (dx, dy))
                at = np.clip(np.searchsorted(keys, wanted), 0, len(keys) - 1)
                counts += np.where(keys[at] == wanted, per_cell[at], 0)
    return np.maximum(counts - 1.0, 0.5) / (9.0 * max(radius_m, 1.0) ** 2)


def _cell_keys(cells: np.ndarray) -> np.ndarray:
    """Return one integer per (x, y) grid cell."""
    cells = cells.astype(np.int64)
    return cells[:, 0] * (1 << 32) + cells[:, 1]


def expected_within(density_per_m2: np.ndarray, distance_m: np.ndarray) -> np.ndarray:
    """Return how many unrelated places chance puts within `distance_m` at that density."""
    return density_per_m2 * math.pi * np.square(distance_m)
