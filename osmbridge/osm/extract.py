"""OSM extracts read with osmium (.osm, .osm.pbf, .osm.bz2, .osm.gz, .o5m): streamed, filtered, with geometry.

One streaming pass (plus osmium's relation pre-pass for area assembly): a C++ tag filter drops
every object no mapping asks for before Python sees it, node locations are kept in osmium's index
so ways get coordinates, and osmium assembles areas from closed ways and multipolygon relations.
Only when a matching relation is neither (a site, a stop area...) is the file read a third time,
for the ways it has as members.

Python does as little as it can per object: the C++ filter is exact whenever the filters allow it
(so objects are not checked again), tags are copied with one call per tag, geometries travel as
osmium's WKB and become shapely objects in a few vectorised calls at the end of the stream.
"""

from __future__ import annotations

import gc
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import shapely
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from osmbridge.errors import OsmSourceError
from osmbridge.model import DroppedOsmObject, OsmPlace, OsmType, TagFilter
from osmbridge.osm.elements import AREA_RELATION_TYPES
from osmbridge.osm.geometry import display_point, is_area, members_geometry, polygon_from_ring
from osmbridge.osm.selection import accepts, filter_keys

# Node locations: flex_mem (sparse, 16 bytes a node, dense when ids are) up to a few hundred
# million nodes; past a 2 GiB PBF (a large country) a disk-backed sparse array keeps RAM free.
IN_MEMORY_LIMIT_BYTES = 2 * 1024**3

_NODE, _WAY, _RELATION, _AREA = osmium.osm.Node, osmium.osm.Way, osmium.osm.Relation, osmium.osm.Area
_TYPE_OF: dict[type, OsmType] = {_WAY: "w", _RELATION: "r"}
_EPOCH_TEXT = "1970-01-01T00:00:00"  # osmium's timestamp of an object that has none

Tags = dict[str, str]


@dataclass(slots=True)
class _Meta:
    """What an OsmPlace keeps of an object, copied out while the osmium view is valid."""

    osm_type: OsmType
    osm_id: int
    version: int
    tags: Tags
    timestamp: Any  # osmium's datetime, turned into text when the place is made
    line: str | None = None  # a way's WKB (hex), while it waits for the area osmium may build
    coords: list[tuple[float, float]] | None = None  # a way's located points when some are missing
    members: Sequence[tuple[str, int]] = ()  # a relation's (type, ref); nothing allocated for the ways


def read_extract(path: Path, filters: Sequence[TagFilter], file_format: str | None = None,
                 bbox: tuple[float, float, float, float] | None = None, *,
                 tag_keys: Collection[str] | None = None,
                 timestamps: bool = True) -> tuple[list[OsmPlace], Counter[str], list[DroppedOsmObject]]:
    """Return the places of an osmium-readable file that the filters accept, what was left out (counts
    by reason), and the accepted objects that could not be placed (see `_Reader.dropped`).

    `file_format` is osmium's format name ("pbf", "osm.bz2"...) when the extension does not say it.
    `tag_keys` copies only those tags (the filters' keys always); `timestamps=False` leaves them out:
    a one-shot match needs neither, and copying them is most of the reader's own cost.
    """
    source = osmium.io.File(str(path), file_format) if file_format else str(path)
    with tempfile.TemporaryDirectory(prefix="osmbridge-nodes-") as scratch:
        index = "flex_mem"
        if path.stat().st_size > IN_MEMORY_LIMIT_BYTES:
            index = f"sparse_file_array,{Path(scratch) / 'locations.idx'}"
        processor = (osmium.FileProcessor(source)
                     .with_locations(index)
                     .with_areas(_prefilter(filters))
                     .with_filter(_prefilter(filters)))
        check = _python_check(filters)
        if tag_keys is not None and check is None:
            copy_tags: Callable[[Any], Tags] = _tag_picker(sorted(set(tag_keys) | set(filter_keys(filters))))
        else:
            copy_tags = _copy_tags  # a check may need every key: restrict after it
        reader = _Reader(bbox, timestamps)
        with _without_cyclic_gc():
            try:
                reader.read(processor, copy_tags, check, None if tag_keys is None else frozenset(tag_keys))
                member_lines = _member_way_lines(source, reader.member_way_ids(), processor.node_location_storage)
            except (RuntimeError, ValueError) as error:  # osmium's parse and format errors
                raise OsmSourceError(f"{path}: osmium cannot read this file ({error}). "
                                     "Check that it is a complete OSM XML/PBF file.") from error
            places, skipped = reader.finish(processor.node_location_storage, member_lines)
            return places, skipped, reader.dropped


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector, as it was found."""
    # The reader allocates millions of small objects (tags, tuples, places) and makes no reference
    # cycles; the cyclic collector would walk them again and again, a third of a large read.
    # Reference counting still frees everything.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _prefilter(filters: Sequence[TagFilter]) -> Any:
    """Return osmium's C++ filter: exact for key=value filters and for key-only ones, else on the keys."""
    # A fresh filter per use: the area pre-pass and the main pass each run their own chain.
    if not filters:
        return osmium.filter.EmptyTagFilter()
    if all(f.value is not None for f in filters):
        return osmium.filter.TagFilter(*((f.key, str(f.value)) for f in filters))
    return osmium.filter.KeyFilter(*filter_keys(filters))


