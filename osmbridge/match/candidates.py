"""Candidate pairs: OSM places within reach of each city feature, with metric distances.

Distances are measured in a local azimuthal equidistant projection centred on the data (or on
each 4-degree cell of it when the data spans a country or more), so they hold anywhere on Earth
to a fraction of a per cent; data within a town (20 km across) is scaled by the ellipsoid's radii
of curvature at its centre instead, as exact at that size and without loading pyproj. A polygon's
distance is to its edge, 0 inside it: a school's centroid may lie 80 m from its gate, and the
city's point at the gate is still on the school.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:
    from pyproj import Geod, Transformer

# One projection serves data within this many degrees of its centre (about 450 km).
_SINGLE_PROJECTION_HALF_SPAN_DEG = 4.0
_CELL_DEG = 4.0
_METRES_PER_DEG_LAT = 111_320.0
# Data at most this wide is scaled at its centre: the scale error at its edges stays under 0.2 %.
_LOCAL_SPAN_M = 20_000.0
_WGS84_A, _WGS84_E2 = 6_378_137.0, 0.00669437999014


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


@lru_cache(maxsize=64)
def _transformer(lon0: float, lat0: float) -> Transformer:
    """Return the transformer to an azimuthal equidistant projection at (lon0, lat0), made once."""
    from pyproj import CRS, Transformer

    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m")
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


@lru_cache(maxsize=1)
def _geod() -> Geod:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def _metres_per_degree(lat0: float) -> tuple[float, float]:
    """Return the metres in a degree of longitude and of latitude at latitude lat0 (WGS84)."""
    phi = np.radians(lat0)
    w = np.sqrt(1.0 - _WGS84_E2 * np.sin(phi) ** 2)
    prime_vertical, meridian = _WGS84_A / w, _WGS84_A * (1.0 - _WGS84_E2) / w**3
    return float(np.radians(1.0) * prime_vertical * np.cos(phi)), float(np.radians(1.0) * meridian)


def _project(geoms: np.ndarray, lon0: float, lat0: float, local: bool = False) -> np.ndarray:
    """Return the geometries in metres around (lon0, lat0): azimuthal equidistant, or scaled when `local`."""
    if local:
        kx, ky = _metres_per_degree(lat0)

        def forward(coords: np.ndarray) -> np.ndarray:
            return np.column_stack(((coords[:, 0] - lon0) * kx, (coords[:, 1] - lat0) * ky))
    else:
        transformer = _transformer(lon0, lat0)

        def forward(coords: np.ndarray) -> np.ndarray:
            x, y = transformer.transform(coords[:, 0], coords[:, 1])
            return np.column_stack((x, y))

    return shapely.transform(geoms, forward)


Block = tuple[np.ndarray, np.ndarray]  # (city indices, OSM indices) that may pair


@dataclass(slots=True)
class Frame:
    """The metric frame of one run: a projection centre, or None when the data needs cells.

    It keeps the geometries it has projected, so the candidate search and the duplicate search
    project each side once.
    """

    centre: tuple[float, float] | None
    local: bool = False  # the data fits within a town: scaled at the centre
    projected: dict[int, np.ndarray] = field(default_factory=dict)

    def project(self, geoms: np.ndarray) -> np.ndarray:
        """Return the whole array projected at the centre, computed once per array."""
        assert self.centre is not None
        key = id(geoms)
        if key not in self.projected:
            self.projected[key] = _project(geoms, *self.centre, local=self.local)
        return self.projected[key]


def metric_frame(*sides: np.ndarray) -> Frame:
    """Return the frame for data made of these sides: one projection when it fits, else cells."""
    centres = [_centres(side) for side in sides if len(side)]
    if not centres:
        return Frame(None)
    everything = np.vstack(centres)
    everything = everything[np.isfinite(everything).all(axis=1)]  # records without a position
    if len(everything) == 0:
        return Frame(None)
    low, high = everything.min(axis=0), everything.max(axis=0)
    if (high - low).max() <= 2 * _SINGLE_PROJECTION_HALF_SPAN_DEG:
        lon0, lat0 = (low + high) / 2
        kx, ky = _metres_per_degree(float(lat0))
        local = bool(max((high[0] - low[0]) * kx, (high[1] - low[1]) * ky) <= _LOCAL_SPAN_M)
        return Frame((float(lon0), float(lat0)), local)
    return Frame(None)


def _project_some(geoms: np.ndarray, wanted: Sequence[np.ndarray], lon0: float, lat0: float) -> np.ndarray:
    """Return the geometries at the wanted indices projected (others left None), same length."""
    index = np.unique(np.concatenate(list(wanted))) if wanted else np.empty(0, np.int64)
    if len(index) == len(geoms):
        return _project(geoms, lon0, lat0)
    projected = np.full(len(geoms), None, dtype=object)
    if len(index):
        projected[index] = _project(geoms[index], lon0, lat0)
    return projected


def _pairs_in_projection(
    city_geoms: np.ndarray,
    osm_geoms: np.ndarray,
    radius_m: np.ndarray,
    blocks: Sequence[Block],
    lon0: float,
    lat0: float,
    frame: Frame | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (city i, osm j, distance) for pairs within the city's radius, block by block.

    Both sides are projected once; each block (e.g. the OSM places of the types a group of city
    features accepts) gets its own STRtree, so a school never meets the bakeries next door.
    """
    if frame is not None:
        city_m, osm_m = frame.project(city_geoms), frame.project(osm_geoms)
    elif osm_geoms is city_geoms:
        city_m = osm_m = _project_some(city_geoms, [c for c, _ in blocks] + [o for _, o in blocks], lon0, lat0)
    else:
        city_m = _project_some(city_geoms, [c for c, _ in blocks], lon0, lat0)
        osm_m = _project_some(osm_geoms, [o for _, o in blocks], lon0, lat0)
    parts_i, parts_j = [], []
    for city_idx, osm_idx in blocks:
        if len(city_idx) == 0 or len(osm_idx) == 0:
            continue
        tree = shapely.STRtree(osm_m[osm_idx])
        i, j = tree.query(city_m[city_idx], predicate="dwithin", distance=radius_m[city_idx])
        parts_i.append(city_idx[i])
        parts_j.append(osm_idx[j])
    if not parts_i:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    city_idx, osm_idx = np.concatenate(parts_i), np.concatenate(parts_j)
    return city_idx, osm_idx, shapely.distance(city_m[city_idx], osm_m[osm_idx])


