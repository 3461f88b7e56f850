"""OSM elements as Overpass describes them (JSON files, overpy results), turned into OsmPlaces.

Overpass answers carry geometry in several ways: node ids resolved against nodes in the same
answer (`out; >; out;`), inline coordinates (`out geom`), or only a centre (`out center`). Readers
copy what they find into `RawElement`s; `places_from_elements` builds the best geometry available.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from osmbridge.model import OsmPlace, OsmType, TagFilter
from osmbridge.osm.geometry import (
    display_point,
    members_geometry,
    polygon_from_lines,
    way_geometry,
)
from osmbridge.osm.selection import accepts

LonLat = tuple[float, float]
AREA_RELATION_TYPES = frozenset({"multipolygon", "boundary"})
RING_ROLES = frozenset({"outer", "inner", ""})


@dataclass(frozen=True, slots=True)
class RawMember:
    """A relation member: its type, id, role and inline coordinates when the answer has them."""

    osm_type: OsmType
    ref: int
    role: str = ""
    coords: tuple[LonLat, ...] | None = None  # one point for a node, the line of a way


@dataclass(frozen=True, slots=True)
class RawElement:
    """One node, way or relation copied out of an Overpass answer."""

    osm_type: OsmType
    osm_id: int
    tags: Mapping[str, str]
    version: int = 0
    timestamp: str | None = None
    coords: tuple[LonLat, ...] | None = None  # node position, or a way's inline geometry
    complete: bool = True  # False when the inline geometry lacks some nodes (clipped answer)
    node_refs: tuple[int, ...] = ()  # a way's node ids, to resolve against nodes in the answer
    members: tuple[RawMember, ...] = ()
    center: LonLat | None = None  # Overpass `out center`


def inline_coords(points: Sequence[LonLat | None]) -> tuple[tuple[LonLat, ...] | None, bool]:
    """Return the known (lon, lat) pairs of an inline geometry, and whether none was missing."""
    known = tuple(p for p in points if p is not None)
    return known or None, len(known) == len(points)


def places_from_elements(elements: Sequence[RawElement], filters: Sequence[TagFilter],
                         bbox: tuple[float, float, float, float] | None = None,
                         ) -> tuple[list[OsmPlace], Counter[str]]:
    """Return the places whose tags any filter accepts, and why the others that matched were left out.

    Geometry preference: inline coordinates, then node ids resolved in the same answer, then the
    Overpass centre as a Point. The counter says how many matching elements had no usable geometry.
    """
    node_coords = {e.osm_id: e.coords[0] for e in elements if e.osm_type == "n" and e.coords}
    ways = {e.osm_id: e for e in elements if e.osm_type == "w"}
    skipped: Counter[str] = Counter()
    places: list[OsmPlace] = []
    area = box(bbox[1], bbox[0], bbox[3], bbox[2]) if bbox else None
    for element in elements:
        if not element.tags or not accepts(element.tags, filters):
            continue
        geometry = _geometry(element, node_coords, ways)
        if geometry is None and element.center is not None:
            geometry = Point(element.center)
        if geometry is None or geometry.is_empty:
            skipped[f"{_TYPE_NAMES[element.osm_type]} without usable geometry"] += 1
            continue
        if area is not None and not geometry.intersects(area):
            continue
        places.append(OsmPlace(
            osm_type=element.osm_type, osm_id=element.osm_id, version=element.version,
            geometry=geometry, tags=dict(element.tags), center=display_point(geometry),
            timestamp=element.timestamp,
        ))
    return places, skipped


_TYPE_NAMES = {"n": "node", "w": "way", "r": "relation"}


def _geometry(element: RawElement, node_coords: Mapping[int, LonLat],
              ways: Mapping[int, RawElement]) -> BaseGeometry | None:
    if element.osm_type == "n":
        return Point(element.coords[0]) if element.coords else None
    if element.osm_type == "w":
        coords, complete = _way_coords(element, node_coords)
        if coords is None or (len(coords) < 2 and element.center is not None):
            return None  # the centre, if any, says more than a lone vertex
        return way_geometry(coords, element.tags, complete=complete)
    return _relation_geometry(element, node_coords, ways)


def _way_coords(way: RawElement, node_coords: Mapping[int, LonLat]) -> tuple[tuple[LonLat, ...] | None, bool]:
    """Return a way's coordinates (inline, else resolved by node id) and whether all its nodes were there."""
    if way.coords:
        return way.coords, way.complete
    if not way.node_refs:
        return None, False
    return inline_coords([node_coords.get(ref) for ref in way.node_refs])


def _relation_geometry(relation: RawElement, node_coords: Mapping[int, LonLat],
                       ways: Mapping[int, RawElement]) -> BaseGeometry | None:
    # Of an area relation only the rings count: label nodes and other roles are not its outline.
    is_area = relation.tags.get("type") in AREA_RELATION_TYPES
    points: list[LonLat] = []
    lines: list[tuple[LonLat, ...]] = []
    for member in relation.members:
        coords = member.coords
        if coords is None and member.osm_type == "n":
            coords = (node_coords[member.ref],) if member.ref in node_coords else None
        elif coords is None and member.osm_type == "w" and member.ref in ways:
            coords = _way_coords(ways[member.ref], node_coords)[0]
        if not coords:
            continue
        if member.osm_type == "n":
            points.append(coords[0])
        elif member.osm_type == "w" and (not is_area or member.role in RING_ROLES):
            lines.append(coords)
    if is_area:
        return polygon_from_lines(lines)
    return members_geometry(points, lines)