def _python_check(filters: Sequence[TagFilter]) -> Callable[[Mapping[str, str]], bool] | None:
    """Return the test Python must still apply to an object's tags, or None when the C++ filter was exact.

    Only two cases need one: no filters (osmium passes any tagged object, and editing metadata alone
    does not make a place), and key=value filters mixed with key-only ones (osmium filtered on keys).
    """
    exact = all(f.value is not None for f in filters) or all(f.value is None for f in filters)
    if filters and exact:
        return None
    return lambda tags: accepts(tags, filters)


def _copy_tags(data: Any) -> Tags:
    """Return the tags of osmium's C++ object (pyosmium 4's `_pyosmium_data`) as a dict."""
    # One C++ call per tag, and exactly as many as there are: iterating osmium's TagList ends in a
    # StopIteration thrown through pybind11, which costs more than copying the tags themselves.
    iterator = data.tags_begin()
    following = data.tags_next
    return dict([following(iterator) for _ in range(data.tags_size())])


def _tag_picker(keys: Sequence[str]) -> Callable[[Any], Tags]:
    """Return a function copying only `keys` out of osmium's C++ object (one lookup per key, in order).

    The lookups stop once every tag of the object has been found: an object that carries only keys
    the reader wants (a node with amenity and name) costs two lookups, not one per key.
    """

    def pick(data: Any) -> Tags:
        get = data.tags_get_value_by_key
        left = data.tags_size()
        tags = {}
        for key in keys:
            if not left:
                break
            value = get(key, None)
            if value is not None:
                tags[key] = value
                left -= 1
        return tags

    return pick


def _text_timestamp(value: Any) -> str | None:
    """Return osmium's UTC datetime as OSM writes it ("2021-07-07T10:00:00Z"), None when missing."""
    if value is None:
        return None
    text = value.isoformat()
    return None if text.startswith(_EPOCH_TEXT) else text[:19] + "Z"


