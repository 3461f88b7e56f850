"""Fingerprints: short hashes that change when a place changes in a way that matters for identity.

A person's decision ("A is B") stays valid while both fingerprints are unchanged. What counts:
the name, the tags saying what the place is, its link refs, its street address, and its position
on a grid of about 5 m (an edit that nudges a node by a metre keeps the decision; moving the place
across the street does not; a move of a few centimetres across a grid line also re-asks, the
safe direction). Version numbers, opening hours or phone edits do not.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from osmbridge.match.kinds import PRIMARY_KEYS
from osmbridge.model import CityFeature, OsmPlace

_GRID_M = 5.0
_METRES_PER_DEG = 111_320.0
_ADDRESS_KEYS = ("addr:street", "addr:housenumber")
_LIFECYCLE_PREFIXES = ("disused:", "abandoned:", "was:", "demolished:", "removed:")


def _cell(geometry: BaseGeometry) -> tuple[int, int]:
    """Return the ~5 m grid cell of a geometry's representative point."""
    point = geometry if isinstance(geometry, Point) else geometry.representative_point()
    lat_step = _GRID_M / _METRES_PER_DEG
    lon_step = lat_step / max(math.cos(math.radians(point.y)), 0.01)
    return round(point.y / lat_step), round(point.x / lon_step)


def _identity_tags(tags: Mapping[str, str], extra_keys: tuple[str, ...]) -> dict[str, str]:
    """Return the tags that say which place this is."""
    wanted = set(PRIMARY_KEYS) | set(_ADDRESS_KEYS) | set(extra_keys) | {"name"}
    kept = {}
    for key, value in tags.items():
        base = key
        for prefix in _LIFECYCLE_PREFIXES:
            base = base.removeprefix(prefix)
        if key in wanted or base in PRIMARY_KEYS or key == "ref" or key.startswith("ref:") or key == "wikidata":
            kept[key] = value
    return kept


def _digest(payload: object) -> str:
    """Return a 16-hex-digit hash of a JSON-serialisable payload."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def city_fingerprint(feature: CityFeature) -> str:
    """Return a hash that changes when the city place changes materially (name, type, refs, address, position)."""
    type_keys = tuple(key for key, _ in feature.match_tags)
    ref_keys = (feature.ref_tag,) if feature.ref_tag else ()
    return _digest(
        {
            "id": feature.source_id,
            "name": feature.name,
            "tags": _identity_tags(feature.tags, type_keys + ref_keys),
            "cell": _cell(feature.geometry),
        }
    )


def osm_fingerprint(place: OsmPlace) -> str:
    """Return a hash that changes when the OSM place changes materially (name, type, refs, address, position)."""
    return _digest(
        {
            "key": place.key,
            "tags": _identity_tags(place.tags, ()),
            "cell": _cell(place.geometry),
        }
    )
