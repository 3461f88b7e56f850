"""Where a record's position is: choosing the coordinate fields of a source, then reading them per record.

With lat_field/lon_field or geometry_field in the spec, only those are read. Otherwise each record
tries, in order, and takes the first that is not empty:
  1. a GeoJSON feature's own geometry;
  2. a shape column (named geo_shape, geometry, the_geom, wkt..., or holding WKT/GeoJSON values):
     WKT, EWKT (SRID=...;), GeoJSON text or object;
  3. a latitude/longitude column pair, detected by name (see columns.py);
  4. a geo point column (named geo_point_2d, "Geo Point"..., or holding {"lon", "lat"} objects):
     {"lon", "lat"}, or a [a, b] / "a, b" pair.
A value that is present but wrong is a BadRecord; it never falls through to the next way.
The spec's crs applies to 1-3 (a legacy GeoJSON "crs" member replaces the default); geo points are WGS84.

Opendatasoft documents its pairs as [lat, lon], but files re-exported by others (Grenoble's bike racks)
write [lon, lat] under the same name, and both orders give valid degrees. So the order of a column's
pairs is read from the data: records that carry a geometry too say which order lands on it; failing
that, the order that puts the points inside the dataset's area; failing that, the documented order
(the area check of the run then catches a wrong guess).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from osmbridge.errors import BadRecord, SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources.area import Bbox
from osmbridge.sources.columns import POINT_NAMES, SHAPE_NAMES, find_lat_lon, find_named, resolve_column
from osmbridge.sources.geometry import (
    DOCUMENTED_ORDER,
    WGS84,
    CoordinateProblem,
    PairOrder,
    is_geo_point,
    pair_numbers,
    parse_geometry,
    parse_lat_lon_pair,
    parse_number,
    projector_for,
)
from osmbridge.sources.records import RawRecord, RawSource, is_geometry_value

NATIVE = "geometry"  # how a GeoJSON feature's own geometry is named in messages
_VALUE_SCAN = 1000  # records looked at to tell what a column holds
# A geo point within this many degrees (about 1 km) of the record's own geometry agrees with it: a
# portal's geo_point_2d is the centre of a shape, not always on it.
_PAIR_TOLERANCE_DEG = 0.01
# WKT/EWKT or GeoJSON text: the start is enough to tell a geometry column from a text one.
_WKT_TEXT = re.compile(r"\s*(SRID=\d+;\s*)?((MULTI)?(POINT|LINESTRING|POLYGON)|GEOMETRYCOLLECTION)\s*[ZM(]",
                       re.IGNORECASE)
_GEOJSON_TEXT = re.compile(r'\s*\{.*"type"\s*:\s*"(Feature|(Multi)?(Point|LineString|Polygon)|GeometryCollection)"',
                           re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Way:
    """One way of finding a position: a shape column, a point column, a lat/lon pair, or the feature's own."""

    kind: str  # "native", "shape", "point", "latlon"
    field: str  # the column (the latitude column for "latlon")
    lon_field: str = ""


