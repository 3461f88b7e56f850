"""Writes an OSM XML file (API 0.6 format, with versions and metadata) from a demo snapshot."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from osmbridge.demo.elements import OsmElement, Snapshot
from osmbridge.demo.output import write_atomic
from osmbridge.demo.town import to_lonlat

_TYPE_NAMES = {"n": "node", "w": "way", "r": "relation"}
_ORDER = {"n": 0, "w": 1, "r": 2}


def osm_xml(snapshot: Snapshot, bbox: tuple[float, float, float, float]) -> bytes:
    """The snapshot's OSM elements as .osm XML bytes: nodes, then ways, then relations, each by id."""
    south, west, north, east = bbox
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="osmbridge demo">',
             f' <bounds minlat="{south:.7f}" minlon="{west:.7f}" maxlat="{north:.7f}" maxlon="{east:.7f}"/>']
    for element in sorted(snapshot.osm.values(), key=lambda e: (_ORDER[e.osm_type], e.osm_id)):
        lines += _element_lines(element)
    lines.append("</osm>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _element_lines(element: OsmElement) -> list[str]:
    # Attribute values are escaped with quoteattr; ids and numbers need no escaping.
    head = (f' <{_TYPE_NAMES[element.osm_type]} id="{element.osm_id}" version="{element.version}" '
            f'timestamp="{element.timestamp}" uid="{element.uid}" user={quoteattr(element.user)} '
            f'changeset="{element.changeset}" visible="true"')
    if element.position is not None:
        lon, lat = to_lonlat(*element.position)
        head += f' lat="{lat:.7f}" lon="{lon:.7f}"'
    children = [f'  <nd ref="{node_id}"/>' for node_id in element.node_ids]
    children += [f'  <member type="{kind}" ref="{ref}" role={quoteattr(role)}/>' for kind, ref, role in element.members]
    children += [f"  <tag k={quoteattr(key)} v={quoteattr(value)}/>" for key, value in sorted(element.tags.items())]
    if not children:
        return [head + "/>"]
    return [head + ">", *children, f" </{_TYPE_NAMES[element.osm_type]}>"]


def write_osm(path: Path, snapshot: Snapshot, bbox: tuple[float, float, float, float]) -> None:
    """Write the snapshot's OSM elements to `path` as .osm XML, atomically."""
    write_atomic(path, osm_xml(snapshot, bbox))
