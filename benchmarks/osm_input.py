"""Read a real OSM extract (.osm, .pbf, Overpass JSON) into OsmPlace records for the benchmark.

osmbridge's own reader (`osmbridge.osm.read_osm_file`) is used when it is installed; the small
fallback here only exists so the harness runs while that reader is being written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from osmbridge.model import OsmPlace

TagFilter = Callable[[Mapping[str, str]], bool]


def read_places(path: Path, keep: TagFilter) -> tuple[list[OsmPlace], str]:
    """Return the places of `path` whose tags pass `keep`, and which reader produced them."""
    try:
        from osmbridge.osm import read_osm_file
    except ImportError:
        places = _read_json(path) if path.suffix == ".json" else _read_osmium(path)
        reader = "benchmark fallback reader"
    else:
        places = list(read_osm_file(path))
        reader = "osmbridge.osm.read_osm_file"
    return [p for p in places if keep(p.tags)], reader


def _place(osm_type: str, osm_id: int, version: int, geometry: BaseGeometry, tags: Mapping[str, str]) -> OsmPlace:
    center = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return OsmPlace(osm_type, osm_id, version, geometry, dict(tags), center)  # type: ignore[arg-type]


def _read_osmium(path: Path) -> list[OsmPlace]:
    import osmium

    wkb = osmium.geom.WKBFactory()
    places: list[OsmPlace] = []
    area_ways: set[int] = set()
    lines: list[OsmPlace] = []
    for obj in osmium.FileProcessor(str(path)).with_locations().with_areas():
        if not len(obj.tags):
            continue
        tags = {t.k: t.v for t in obj.tags}
        if obj.is_node():
            places.append(_place("n", obj.id, obj.version, Point(obj.location.lon, obj.location.lat), tags))
        elif obj.is_area():
            geometry = shapely.from_wkb(wkb.create_multipolygon(obj))
            if len(geometry.geoms) == 1:
                geometry = geometry.geoms[0]
            osm_type = "w" if obj.from_way() else "r"
            if obj.from_way():
                area_ways.add(obj.orig_id())
            places.append(_place(osm_type, obj.orig_id(), obj.version, geometry, tags))
        elif obj.is_way() and len(obj.nodes) >= 2:
            coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if len(coords) >= 2:
                lines.append(_place("w", obj.id, obj.version, LineString(coords), tags))
    return places + [w for w in lines if w.osm_id not in area_ways]


def _read_json(path: Path) -> list[OsmPlace]:
    elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
    nodes = {e["id"]: (e["lon"], e["lat"]) for e in elements if e["type"] == "node" and "lat" in e}
    places: list[OsmPlace] = []
    for e in elements:
        tags = e.get("tags") or {}
        if not tags:
            continue
        version = e.get("version", 0)
        if e["type"] == "node":
            places.append(_place("n", e["id"], version, Point(nodes[e["id"]]), tags))
        elif e["type"] == "way":
            coords = [nodes[n] for n in e.get("nodes", ()) if n in nodes]
            if len(coords) >= 4 and coords[0] == coords[-1]:
                places.append(_place("w", e["id"], version, Polygon(coords), tags))
            elif len(coords) >= 2:
                places.append(_place("w", e["id"], version, LineString(coords), tags))
        elif "center" in e:
            places.append(_place("r", e["id"], version, Point(e["center"]["lon"], e["center"]["lat"]), tags))
    return places