@dataclass(frozen=True, slots=True)
class Locator:
    """Reads the position of each record of one source, trying its ways in order."""

    ways: tuple[_Way, ...]
    crs: str
    pair_orders: Mapping[str, PairOrder] = field(default_factory=dict)  # column -> order of its [a, b] pairs

    def locate(self, record: RawRecord) -> BaseGeometry:
        """Return the record's WGS84 geometry; BadRecord when a value is wrong or all are empty."""
        for way in self.ways:
            value = record.native_geometry if way.kind == "native" else record.fields.get(way.field)
            lon_value = record.fields.get(way.lon_field) if way.kind == "latlon" else None
            if _blank(value) and (way.kind != "latlon" or _blank(lon_value)):
                continue
            try:
                return self._read(way, value, lon_value)
            except CoordinateProblem as problem:
                field = way.lon_field if problem.axis == "lon" and way.lon_field else way.field
                raise BadRecord(record.origin, field, str(problem)) from None
            except ValueError as problem:
                raise BadRecord(record.origin, way.field, str(problem)) from None
        tried = ", ".join(f"{w.field!r} and {w.lon_field!r}" if w.lon_field else repr(w.field) for w in self.ways)
        raise BadRecord(record.origin, self.ways[0].field, f"empty geometry: no position in {tried}")

    def _read(self, way: _Way, value: Any, lon_value: Any) -> BaseGeometry:
        if way.kind == "latlon":
            if _blank(value):
                raise CoordinateProblem("latitude is empty while longitude is set", "lat")
            if _blank(lon_value):
                raise CoordinateProblem("longitude is empty while latitude is set", "lon")
            lat = _number(value, "lat")
            lon = _number(lon_value, "lon")
            return projector_for(self.crs).to_wgs84(Point(lon, lat))
        if way.kind == "point" or _is_pair(value):
            lat, lon = parse_lat_lon_pair(value, self.pair_orders.get(way.field, DOCUMENTED_ORDER))
            return projector_for(WGS84).to_wgs84(Point(lon, lat))
        geometry, own_crs = parse_geometry(value)
        return projector_for(own_crs or self.crs).to_wgs84(geometry)


def _number(value: Any, axis: str) -> float:
    try:
        return parse_number(value)
    except ValueError as problem:
        raise CoordinateProblem(f"{'latitude' if axis == 'lat' else 'longitude'} {problem}", axis) from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _is_pair(value: Any) -> bool:
    """A geo point given where a geometry is expected: {"lat", "lon"}, [lat, lon] or "lat, lon"."""
    if isinstance(value, list):
        return len(value) == 2 and not isinstance(value[0], list)
    return is_geo_point(value)


def build_locator(spec: SourceSpec, source: RawSource, bbox: Bbox | None = None) -> Locator:
    """Return how to find positions in `source`: from the spec's fields, else by detecting columns.

    `bbox` is the dataset's area, when known: it tells the order of [a, b] pairs no geometry confirms.
    """
    crs = spec.crs
    if source.declared_crs and spec.crs == WGS84:
        crs = source.declared_crs  # the file says what it is; the spec kept the default
    projector_for(crs)  # an unknown CRS is a config mistake: say so before reading any record
    columns = source.columns
    if spec.geometry_field or spec.lat_field or spec.lon_field:
        return _with_pair_orders(Locator(_declared_ways(spec, source.name, columns), crs), source, bbox)
    shapes_seen, points_seen = _columns_by_value(source)
    ways: list[_Way] = [_Way("native", NATIVE)] if source.has_native_geometry else []
    ways += [_Way("shape", column) for column in _unique(find_named(columns, SHAPE_NAMES) + shapes_seen)]
    lat_lon = find_lat_lon(columns)
    if lat_lon and isinstance(lat_lon[0], list):
        raise SourceError(f"{source.name}: several columns could hold coordinates (latitude: {lat_lon[0]}, "
                          f"longitude: {lat_lon[1]}). Set lat_field and lon_field in the source spec.")
    if lat_lon:
        ways.append(_Way("latlon", str(lat_lon[0]), str(lat_lon[1])))
    named_shapes = {way.field for way in ways}
    points = [c for c in _unique(find_named(columns, POINT_NAMES) + points_seen) if c not in named_shapes]
    ways += [_Way("point", column) for column in points]
    if not ways:
        raise SourceError(f"{source.name}: no coordinate columns found among {_list(columns)}. Set lat_field "
                          "and lon_field (or geometry_field for WKT/GeoJSON) in the source spec, and crs if "
                          "the coordinates are not WGS84 degrees.")
    return _with_pair_orders(Locator(tuple(ways), crs), source, bbox)


def _with_pair_orders(locator: Locator, source: RawSource, bbox: Bbox | None) -> Locator:
    """The locator, told the order of the [a, b] pairs in each point or shape column that holds some."""
    orders = {}
    for way in locator.ways:
        if way.kind in ("point", "shape"):
            others = tuple(w for w in locator.ways if w.field != way.field and w.kind != "point")
            order = _pair_order(source, way.field, Locator(others, locator.crs), bbox)
            if order is not None:
                orders[way.field] = order
    return Locator(locator.ways, locator.crs, orders)


