"""Candidate pairs: OSM places within reach of each city feature, with metric distances.

Distances are measured in a local azimuthal equidistant projection centred on the data (or on
each 4-degree cell of it when the data spans a country or more), so they hold anywhere on Earth
to a fraction of a per cent. A polygon's distance is to its edge, 0 inside it: a school's
centroid may lie 80 m from its gate, and the city's point at the gate is still on the school.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

# One projection serves data within this many degrees of its centre (about 450 km).
_SINGLE_PROJECTION_HALF_SPAN_DEG = 4.0
_CELL_DEG = 4.0
_METRES_PER_DEG_LAT = 111_320.0
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, slots=True)
class CandidatePairs:
    """Parallel arrays: city index, OSM index, distance in metres (edge distance, 0 inside)."""

    city: np.ndarray
    osm: np.ndarray
    distance_m: np.ndarray

    def __len__(self) -> int:
        return len(self.city)


def _centres(geoms: np.ndarray) -> np.ndarray:
    """Return the (lon, lat) of each geometry's bounding-box centre, shape (n, 2)."""
    if len(geoms) == 0:
        return np.empty((0, 2))
    bounds = shapely.bounds(geoms)
    return np.column_stack(((bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2))


def _project(geoms: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    """Return the geometries in metres, in an azimuthal equidistant projection at (lon0, lat0)."""
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m")
    transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def forward(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack((x, y))

    return shapely.transform(geoms, forward)


def _pairs_in_projection(
    city_geoms: np.ndarray, osm_geoms: np.ndarray, radius_m: np.ndarray, lon0: float, lat0: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (city i, osm j, distance) for every pair within the city's radius, in one projection."""
    city_m = _project(city_geoms, lon0, lat0)
    osm_m = _project(osm_geoms, lon0, lat0)
    tree = shapely.STRtree(osm_m)
    city_idx, osm_idx = tree.query(city_m, predicate="dwithin", distance=radius_m)
    distance = shapely.distance(city_m[city_idx], osm_m[osm_idx])
    return city_idx, osm_idx, distance


def find_candidates(city_geoms: np.ndarray, osm_geoms: np.ndarray, radius_m: np.ndarray) -> CandidatePairs:
    """Return every (city, OSM) pair whose geometries lie within the city feature's radius."""
    empty = CandidatePairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    if len(city_geoms) == 0 or len(osm_geoms) == 0:
        return empty
    city_xy, osm_xy = _centres(city_geoms), _centres(osm_geoms)
    everything = np.vstack((city_xy, osm_xy))
    low, high = everything.min(axis=0), everything.max(axis=0)
    if (high - low).max() <= 2 * _SINGLE_PROJECTION_HALF_SPAN_DEG:
        lon0, lat0 = (low + high) / 2
        i, j, d = _pairs_in_projection(city_geoms, osm_geoms, radius_m, lon0, lat0)
        return CandidatePairs(i, j, d)
    return _find_by_cell(city_geoms, osm_geoms, radius_m, city_xy, osm_xy)


def _find_by_cell(
    city_geoms: np.ndarray, osm_geoms: np.ndarray, radius_m: np.ndarray, city_xy: np.ndarray, osm_xy: np.ndarray
) -> CandidatePairs:
    """Return the candidate pairs of data spread over a country or more, one projection per cell."""
    cells = np.floor(city_xy / _CELL_DEG).astype(np.int64)
    osm_bounds = shapely.bounds(osm_geoms)
    parts_i, parts_j, parts_d = [], [], []
    for cell in np.unique(cells, axis=0):
        members = np.flatnonzero((cells == cell).all(axis=1))
        west, south = cell * _CELL_DEG
        north = south + _CELL_DEG
        # Reach beyond the cell by the largest radius (in degrees of longitude at the cell's
        # poleward edge), so that a place just across the border is still found.
        max_lat = min(max(abs(south), abs(north)), 89.0)
        reach_lat = radius_m[members].max() / _METRES_PER_DEG_LAT
        reach_lon = reach_lat / np.cos(np.radians(max_lat))
        near = np.flatnonzero(
            (osm_bounds[:, 2] >= west - reach_lon)
            & (osm_bounds[:, 0] <= west + _CELL_DEG + reach_lon)
            & (osm_bounds[:, 3] >= south - reach_lat)
            & (osm_bounds[:, 1] <= north + reach_lat)
        )
        if len(near) == 0:
            continue
        i, j, d = _pairs_in_projection(
            city_geoms[members], osm_geoms[near], radius_m[members], west + _CELL_DEG / 2, south + _CELL_DEG / 2
        )
        parts_i.append(members[i])
        parts_j.append(near[j])
        parts_d.append(d)
    if not parts_i:
        return CandidatePairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    return CandidatePairs(np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_d))


def geodesic_distances_m(city_geoms: np.ndarray, osm_geoms: np.ndarray) -> np.ndarray:
    """Return the distance in metres between paired geometries however far apart (0 when touching).

    Used for links found without the spatial search (a shared ref, a person's decision): the
    nearest points are taken in degrees, the distance between them on the ellipsoid.
    """
    if len(city_geoms) == 0:
        return np.empty(0)
    lines = shapely.shortest_line(city_geoms, osm_geoms)
    coords = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    _, _, distance = _GEOD.inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0], coords[:, 1, 1])
    touching = shapely.intersects(city_geoms, osm_geoms)
    return np.where(touching, 0.0, np.asarray(distance, dtype=float))
