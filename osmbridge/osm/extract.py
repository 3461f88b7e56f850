"""OSM extracts read with osmium (.osm, .osm.pbf, .osm.bz2, .osm.gz, .o5m): streamed, filtered, with geometry.

One streaming pass (plus osmium's relation pre-pass for area assembly): a C++ tag filter drops
every object whose keys no mapping asks for before Python sees it, node locations are kept in
osmium's index so ways get coordinates, and osmium assembles areas from closed ways and
multipolygon relations. Only when a matching relation is neither (a site, a stop area...) is the
file read a third time, for the ways it has as members.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import osmium
import shapely
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from osmbridge.errors import OsmSourceError
from osmbridge.model import DroppedOsmObject, OsmPlace, OsmType, TagFilter
from osmbridge.osm.elements import AREA_RELATION_TYPES
from osmbridge.osm.geometry import display_point, is_area, members_geometry, polygon_from_ring, single_polygon
from osmbridge.osm.selection import accepts, filter_keys, iso_timestamp


# Node locations: flex_mem (sparse, 16 bytes a node, dense when ids are) up to a few hundred
# million nodes; past a 2 GiB PBF (a large country) a disk-backed sparse array keeps RAM free.
IN_MEMORY_LIMIT_BYTES = 2 * 1024**3


@dataclass(slots=True)
class _Meta:
    """What an OsmPlace keeps of an object, copied out while the osmium view is valid."""

    osm_type: OsmType
    osm_id: int
    version: int
    tags: dict[str, str]
    timestamp: str | None
    ring: list[tuple[float, float]] | None = None  # a closed way's own ring, if osmium cannot build its area
    members: list[tuple[str, int]] = field(default_factory=list)


def read_extract(path: Path, filters: Sequence[TagFilter], file_format: str | None = None,
                 bbox: tuple[float, float, float, float] | None = None
                 ) -> tuple[list[OsmPlace], Counter[str], list[DroppedOsmObject]]:
    """Return the places of an osmium-readable file that the filters accept, what was left out (counts
    by reason), and the accepted objects that could not be placed (see `_Reader.dropped`).

    `file_format` is osmium's format name ("pbf", "osm.bz2"...) when the extension does not say it.
    """
    source = osmium.io.File(str(path), file_format) if file_format else str(path)
    with tempfile.TemporaryDirectory(prefix="osmbridge-nodes-") as scratch:
        index = "flex_mem"
        if path.stat().st_size > IN_MEMORY_LIMIT_BYTES:
            index = f"sparse_file_array,{Path(scratch) / 'locations.idx'}"
        processor = (osmium.FileProcessor(source)
                     .with_locations(index)
                     .with_areas(_key_filter(filters))
                     .with_filter(_key_filter(filters)))
        reader = _Reader(filters, bbox)
        try:
            for obj in processor:
                reader.take(obj)
            member_lines = _member_way_lines(source, reader.member_way_ids(), processor.node_location_storage)
        except (RuntimeError, ValueError) as error:  # osmium's parse and format errors
            raise OsmSourceError(f"{path}: osmium cannot read this file ({error}). "
                                 "Check that it is a complete OSM XML/PBF file.") from error
        places, skipped = reader.finish(processor.node_location_storage, member_lines)
        return places, skipped, reader.dropped


def _key_filter(filters: Sequence[TagFilter]) -> Any:
    """Return osmium's C++ pre-filter: exact for key=value filters, else on the keys (a superset)."""
    # A fresh filter per use: the area pre-pass and the main pass each run their own chain.
    if not filters:
        return osmium.filter.EmptyTagFilter()
    if all(f.value is not None for f in filters):
        return osmium.filter.TagFilter(*((f.key, f.value or "") for f in filters))
    return osmium.filter.KeyFilter(*filter_keys(filters))