class _Reader:
    """Collects places from the osmium stream; areas may arrive before or after their way or relation."""

    def __init__(self, bbox: tuple[float, float, float, float] | None, timestamps: bool) -> None:
        self.area = box(bbox[1], bbox[0], bbox[3], bbox[2]) if bbox else None
        self.timestamps = timestamps
        self.wkb = osmium.geom.WKBFactory()
        self.skipped: Counter[str] = Counter()
        # Nodes are most places: (id, version, tags, timestamp, lon, lat), made into places in bulk.
        self.nodes: list[tuple[int, int, Tags, Any, float, float]] = []
        self.lines: list[_Meta] = []  # ways that stay lines (WKB in meta.line)
        self.area_ways: dict[int, _Meta] = {}  # closed area ways waiting for their osmium area
        self.area_relations: dict[int, _Meta] = {}
        self.other_relations: list[_Meta] = []
        self.way_areas: dict[int, str] = {}  # WKB of the areas osmium built from closed ways
        self.relation_areas: dict[int, str] = {}
        # Accepted objects that get no geometry: they exist in OSM, so the diff must not propose
        # creating a city place over them. Kept apart from `skipped` (counts only).
        self.dropped: list[DroppedOsmObject] = []

    def read(self, stream: Iterable[Any], copy_tags: Callable[[Any], Tags],
             check: Callable[[Mapping[str, str]], bool] | None, keep: frozenset[str] | None) -> None:
        """Copy what is needed out of each object of the stream (the loop every object goes through)."""
        nodes = self.nodes
        timestamps = self.timestamps
        for obj in stream:
            kind = type(obj)
            data = obj._pyosmium_data  # pyosmium 4: the C++ object behind the view
            if kind is _AREA:
                self._take_area(obj, data)
                continue
            tags = copy_tags(data)
            if check is not None:
                if not check(tags):
                    continue
                if keep is not None:
                    tags = {key: value for key, value in tags.items() if key in keep}
            if kind is _NODE:
                location = data.location()
                if location.valid():
                    nodes.append((data.id(), data.version(), tags, data.timestamp() if timestamps else None,
                                  location.lon, location.lat))
                else:
                    self.skipped["node without a valid location"] += 1
                continue
            meta = _Meta(_TYPE_OF[kind], data.id(), data.version(), tags, data.timestamp() if timestamps else None)
            if kind is _WAY:
                self._take_way(obj, data, meta)
            elif tags.get("type") in AREA_RELATION_TYPES:
                meta.members = [(m.type, m.ref) for m in obj.members]  # to place it if osmium cannot
                self.area_relations[meta.osm_id] = meta
            else:
                meta.members = [(m.type, m.ref) for m in obj.members]
                self.other_relations.append(meta)

    def _take_way(self, way: Any, data: Any, meta: _Meta) -> None:
        try:
            meta.line = self.wkb.create_linestring(way)
        except (osmium.InvalidLocationError, RuntimeError):
            # Nodes cut off by a clipped extract, or a single distinct point: keep what is there.
            meta.coords = _located_coords(way)
            if len(meta.coords) < 2:
                if meta.coords:
                    meta.coords = meta.coords[:1]
                    self.lines.append(meta)
                else:
                    self.skipped["way without node locations (nodes missing from the extract)"] += 1
                    self._drop(meta, "way_without_locations", None)
                return
            self.lines.append(meta)
            return
        # osmium builds the area of a closed way while reading it and hands it over soon after; the
        # way's own ring becomes a geometry only when it does not.
        if data.is_closed() and _point_count(meta.line) >= 4 and is_area(meta.tags):
            self.area_ways[meta.osm_id] = meta
        else:
            self.lines.append(meta)

    def _take_area(self, area: Any, data: Any) -> None:
        try:
            wkb = self.wkb.create_multipolygon(area)
        except (osmium.InvalidLocationError, RuntimeError):
            return  # the way keeps its own ring; the relation is counted as not assembled
        if data.from_way():
            self.way_areas[data.orig_id()] = wkb
        else:
            self.relation_areas[data.orig_id()] = wkb

    def member_way_ids(self) -> set[int]:
        """Return the ids of the ways that the kept non-area relations, and the multipolygons osmium
        could not assemble, have as members."""
        unassembled = [meta for meta in self.area_relations.values() if meta.osm_id not in self.relation_areas]
        return {ref for meta in (*self.other_relations, *unassembled) for kind, ref in meta.members if kind == "w"}

    def finish(self, locations: Any, member_lines: dict[int, LineString]) -> tuple[list[OsmPlace], Counter[str]]:
        """Return the places (nodes, ways, relations), their geometries built in bulk."""
        metas: list[_Meta] = []
        geometries: list[Any] = []
        places = self._node_places()
        metas += self.lines
        geometries += _lines(self.lines)
        area_metas = [meta for meta in self.area_ways.values() if meta.osm_id in self.way_areas]
        metas += area_metas
        geometries += _polygons([self.way_areas[meta.osm_id] for meta in area_metas])
        for meta in self.area_ways.values():
            if meta.osm_id not in self.way_areas:
                self.skipped["closed way whose area osmium could not build (own ring used)"] += 1
                ring = list(shapely.get_coordinates(shapely.from_wkb(meta.line)))
                metas.append(meta)
                geometries.append(polygon_from_ring(ring) or LineString(ring))
        relation_metas = [meta for meta in self.area_relations.values() if meta.osm_id in self.relation_areas]
        metas += relation_metas
        geometries += _polygons([self.relation_areas[meta.osm_id] for meta in relation_metas])
        unassembled = len(self.area_relations) - len(relation_metas)
        if unassembled:
            self.skipped["multipolygon relation not assembled (incomplete or broken rings)"] += unassembled
        for meta in self.area_relations.values():
            if meta.osm_id not in self.relation_areas:
                self._drop(meta, "multipolygon_not_assembled", _members_geometry(meta, locations, member_lines))
        for meta in self.other_relations:
            geometry = _members_geometry(meta, locations, member_lines)
            if geometry is None:
                self.skipped["relation without member locations"] += 1
                self._drop(meta, "relation_without_locations", None)
            else:
                metas.append(meta)
                geometries.append(geometry)
        return places + self._places(metas, geometries), self.skipped

    def _drop(self, meta: _Meta, reason: str, geometry: BaseGeometry | None) -> None:
        if geometry is not None and self.area is not None and not geometry.intersects(self.area):
            return
        self.dropped.append(DroppedOsmObject(meta.osm_type, meta.osm_id, dict(meta.tags), reason, geometry))

    def _node_places(self) -> list[OsmPlace]:
        """Return the places of the nodes, their points made in one call."""
        if not self.nodes:
            return []
        ids, versions, tags, times, lon, lat = zip(*self.nodes)
        self.nodes = []
        points = np.asarray(shapely.points(np.array(lon), np.array(lat)), dtype=object)
        keep = shapely.intersects(points, self.area) if self.area is not None else np.ones(len(points), dtype=np.bool_)
        stamps = [_text_timestamp(time) for time in times] if self.timestamps else times
        return [
            OsmPlace("n", osm_id, version, point, place_tags, point, stamp)
            for osm_id, version, place_tags, stamp, point, kept
            in zip(ids, versions, tags, stamps, points.tolist(), keep.tolist())
            if kept
        ]

    def _places(self, metas: list[_Meta], geometries: list[Any]) -> list[OsmPlace]:
        """Return one OsmPlace per meta whose geometry is not empty (and meets the bbox)."""
        array = np.empty(len(geometries), dtype=object)
        array[:] = geometries
        keep = ~(shapely.is_missing(array) | shapely.is_empty(array))
        if self.area is not None:
            keep &= shapely.intersects(array, self.area)
        centres = _display_points(array)
        return [
            OsmPlace(osm_type=meta.osm_type, osm_id=meta.osm_id, version=meta.version, geometry=geometry,
                     tags=meta.tags, center=centre, timestamp=_text_timestamp(meta.timestamp))
            for meta, geometry, centre, kept in zip(metas, array.tolist(), centres.tolist(), keep.tolist())
            if kept
        ]


