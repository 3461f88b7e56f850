"""Turning coordinate values of city records into WGS84 shapely geometries, and checking them.

The functions here raise `ValueError` whose text is the problem in words ("latitude and longitude look
swapped ..."); the caller knows the record and the field and turns it into a `BadRecord`.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
import shapely.geometry
import shapely.wkt
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

from osmbridge.errors import SourceError

if TYPE_CHECKING:  # pyproj is loaded for the first CRS other than WGS84 degrees
    import pyproj

WGS84 = "EPSG:4326"


class CoordinateProblem(ValueError):
    """A coordinate value is wrong; `axis` says which one when it is known ("lat" or "lon")."""

    def __init__(self, problem: str, axis: str | None = None) -> None:
        super().__init__(problem)
        self.axis = axis


# Spaces (also no-break and thin spaces) inside a number are digit grouping or typing slips ("19. 4768").
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")  # 1.234.567,89
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234,567.89
_EWKT_SRID = re.compile(r"\s*SRID=(\d+)\s*;", re.IGNORECASE)
# "lat, lon" with decimal points, or "lat; lon" where the numbers may have decimal commas.
_PAIRS = (re.compile(r"\s*\(?\s*([^,;\s]+)\s*,\s*([^,;\s]+)\s*\)?\s*"),
          re.compile(r"\s*\(?\s*([^;\s]+)\s*;\s*([^;\s]+)\s*\)?\s*"))
# A place within this many degrees of the CRS's area of use is accepted: the published areas are tight.
_AREA_MARGIN_DEG = 1.0
_per_thread = threading.local()


def parse_number(value: Any) -> float:
    """Return the number in `value`: a JSON number or text with a decimal point or comma."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        number = _parse_text_number(value)
    else:
        raise ValueError(f"{value!r} is not a number")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _parse_text_number(text: str) -> float:
    """Parse "47.2133", "47,2133", "6 776 558,9", "1.234,5"; refuse anything ambiguous."""
    compact = _SPACES.sub("", text)
    if not compact:
        raise ValueError("is empty")
    if _PLAIN.fullmatch(compact):
        return float(compact)
    if "," in compact and "." not in compact and compact.count(",") == 1:
        candidate = compact.replace(",", ".")  # decimal comma
        if _PLAIN.fullmatch(candidate):
            return float(candidate)
    if _DOT_GROUPS.fullmatch(compact):
        return float(compact.replace(".", "").replace(",", "."))
    if _COMMA_GROUPS.fullmatch(compact):
        return float(compact.replace(",", ""))
    raise ValueError(f"{text!r} is not a number")


def parse_geometry(value: Any) -> tuple[BaseGeometry, str | None]:
    """Return the geometry in a WKT/EWKT or GeoJSON value, and the CRS an EWKT prefix names."""
    if isinstance(value, dict):
        return _from_geojson(value), None
    if not isinstance(value, str):
        raise ValueError(f"{_short(value)} is neither WKT nor GeoJSON")
    text = value.strip()
    if not text:
        raise ValueError("geometry is empty")
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not valid GeoJSON ({error.msg} at character {error.pos})") from None
        return _from_geojson(obj), None
    crs = None
    srid = _EWKT_SRID.match(text)
    if srid:
        crs, text = f"EPSG:{srid.group(1)}", text[srid.end():]
    try:
        return shapely.wkt.loads(text), crs
    except (ShapelyError, ValueError, TypeError):
        raise ValueError(f"{_short(value)} is not valid WKT") from None


def _from_geojson(obj: Any) -> BaseGeometry:
    """Return the geometry of a GeoJSON geometry or Feature object."""
    if not isinstance(obj, dict):
        raise ValueError(f"{_short(obj)} is not a GeoJSON object")
    if obj.get("type") == "Feature":
        if obj.get("geometry") is None:
            raise ValueError("the GeoJSON feature has no geometry")
        obj = obj["geometry"]
    try:
        return shapely.geometry.shape(obj)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise ValueError(f"{_short(obj)} is not a valid GeoJSON geometry") from None