class _Reader:
    """Collects places from the osmium stream; areas may arrive before or after their way or relation."""

    def __init__(self, filters: Sequence[TagFilter], bbox: tuple[float, float, float, float] | None) -> None:
        self.filters = filters
        self.bbox = bbox
        self.area = box(bbox[1], bbox[0], bbox[3], bbox[2]) if bbox else None
        self.wkb = osmium.geom.WKBFactory()
        self.places: list[OsmPlace] = []
        self.skipped: Counter[str] = Counter()
        self.area_ways: dict[int, _Meta] = {}  # closed area ways waiting for their osmium area
        self.area_relations: dict[int, _Meta] = {}
        self.other_relations: list[_Meta] = []
        self.early_areas: dict[int, BaseGeometry] = {}  # relation areas seen before their relation
        # Nodes are most places: their points are made in one shapely call at the end, not one by one.
        self.nodes: list[_Meta] = []
        self.node_coords: list[tuple[float, float]] = []
        # Accepted objects that get no geometry: they exist in OSM, so the diff must not propose
        # creating a city place over them. Kept apart from `skipped` (counts only).
        self.dropped: list[DroppedOsmObject] = []

    def take(self, obj: Any) -> None:
        """Copy what is needed out of one object of the stream (a pyosmium node, way, relation or area)."""
        if obj.is_area():
            self._take_area(obj)
            return
        # TagList answers `in` and `[]` in C++: decide before copying the tags out.
        if self.filters and not any(f.accepts(obj.tags) for f in self.filters):
            return
        tags = {tag.k: tag.v for tag in obj.tags}
        if not self.filters and not accepts(tags, self.filters):
            return
        meta = _Meta(_TYPE_OF[obj.type_str()], obj.id, obj.version, tags, iso_timestamp(obj.timestamp))
        if obj.is_node():
            location = obj.location
            if location.valid():
                self.nodes.append(meta)
                self.node_coords.append((location.lon, location.lat))
            else:
                self.skipped["node without a valid location"] += 1
        elif obj.is_way():
            self._take_way(obj, meta)
        elif tags.get("type") in AREA_RELATION_TYPES:
            meta.members = [(m.type, m.ref) for m in obj.members]  # to place it if osmium cannot
            self._take_relation_area(meta)
        else:
            meta.members = [(m.type, m.ref) for m in obj.members]
            self.other_relations.append(meta)

    def _take_way(self, way: osmium.osm.Way, meta: _Meta) -> None:
        coords, complete = _way_coords(way)
        if len(coords) < 2:
            if coords:
                self._emit(meta, Point(coords[0]))
            else:
                self.skipped["way without node locations (nodes missing from the extract)"] += 1
                self._drop(meta, "way_without_locations", None)
            return
        if complete and way.is_closed() and len(coords) >= 4 and is_area(meta.tags):
            # osmium builds the area while it reads the way and hands it over just after; the ring
            # becomes a geometry only if it does not (rare: building every fallback costs a third of a read).
            meta.ring = coords
            self.area_ways[way.id] = meta
        else:
            self._emit(meta, LineString(coords))

    def _take_relation_area(self, meta: _Meta) -> None:
        # A relation's area is complete once its last member way is read, so before the relation.
        early = self.early_areas.pop(meta.osm_id, None)
        if early is not None:
            self._emit(meta, early)
        else:
            self.area_relations[meta.osm_id] = meta

    def _take_area(self, area: osmium.osm.Area) -> None:
        try:
            geometry = single_polygon(shapely.from_wkb(self.wkb.create_multipolygon(area)))
        except RuntimeError:
            return  # the way keeps its own ring; the relation is counted as not assembled
        orig_id = area.orig_id()
        if area.from_way():
            meta = self.area_ways.pop(orig_id, None)
            if meta is not None:
                self._emit(meta, geometry)
            return
        meta = self.area_relations.pop(orig_id, None)
        if meta is not None:
            self._emit(meta, geometry)
        else:
            self.early_areas[orig_id] = geometry

    def member_way_ids(self) -> set[int]:
        """Return the ids of the ways that the kept non-area relations, and the multipolygons osmium
        could not assemble, have as members."""
        relations = [*self.other_relations, *self.area_relations.values()]
        return {ref for meta in relations for kind, ref in meta.members if kind == "w"}

    def finish(self, locations: osmium.index.LocationTable | None,
               member_lines: dict[int, LineString]) -> tuple[list[OsmPlace], Counter[str]]:
        """Return the places, after placing ways and relations whose areas osmium could not build."""
        self._emit_nodes()
        for meta in self.area_ways.values():
            assert meta.ring is not None  # set for every area way
            self.skipped["closed way whose area osmium could not build (own ring used)"] += 1
            self._emit(meta, polygon_from_ring(meta.ring) or LineString(meta.ring))
        if self.area_relations:
            self.skipped["multipolygon relation not assembled (incomplete or broken rings)"] += len(self.area_relations)
        for meta in self.area_relations.values():
            self._drop(meta, "multipolygon_not_assembled", _members_geometry(meta, locations, member_lines))
        for meta in self.other_relations:
            geometry = _members_geometry(meta, locations, member_lines)
            if geometry is None:
                self.skipped["relation without member locations"] += 1
                self._drop(meta, "relation_without_locations", None)
            else:
                self._emit(meta, geometry)
        return self.places, self.skipped

    def _drop(self, meta: _Meta, reason: str, geometry: BaseGeometry | None) -> None:
        if geometry is not None and self.area is not None and not geometry.intersects(self.area):
            return
        self.dropped.append(DroppedOsmObject(meta.osm_type, meta.osm_id, meta.tags, reason, geometry))

    def _emit_nodes(self) -> None:
        points: Any = shapely.points(self.node_coords) if self.node_coords else []
        inside = shapely.intersects(points, self.area) if self.area is not None and len(points) else None
        for n, (meta, point) in enumerate(zip(self.nodes, points)):
            if inside is None or inside[n]:
                self.places.append(OsmPlace(osm_type=meta.osm_type, osm_id=meta.osm_id, version=meta.version,
                                            geometry=point, tags=meta.tags, center=point, timestamp=meta.timestamp))

    def _emit(self, meta: _Meta, geometry: BaseGeometry | None) -> None:
        if geometry is None or geometry.is_empty:
            return
        if self.area is not None and not geometry.intersects(self.area):
            return
        self.places.append(OsmPlace(
            osm_type=meta.osm_type, osm_id=meta.osm_id, version=meta.version, geometry=geometry,
            tags=meta.tags, center=display_point(geometry), timestamp=meta.timestamp,
        ))


