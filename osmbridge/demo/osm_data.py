"""Writes an OSM XML file (API 0.6 format, with versions and metadata) from a demo snapshot."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from osmbridge.demo.elements import OsmElement, Snapshot
from osmbridge.demo.output import write_atomic
from osmbridge.demo.town import to_lonlat

_TYPE_NAMES = {"n": "node", "w": "way", "r": "relation"}


def osm_xml(snapshot: Snapshot, bbox: tuple[float, float, float, float]) -> bytes:
    """The snapshot's OSM elements as .osm XML bytes: nodes, then ways, then relations, each by id."""
    root = ET.Element("osm", {"version": "0.6", "generator": "osmbridge demo"})
    south, west, north, east = bbox
    ET.SubElement(root, "bounds", {"minlat": f"{south:.7f}", "minlon": f"{west:.7f}",
                                   "maxlat": f"{north:.7f}", "maxlon": f"{east:.7f}"})
    order = {"n": 0, "w": 1, "r": 2}
    for element in sorted(snapshot.osm.values(), key=lambda e: (order[e.osm_type], e.osm_id)):
        root.append(_element_xml(element))
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _element_xml(element: OsmElement) -> ET.Element:
    attributes = {"id": str(element.osm_id), "version": str(element.version), "timestamp": element.timestamp,
                  "uid": str(element.uid), "user": element.user, "changeset": str(element.changeset),
                  "visible": "true"}
    if element.position is not None:
        lon, lat = to_lonlat(*element.position)
        attributes.update(lat=f"{lat:.7f}", lon=f"{lon:.7f}")
    node = ET.Element(_TYPE_NAMES[element.osm_type], attributes)
    for node_id in element.node_ids:
        ET.SubElement(node, "nd", {"ref": str(node_id)})
    for member_type, member_id, role in element.members:
        ET.SubElement(node, "member", {"type": member_type, "ref": str(member_id), "role": role})
    for key, value in sorted(element.tags.items()):
        ET.SubElement(node, "tag", {"k": key, "v": value})
    return node


def write_osm(path: Path, snapshot: Snapshot, bbox: tuple[float, float, float, float]) -> None:
    """Write the snapshot's OSM elements to `path` as .osm XML, atomically."""
    write_atomic(path, osm_xml(snapshot, bbox))
