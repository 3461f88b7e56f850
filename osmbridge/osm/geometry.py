"""Geometry rules for OSM features: which closed ways are areas, ring assembly, display points."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import pairwise

import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from shapely.geometry.base import BaseGeometry

Coords = Sequence[tuple[float, float]]  # (lon, lat) pairs

# Keys whose closed ways are areas, with the values that stay lines (after iD's area keys, the
# list editors and renderers agree on). A closed `amenity=school` way is a school ground; a closed
# `barrier=fence` is a fence.
_AREA_KEYS: Mapping[str, frozenset[str]] = {
    "building": frozenset(),
    "building:part": frozenset(),
    "amenity": frozenset({"bench", "parking_entrance"}),
    "shop": frozenset(),
    "office": frozenset(),
    "craft": frozenset(),
    "healthcare": frozenset(),
    "tourism": frozenset({"artwork"}),
    "leisure": frozenset({"picnic_table", "slipway", "track"}),
    "landuse": frozenset(),
    "historic": frozenset({"citywalls"}),
    "club": frozenset(),
    "place": frozenset(),
    "public_transport": frozenset(),
    "emergency": frozenset(),
    "military": frozenset({"trench"}),
    "sport": frozenset(),
    "area:highway": frozenset(),
    "indoor": frozenset({"corridor", "wall"}),
    "playground": frozenset({"balancebeam", "slide", "zipwire"}),
    "aeroway": frozenset({"jet_bridge", "parking_position", "runway", "taxiway", "taxilane"}),
    "man_made": frozenset({"breakwater", "crane", "cutline", "dyke", "embankment", "groyne", "pipeline"}),
    "natural": frozenset({"arete", "cliff", "coastline", "earth_bank", "ridge", "tree_row", "valley"}),
    "power": frozenset({"cable", "line", "minor_line"}),
    "golf": frozenset({"cartpath", "hole", "path"}),
}
# Keys that are lines except for these values.
_AREA_VALUES: Mapping[str, frozenset[str]] = {
    "highway": frozenset({"rest_area", "services", "platform"}),
    "railway": frozenset({"platform", "roundhouse", "station", "turntable", "workshop"}),
    "waterway": frozenset({"boatyard", "dam", "dock", "riverbank"}),
    "barrier": frozenset({"city_wall"}),
}


def is_area(tags: Mapping[str, str]) -> bool:
    """Return whether a closed way with these tags is an area (Polygon) rather than a ring (LineString)."""
    area = tags.get("area")
    if area == "yes":
        return True
    if area == "no":
        return False
    for key, value in tags.items():
        exceptions = _AREA_KEYS.get(key)
        if exceptions is not None and value != "no" and value not in exceptions:
            return True
        if value in _AREA_VALUES.get(key, ()):
            return True
    return False


def way_geometry(coords: Coords, tags: Mapping[str, str], *, complete: bool = True) -> BaseGeometry | None:
    """Return a way's geometry: Polygon for a closed area way, else LineString (None if no point).

    A way missing some nodes (`complete=False`, a clipped extract) keeps the line it has: closing
    what is left could draw an area that does not exist.
    """
    if len(coords) < 2:
        return Point(coords[0]) if coords else None
    closed = len(coords) >= 4 and tuple(coords[0]) == tuple(coords[-1])
    if complete and closed and is_area(tags):
        polygon = polygon_from_ring(coords)
        if polygon is not None:
            return polygon
    return LineString(coords)


def polygon_from_ring(coords: Coords) -> Polygon | MultiPolygon | None:
    """Return the polygon bounded by a closed ring, repaired if it self-intersects (None if flat)."""
    polygon = Polygon(coords)
    if polygon.is_valid:
        return polygon
    return _polygonal_part(shapely.make_valid(polygon))


def polygon_from_lines(lines: Sequence[Coords]) -> Polygon | MultiPolygon | None:
    """Return the area bounded by a relation's member lines (even-odd rule), or None if the rings don't close.

    As osmium's assembler does, a segment drawn twice cancels out (two outers sharing a wall become
    one ring, an inner identical to an outer leaves nothing); then a face belongs to the area when
    it lies inside an odd number of rings.
    """
    segments: Counter[tuple[tuple[float, float], tuple[float, float]]] = Counter()
    for line in lines:
        for start, end in pairwise(line):
            start, end = (float(start[0]), float(start[1])), (float(end[0]), float(end[1]))
            if start != end:
                segments[(start, end) if start <= end else (end, start)] += 1
    odd = [LineString(segment) for segment, count in segments.items() if count % 2]
    if not odd:
        return None
    faces, cuts, dangles, invalid = shapely.polygonize_full(odd)
    if not faces.geoms or not cuts.is_empty or not dangles.is_empty or not invalid.is_empty:
        return None  # a member is missing or the rings are broken: no area rather than a wrong one
    face_list = list(faces.geoms)
    shells = [Polygon(face.exterior) for face in face_list if isinstance(face, Polygon)]
    tree = shapely.STRtree(shells)
    kept = []
    for face in face_list:
        inside = tree.query(face.representative_point(), predicate="within")
        if len(inside) % 2 == 1:
            kept.append(face)
    if not kept:
        return None
    return _polygonal_part(shapely.union_all(kept))


def members_geometry(points: Coords, lines: Sequence[Coords]) -> BaseGeometry | None:
    """Return the geometry of a non-area relation from its members' points and lines (None if empty)."""
    pieces: list[BaseGeometry] = [Point(p) for p in points]
    # A member way reduced to one located node (clipped extract) says nothing about the shape.
    pieces += [LineString(line) for line in lines if len(line) >= 2]
    if not pieces:
        return None
    if len(pieces) == 1:
        return pieces[0]
    point_pieces = [p for p in pieces if isinstance(p, Point)]
    if len(point_pieces) == len(pieces):
        return MultiPoint(point_pieces)
    line_pieces = [p for p in pieces if isinstance(p, LineString)]
    if len(line_pieces) == len(pieces):
        return MultiLineString(line_pieces)
    return GeometryCollection(pieces)


def display_point(geometry: BaseGeometry) -> Point:
    """Return a point inside or on the geometry, where a map should put its marker."""
    if isinstance(geometry, Point):
        return geometry
    if isinstance(geometry, LineString):
        return geometry.interpolate(0.5, normalized=True)
    if isinstance(geometry, MultiLineString):
        return max(geometry.geoms, key=lambda line: line.length).interpolate(0.5, normalized=True)
    # point_on_surface is inside polygons (a centroid of an L-shaped school can fall outside).
    return geometry.point_on_surface()


def single_polygon(geometry: BaseGeometry) -> BaseGeometry:
    """Return a one-part MultiPolygon as a Polygon; other geometries unchanged."""
    if isinstance(geometry, MultiPolygon) and len(geometry.geoms) == 1:
        return geometry.geoms[0]
    return geometry


def _polygonal_part(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """Return the polygons of a geometry (dropping lines and points a repair may leave), or None."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return None if geometry.is_empty else single_polygon(geometry)  # type: ignore[return-value]
    if isinstance(geometry, GeometryCollection):
        polygons = [g for g in geometry.geoms if isinstance(g, (Polygon, MultiPolygon)) and not g.is_empty]
        if polygons:
            return _polygonal_part(shapely.union_all(polygons))
    return None