_TYPE_OF: dict[str, OsmType] = {"n": "n", "w": "w", "r": "r"}


def _way_coords(way: osmium.osm.Way) -> tuple[list[tuple[float, float]], bool]:
    """Return the located coordinates of a way (no repeated consecutive points), and whether all were.

    Nodes cut off by a clipped extract have no location; the way keeps the part that is there.
    """
    coords: list[tuple[float, float]] = []
    complete = True
    for node in way.nodes:
        location = node.location
        if not location.valid():
            complete = False
            continue
        point = (location.lon, location.lat)
        if not coords or coords[-1] != point:
            coords.append(point)
    return coords, complete


def _members_geometry(meta: _Meta, locations: osmium.index.LocationTable | None,
                      member_lines: dict[int, LineString]) -> BaseGeometry | None:
    """Return the geometry of a relation's located members (points and lines), or None."""
    points = [_location(locations, ref) for kind, ref in meta.members if kind == "n"]
    lines = [[(x, y) for x, y in member_lines[ref].coords]
             for kind, ref in meta.members if kind == "w" and ref in member_lines]
    return members_geometry([p for p in points if p is not None], lines)


def _location(locations: osmium.index.LocationTable | None, ref: int) -> tuple[float, float] | None:
    if locations is None:
        return None
    try:
        location = locations.get(ref)
    except KeyError:
        return None
    return (location.lon, location.lat) if location.valid() else None


def _member_way_lines(source: osmium.io.File | str, way_ids: set[int],
                      locations: osmium.index.LocationTable | None) -> dict[int, LineString]:
    """Return the lines of the given ways, read in an extra ways-only pass (only when there are any)."""
    if not way_ids or locations is None:
        return {}
    lines: dict[int, LineString] = {}
    processor = osmium.FileProcessor(source, osmium.osm.WAY).with_filter(osmium.filter.IdFilter(way_ids))
    way: Any
    for way in processor:
        coords = [c for c in (_location(locations, node.ref) for node in way.nodes) if c is not None]
        if len(coords) >= 2:
            lines[way.id] = LineString(coords)
    return lines