PairOrder = Literal["lat,lon", "lon,lat"]
# Opendatasoft's geo points: {"lon", "lat"} objects in the Explore API v2.x, [lat, lon] arrays in the Search
# API v1 and its JSON exports, "lat, lon" text in CSV exports. Other publishers re-export them as [lon, lat].
DOCUMENTED_ORDER: PairOrder = "lat,lon"


def parse_lat_lon_pair(value: Any, order: PairOrder = DOCUMENTED_ORDER) -> tuple[float, float]:
    """Return (lat, lon) from a geo point: {"lon", "lat"}, or a [a, b] / "a, b" pair read in `order`."""
    if isinstance(value, dict):
        keys = {key.lower(): key for key in value}
        if "lat" in keys and "lon" in keys:
            return parse_number(value[keys["lat"]]), parse_number(value[keys["lon"]])
        raise ValueError(f"{_short(value)} has no 'lat' and 'lon'")
    first, second = pair_numbers(value)
    return (first, second) if order == "lat,lon" else (second, first)


def pair_numbers(value: Any) -> tuple[float, float]:
    """Return the two numbers of a [a, b] or "a, b" pair, in the order written."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return parse_number(value[0]), parse_number(value[1])
    if isinstance(value, str):
        pair = _pair(value)
        if pair:
            return parse_number(pair.group(1)), parse_number(pair.group(2))
    raise ValueError(f"{_short(value)} is not a 'latitude, longitude' pair")


def is_geo_point(value: Any) -> bool:
    """Say whether `value` looks like a geo point (a lat/lon object or a "lat, lon" text)."""
    if isinstance(value, dict):
        return {key.lower() for key in value} == {"lat", "lon"}
    return isinstance(value, str) and _pair(value) is not None


def _pair(text: str) -> re.Match[str] | None:
    return next((found for pattern in _PAIRS if (found := pattern.fullmatch(text))), None)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Projector:
    """Converts coordinates of one source CRS to WGS84 and checks they are plausible."""

    crs: str
    transformer: pyproj.Transformer | None  # None for WGS84 itself
    geographic: bool
    area: tuple[float, float, float, float] | None  # west, south, east, north (WGS84) where the CRS is used

    def to_wgs84(self, geometry: BaseGeometry) -> BaseGeometry:
        """Return `geometry` in WGS84, refusing empty, out-of-range or swapped coordinates."""
        if self.crs == WGS84 and isinstance(geometry, shapely.geometry.Point) and not geometry.is_empty:
            # Most records are one WGS84 point: checked with plain floats (the general path below
            # costs ten times as much, and says what is wrong when this one does not pass).
            x, y = geometry.x, geometry.y
            if math.isfinite(x) and math.isfinite(y) and abs(x) <= 180 and abs(y) <= 90 and (x or y):
                return geometry
        if geometry.is_empty:
            raise ValueError("geometry is empty")
        coords = shapely.get_coordinates(geometry)
        if not np.isfinite(coords).all():
            raise ValueError("coordinates are not finite numbers")
        if (coords == 0).all():
            # (0, 0) is "null island" in degrees, and a placeholder in any projection too.
            axes = "latitude and longitude" if self.geographic else "x and y"
            raise ValueError(f"{axes} are both 0, a placeholder rather than a position")
        if self.geographic:
            _check_degrees(coords)
            if self.crs == WGS84:
                return geometry
        result = shapely.transform(geometry, self._transform)
        out = shapely.get_coordinates(result)
        if not np.isfinite(out).all() or not _in_degrees(out):
            raise ValueError(f"{_describe(coords)} cannot be converted from {self.crs}: check the crs "
                             "of the source spec")
        if not self.geographic:
            self._check_area(coords, out)
        return result

    def _transform(self, coords: np.ndarray) -> np.ndarray:
        assert self.transformer is not None
        x, y = self.transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    def _check_area(self, coords: np.ndarray, out: np.ndarray) -> None:
        """Refuse projected coordinates that land outside the CRS's area of use."""
        if self.area is None or _within(out, self.area) or self.transformer is None:
            return
        swapped = np.column_stack(self.transformer.transform(coords[:, 1], coords[:, 0]))
        if np.isfinite(swapped).all() and _within(swapped, self.area):
            raise ValueError(f"x and y look swapped: {_describe(coords)} lies outside "
                             f"the area of {self.crs}, the swapped pair inside it")
        raise ValueError(f"{_describe(coords)} lies outside the area where {self.crs} is used: check the "
                         "coordinates and the crs of the source spec")


