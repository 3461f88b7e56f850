"""Write an OSM side (OsmPlace records) as an .osm XML file any OSM tool reads, conflate included."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import osmium
from osmium.osm import mutable
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from osmbridge.model import OsmPlace

# Ids of the untagged nodes and ring ways written for way/relation geometries; far above real ids.
_GEOMETRY_NODE_BASE = 8_000_000_000_000
_RING_WAY_BASE = 8_000_000_000_000


def write_osm_xml(places: Iterable[OsmPlace], path: Path) -> int:
    """Write `places` to `path` (.osm XML, atomically) and return how many features were written.

    Nodes keep their position; ways and multipolygon relations get fresh untagged nodes (and ring
    ways) carrying their geometry, so readers rebuild the same shapes.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    next_node = _GEOMETRY_NODE_BASE
    next_way = _RING_WAY_BASE
    count = 0
    # The .osm XML format requires nodes, then ways, then relations.
    nodes: list[mutable.Node] = []
    ways: list[mutable.Way] = []
    relations: list[mutable.Relation] = []

    def ring(coords: Sequence[tuple[float, ...]], closed: bool) -> list[int]:
        nonlocal next_node
        refs = []
        points = coords[:-1] if closed else coords
        for x, y, *_ in points:
            next_node += 1
            nodes.append(mutable.Node(id=next_node, location=(x, y), version=1))
            refs.append(next_node)
        return refs + refs[:1] if closed else refs

    for place in places:
        tags = dict(place.tags)
        geometry = place.geometry
        version = max(place.version, 1)
        if isinstance(geometry, Point):
            nodes.append(mutable.Node(id=place.osm_id, location=(geometry.x, geometry.y), tags=tags, version=version))
        elif isinstance(geometry, Polygon) and place.osm_type == "w":
            ways.append(mutable.Way(id=place.osm_id, nodes=ring(geometry.exterior.coords, True), tags=tags,
                                    version=version))
        elif isinstance(geometry, LineString):
            ways.append(mutable.Way(id=place.osm_id, nodes=ring(geometry.coords, False), tags=tags, version=version))
        elif isinstance(geometry, (Polygon, MultiPolygon)):
            members = []
            for polygon in getattr(geometry, "geoms", [geometry]):
                for role, coords in [("outer", polygon.exterior.coords)] + [("inner", r.coords) for r in polygon.interiors]:
                    next_way += 1
                    ways.append(mutable.Way(id=next_way, nodes=ring(coords, True), version=1))
                    members.append(("w", next_way, role))
            relations.append(mutable.Relation(id=place.osm_id, members=members,
                                              tags=tags | {"type": "multipolygon"}, version=version))
        else:
            raise ValueError(f"{place.key}: cannot write a {geometry.geom_type} to OSM XML")
        count += 1
    writer = osmium.SimpleWriter(osmium.io.File(str(tmp), "osm"))
    try:
        for node in sorted(nodes, key=lambda n: n.id):
            writer.add_node(node)
        for way in sorted(ways, key=lambda w: w.id):
            writer.add_way(way)
        for relation in sorted(relations, key=lambda r: r.id):
            writer.add_relation(relation)
    finally:
        writer.close()
    os.replace(tmp, path)
    return count
