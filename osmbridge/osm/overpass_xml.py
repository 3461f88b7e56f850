"""Overpass XML answers (`[out:xml]`, overpass-turbo's "raw OSM data" export), read into OsmPlaces.

Overpass adds what osmium's OSM XML reader refuses: `<center>` and `<bounds>` inside ways and
relations, coordinates on `<nd>`, and `<nd>` geometry inside relation `<member>`s (`out geom`).
This reader streams the XML and hands the elements to the same builder as Overpass JSON.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from osmbridge.errors import OsmSourceError
from osmbridge.model import OsmPlace, OsmType, TagFilter
from osmbridge.osm.elements import RawElement, RawMember, inline_coords, places_from_elements

log = logging.getLogger(__name__)

_TYPES: dict[str, OsmType] = {"node": "n", "way": "w", "relation": "r"}


def read_overpass_xml(source: IO[bytes], filters: Sequence[TagFilter], origin: Path | str,
                      bbox: tuple[float, float, float, float] | None = None) -> list[OsmPlace]:
    """Return the places of an Overpass XML answer that the filters accept."""
    places, skipped = places_from_elements(elements_from_overpass_xml(source, origin), filters, bbox)
    for reason, count in skipped.items():
        log.warning("%s: %d %s left out (use `out geom` or `out center` in the query)", origin, count, reason)
    return places


def elements_from_overpass_xml(source: IO[bytes], origin: Path | str) -> list[RawElement]:
    """Return the elements of an Overpass XML answer; raises OsmSourceError naming `origin`."""
    try:
        return list(_elements(source))
    except ET.ParseError as error:
        line, column = error.position
        raise OsmSourceError(f"{origin}: line {line}, column {column}: invalid XML ({error}). "
                             "The export may be truncated: download it again.") from error
    except (KeyError, ValueError) as error:
        raise OsmSourceError(f"{origin}: malformed Overpass element ({error!r}). "
                             "Export the data again from Overpass.") from error


def _elements(source: IO[bytes]) -> Iterator[RawElement]:
    depth = 0
    for event, node in ET.iterparse(source, events=("start", "end")):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if depth == 1 and node.tag in _TYPES:  # a top-level element under <osm>
            yield _element(node)
            node.clear()  # keep memory flat on big answers


def _element(node: ET.Element) -> RawElement:
    osm_type = _TYPES[node.tag]
    tags = {tag.attrib["k"]: tag.attrib.get("v", "") for tag in node.iter("tag")}
    center = node.find("center")
    common: dict[str, Any] = dict(
        osm_type=osm_type, osm_id=int(node.attrib["id"]), tags=tags,
        version=int(node.attrib.get("version", 0)), timestamp=node.attrib.get("timestamp"),
        center=_lon_lat(center) if center is not None else None,
    )
    if osm_type == "n":
        return RawElement(coords=(_lon_lat(node),) if "lat" in node.attrib else None, **common)
    if osm_type == "w":
        nds = node.findall("nd")
        line: tuple[tuple[float, float], ...] | None = None
        complete = False
        if any("lat" in nd.attrib for nd in nds):  # `out geom`; nodes outside a clipping bbox lack lat/lon
            line, complete = inline_coords([_lon_lat(nd) if "lat" in nd.attrib else None for nd in nds])
        return RawElement(coords=line, complete=complete, node_refs=tuple(int(nd.attrib["ref"]) for nd in nds),
                          **common)
    members = []
    for member in node.findall("member"):
        kind = _TYPES.get(member.attrib.get("type", ""))
        if kind is None:
            continue
        if "lat" in member.attrib:
            coords: tuple[tuple[float, float], ...] | None = (_lon_lat(member),)
        else:
            coords = tuple(_lon_lat(nd) for nd in member.findall("nd") if "lat" in nd.attrib) or None
        members.append(RawMember(osm_type=kind, ref=int(member.attrib["ref"]),
                                 role=member.attrib.get("role", ""), coords=coords))
    return RawElement(members=tuple(members), **common)


def _lon_lat(node: ET.Element) -> tuple[float, float]:
    return float(node.attrib["lon"]), float(node.attrib["lat"])