def _within(points: np.ndarray, area: tuple[float, float, float, float]) -> bool:
    west, south, east, north = area
    m = _AREA_MARGIN_DEG
    lon, lat = points[:, 0], points[:, 1]
    if west <= east:
        lon_inside = (lon >= west - m) & (lon <= east + m)
    else:  # the area crosses the antimeridian (west 170, east -170)
        lon_inside = (lon >= west - m) | (lon <= east + m)
    return bool((lon_inside & (lat >= south - m) & (lat <= north + m)).all())


def _in_degrees(points: np.ndarray) -> bool:
    return bool((np.abs(points[:, 0]) <= 180).all() and (np.abs(points[:, 1]) <= 90).all())


def _check_degrees(coords: np.ndarray) -> None:
    """Refuse degrees out of range, saying when longitude and latitude look swapped or projected."""
    lon, lat = coords[:, 0], coords[:, 1]
    if _in_degrees(coords):
        return
    bad = int(np.argmax((np.abs(lon) > 180) | (np.abs(lat) > 90)))
    x, y = float(lon[bad]), float(lat[bad])
    if abs(y) > 90 and abs(y) <= 180 and abs(x) <= 90:
        raise CoordinateProblem(f"latitude and longitude look swapped: latitude {y:.10g} is out of range "
                                f"(-90..90) while longitude {x:.10g} would be a valid latitude", "lat")
    if abs(x) > 180 and abs(y) > 90:
        raise ValueError(f"{_describe(coords)} are not degrees: these look like projected coordinates; "
                         "set crs in the source spec (e.g. \"EPSG:2154\" for Lambert-93)")
    if abs(y) > 90:
        raise CoordinateProblem(f"latitude {y:.10g} is out of range (-90..90)", "lat")
    raise CoordinateProblem(f"longitude {x:.10g} is out of range (-180..180)", "lon")


def _describe(coords: np.ndarray) -> str:
    x, y = coords[0]
    more = f" (and {len(coords) - 1} more points)" if len(coords) > 1 else ""
    return f"x={x:.10g} y={y:.10g}{more}"


def projector_for(crs: str) -> Projector:
    """Return the converter from `crs` to WGS84; SourceError when the CRS is unknown."""
    # pyproj transformers must not be shared between threads (the scheduler and web app may read
    # sources concurrently): one cache per thread.
    cache: dict[str, Projector] = _per_thread.__dict__.setdefault("projectors", {})
    if crs not in cache:
        cache[crs] = _make_projector(crs)
    return cache[crs]


def _make_projector(crs: str) -> Projector:
    if crs == WGS84:
        # The default of every source: no conversion, and no need to load pyproj to say so.
        return Projector(WGS84, None, True, (-180.0, -90.0, 180.0, 90.0))
    import pyproj
    from pyproj.exceptions import CRSError

    try:
        source = pyproj.CRS.from_user_input(crs)
    except CRSError:
        raise SourceError(f"unknown CRS {crs!r} in the source spec: use an EPSG code such as "
                          "\"EPSG:4326\" (WGS84 degrees) or \"EPSG:2154\" (Lambert-93)") from None
    transformer = pyproj.Transformer.from_crs(source, WGS84, always_xy=True)
    area = source.area_of_use
    bounds = (area.west, area.south, area.east, area.north) if area is not None else None
    name = WGS84 if source.equals(pyproj.CRS.from_epsg(4326), ignore_axis_order=True) else crs
    return Projector(name, transformer, source.is_geographic, bounds)