def _pair_order(source: RawSource, column: str, references: Locator, bbox: Bbox | None) -> PairOrder | None:
    """The order of `column`'s [a, b] pairs (None when it holds none); see the module docstring."""
    agrees: Counter[PairOrder] = Counter()
    inside: Counter[PairOrder] = Counter()
    looked = 0
    for record in source.records:
        value = record.fields.get(column)
        if isinstance(value, dict) or _blank(value) or not _is_pair(value):
            continue
        try:
            a, b = pair_numbers(value)
        except ValueError:
            continue
        readings: dict[PairOrder, Point] = {"lat,lon": Point(b, a), "lon,lat": Point(a, b)}
        geometry = _reference(references, record)
        if geometry is not None:
            near = [order for order, point in readings.items() if geometry.distance(point) <= _PAIR_TOLERANCE_DEG]
            if len(near) == 1:
                agrees[near[0]] += 1
        if bbox is not None:
            inside.update(order for order, point in readings.items() if _in_bbox(point, bbox))
        looked += 1
        if looked >= _VALUE_SCAN:
            break
    if not looked:
        return None
    for evidence in (agrees, inside):
        ranked = evidence.most_common()
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
    return DOCUMENTED_ORDER


def _reference(references: Locator, record: RawRecord) -> BaseGeometry | None:
    """The record's position by its other ways (its own geometry...), or None when it has none usable."""
    if not references.ways:
        return None
    try:
        return references.locate(record)
    except BadRecord:
        return None


def _in_bbox(point: Point, bbox: Bbox) -> bool:
    south, west, north, east = bbox
    return south <= point.y <= north and west <= point.x <= east


def _columns_by_value(source: RawSource) -> tuple[list[str], list[str]]:
    """Columns whose first non-empty value is a geometry (WKT, GeoJSON) and those holding lat/lon objects.

    Names vary ("location", "geoloc", "coordonnees_gps"); the values say what a column holds.
    """
    shapes: list[str] = []
    points: list[str] = []
    undecided = set(source.columns)
    for record in source.records[:_VALUE_SCAN]:
        for column in [c for c in record.fields if c in undecided]:
            value = record.fields[column]
            if _blank(value):
                continue
            undecided.discard(column)
            if isinstance(value, dict) and is_geo_point(value):
                points.append(column)
            elif is_geometry_value(value) or (isinstance(value, str) and _is_geometry_text(value)):
                shapes.append(column)
        if not undecided:
            break
    return shapes, points


def _is_geometry_text(text: str) -> bool:
    return bool(_WKT_TEXT.match(text) or _GEOJSON_TEXT.match(text))


def _unique(columns: list[str]) -> list[str]:
    return list(dict.fromkeys(columns))


def _declared_ways(spec: SourceSpec, name: str, columns: Sequence[str]) -> tuple[_Way, ...]:
    """The ways the spec names, each checked to exist."""
    if bool(spec.lat_field) != bool(spec.lon_field):
        raise SourceError(f"{name}: the source spec sets only one of lat_field and lon_field; set both.")
    ways = []
    if spec.geometry_field:
        ways.append(_Way("shape", _column(spec.geometry_field, "geometry_field", name, columns)))
    if spec.lat_field and spec.lon_field:
        ways.append(_Way("latlon", _column(spec.lat_field, "lat_field", name, columns),
                         _column(spec.lon_field, "lon_field", name, columns)))
    return tuple(ways)


def _column(wanted: str, key: str, name: str, columns: Sequence[str]) -> str:
    found = resolve_column(wanted, columns)
    if found is None:
        raise SourceError(f"{name}: {key} {wanted!r} of the source spec is not a column; the columns are "
                          f"{_list(columns)}.")
    return found


def _list(columns: Sequence[str]) -> str:
    shown = ", ".join(repr(column) for column in columns[:40])
    return f"[{shown}{', ...' if len(columns) > 40 else ''}]" if columns else "(none)"