def _point_count(line_wkb: str) -> int:
    """Return the number of points of a WKB (hex, little-endian) linestring."""
    return int.from_bytes(bytes.fromhex(line_wkb[10:18]), "little")


def _lines(metas: list[_Meta]) -> list[Any]:
    """Return the geometry of each way that stays a line (a Point when one location is left)."""
    result: list[Any] = [None] * len(metas)
    whole = [(n, meta.line) for n, meta in enumerate(metas) if meta.line is not None]
    if whole:
        for (n, _), line in zip(whole, _from_hex_wkb([wkb for _, wkb in whole]).tolist()):
            result[n] = line
    for n, meta in enumerate(metas):
        if meta.coords is not None:
            result[n] = Point(meta.coords[0]) if len(meta.coords) == 1 else LineString(meta.coords)
        meta.line = meta.coords = None
    return result


def _polygons(wkbs: list[str]) -> list[Any]:
    """Return the areas osmium built, a one-part MultiPolygon as a Polygon."""
    if not wkbs:
        return []
    geometries = _from_hex_wkb(wkbs)
    single = shapely.get_num_geometries(geometries) == 1
    geometries[single] = shapely.get_geometry(geometries[single], 0)
    return list(geometries)


def _from_hex_wkb(wkbs: list[str]) -> np.ndarray:
    """Return the geometries of osmium's hex WKB strings."""
    # GEOS reads hex four times slower than Python turns it into bytes and GEOS reads those.
    return shapely.from_wkb([bytes.fromhex(wkb) for wkb in wkbs])


def _display_points(geometries: np.ndarray) -> np.ndarray:
    """Return, for each geometry, where a map puts its marker (as `display_point`), in bulk."""
    centres = np.empty(len(geometries), dtype=object)
    if not len(geometries):
        return centres
    kinds = shapely.get_type_id(geometries)
    point, line, polygon = kinds == 0, kinds == 1, (kinds == 3) | (kinds == 6)
    centres[point] = geometries[point]
    centres[line] = shapely.line_interpolate_point(geometries[line], 0.5, normalized=True)
    centres[polygon] = shapely.point_on_surface(geometries[polygon])
    for n in np.flatnonzero(~(point | line | polygon) & (kinds >= 0)).tolist():
        if not geometries[n].is_empty:
            centres[n] = display_point(geometries[n])
    return centres


def _located_coords(way: Any) -> list[tuple[float, float]]:
    """Return the located coordinates of a way, without repeated consecutive points."""
    coords: list[tuple[float, float]] = []
    for node in way.nodes:
        location = node.location
        if not location.valid():
            continue
        point = (location.lon, location.lat)
        if not coords or coords[-1] != point:
            coords.append(point)
    return coords


def _members_geometry(meta: _Meta, locations: Any, member_lines: dict[int, LineString]) -> BaseGeometry | None:
    """Return the geometry of a relation's located members (points and lines), or None."""
    points = [_location(locations, ref) for kind, ref in meta.members if kind == "n"]
    lines = [[(x, y) for x, y, *_ in member_lines[ref].coords]
             for kind, ref in meta.members if kind == "w" and ref in member_lines]
    return members_geometry([p for p in points if p is not None], lines)


def _location(locations: Any, ref: int) -> tuple[float, float] | None:
    if locations is None:
        return None
    try:
        location = locations.get(ref)
    except KeyError:
        return None
    return (location.lon, location.lat) if location.valid() else None


def _member_way_lines(source: osmium.io.File | str, way_ids: set[int], locations: Any) -> dict[int, LineString]:
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