def find_candidates(
    city_geoms: np.ndarray,
    osm_geoms: np.ndarray,
    radius_m: np.ndarray,
    blocks: Sequence[Block] | None = None,
    frame: Frame | None = None,
) -> CandidatePairs:
    """Return every (city, OSM) pair within the city feature's radius, inside the given blocks.

    Without blocks, every city feature may pair with every OSM place. Passing the same array as
    both sides finds pairs within one side (each pair twice, and each record with itself). A frame
    shared between calls projects each array once.
    """
    if len(city_geoms) == 0 or len(osm_geoms) == 0:
        return CandidatePairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    if blocks is None:
        blocks = [(np.arange(len(city_geoms)), np.arange(len(osm_geoms)))]
    if frame is None:
        frame = metric_frame(city_geoms, osm_geoms)
        if frame.centre is not None:
            i, j, d = _pairs_in_projection(city_geoms, osm_geoms, radius_m, blocks, *frame.centre)
            return CandidatePairs(i, j, d)
    if frame.centre is not None:
        i, j, d = _pairs_in_projection(city_geoms, osm_geoms, radius_m, blocks, *frame.centre, frame=frame)
        return CandidatePairs(i, j, d)
    return _find_by_cell(city_geoms, osm_geoms, radius_m, blocks, _centres(city_geoms))


def _find_by_cell(
    city_geoms: np.ndarray, osm_geoms: np.ndarray, radius_m: np.ndarray, blocks: Sequence[Block], city_xy: np.ndarray
) -> CandidatePairs:
    """Return the candidate pairs of data spread over a country or more, one projection per cell."""
    if not blocks:
        return CandidatePairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    finite = np.isfinite(city_xy).all(axis=1)
    cells = np.floor(np.where(finite[:, None], city_xy, 0.0) / _CELL_DEG).astype(np.int64)
    osm_bounds = shapely.bounds(osm_geoms)
    osm_centre_lon = (osm_bounds[:, 0] + osm_bounds[:, 2]) / 2
    osm_half_width = (osm_bounds[:, 2] - osm_bounds[:, 0]) / 2
    cell_of_city = {tuple(cell): n for n, cell in enumerate(np.unique(cells, axis=0).tolist())}
    city_cell = np.array([cell_of_city[tuple(c)] for c in cells.tolist()], dtype=np.int64)
    parts_i, parts_j, parts_d = [], [], []
    for cell, number in cell_of_city.items():
        in_cell = city_cell == number
        west, south = cell[0] * _CELL_DEG, cell[1] * _CELL_DEG
        north = south + _CELL_DEG
        # Reach beyond the cell by the largest radius (in degrees of longitude at the cell's
        # poleward edge), so that a place just across the border is still found.
        max_lat = min(max(abs(south), abs(north)), 89.0)
        reach_lat = radius_m[in_cell].max() / _METRES_PER_DEG_LAT
        reach_lon = reach_lat / np.cos(np.radians(max_lat))
        # Longitudes compared modulo 360, so that a cell on the antimeridian sees both sides.
        east_of_centre = (osm_centre_lon - (west + _CELL_DEG / 2) + 180.0) % 360.0 - 180.0
        near = (
            (np.abs(east_of_centre) <= _CELL_DEG / 2 + reach_lon + osm_half_width)
            & (osm_bounds[:, 3] >= south - reach_lat)
            & (osm_bounds[:, 1] <= north + reach_lat)
        )
        # Restrict each block to this cell; indices stay global, projection is the cell's.
        cell_blocks = [(c[in_cell[c]], o[near[o]]) for c, o in blocks]
        i, j, d = _pairs_in_projection(
            city_geoms, osm_geoms, radius_m, cell_blocks, west + _CELL_DEG / 2, south + _CELL_DEG / 2
        )
        parts_i.append(i)
        parts_j.append(j)
        parts_d.append(d)
    if not parts_i:
        return CandidatePairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    return CandidatePairs(np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_d))


def located(geoms: np.ndarray) -> np.ndarray:
    """Return which geometries carry a position (not missing, not empty)."""
    if len(geoms) == 0:
        return np.zeros(0, dtype=bool)
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def geodesic_distances_m(city_geoms: np.ndarray, osm_geoms: np.ndarray) -> np.ndarray:
    """Return the distance in metres between paired geometries however far apart (0 when touching,
    NaN when either has no position).

    Used for links found without the spatial search (a shared ref, a person's decision): the
    nearest points are taken in degrees, the distance between them on the ellipsoid.
    """
    result = np.full(len(city_geoms), np.nan)
    both = located(city_geoms) & located(osm_geoms)
    if not both.any():
        return result
    city_geoms, osm_geoms = city_geoms[both], osm_geoms[both]
    lines = shapely.shortest_line(city_geoms, osm_geoms)
    coords = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    _, _, distance = _geod().inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0], coords[:, 1, 1])
    touching = shapely.intersects(city_geoms, osm_geoms)
    result[both] = np.where(touching, 0.0, np.asarray(distance, dtype=float))
    return result
