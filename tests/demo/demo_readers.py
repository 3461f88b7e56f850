"""Plain readers for the demo's files: osmium for OSM XML, json for GeoJSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import osmium


@dataclass(frozen=True)
class OsmObject:
    """An OSM object as osmium read it back from a demo file."""

    key: str
    version: int
    timestamp: str
    tags: dict[str, str]
    lonlat: tuple[float, float] | None
    node_ids: tuple[int, ...]
    members: tuple[tuple[str, int, str], ...]


def read_osm(path: Path) -> dict[str, OsmObject]:
    """Every object of an .osm file, by key ("n12"), read with pyosmium."""
    objects = {}
    for obj in osmium.FileProcessor(str(path)):
        kind = obj.type_str()
        lonlat = (obj.location.lon, obj.location.lat) if kind == "n" else None
        node_ids = tuple(ref.ref for ref in obj.nodes) if kind == "w" else ()
        members = tuple((m.type, m.ref, m.role) for m in obj.members) if kind == "r" else ()
        objects[f"{kind}{obj.id}"] = OsmObject(f"{kind}{obj.id}", obj.version,
                                               obj.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                               {tag.k: tag.v for tag in obj.tags}, lonlat, node_ids, members)
    return objects


def read_city(path: Path) -> dict[str, dict[str, Any]]:
    """The features of a city GeoJSON file by their `identifiant`."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    return {feature["properties"]["identifiant"]: feature for feature in collection["features"]}
