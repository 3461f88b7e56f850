"""OSM reading -> OsmPlace: local extracts (osmium formats, Overpass XML/JSON answers, overpass-turbo
GeoJSON) and a live Overpass server (QL generated from the mappings' tag filters, sent with overpy).

The names below are imported on first use: reading a local file does not load the Overpass client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osmbridge.osm.files import read_osm_file
    from osmbridge.osm.overpass_client import fetch_overpass
    from osmbridge.osm.overpass_query import build_overpass_query

_HOMES = {"read_osm_file": "osmbridge.osm.files", "fetch_overpass": "osmbridge.osm.overpass_client",
          "build_overpass_query": "osmbridge.osm.overpass_query"}

__all__ = ["build_overpass_query", "fetch_overpass", "read_osm_file"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
