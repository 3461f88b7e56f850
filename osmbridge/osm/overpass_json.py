"""Overpass JSON (`[out:json]`) and overpass-turbo GeoJSON exports, read into OsmPlaces."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from shapely.geometry import box, shape

from osmbridge.errors import OsmSourceError
from osmbridge.model import OsmPlace, OsmType, TagFilter
from osmbridge.osm.elements import RawElement, RawMember, inline_coords, places_from_elements
from osmbridge.osm.geometry import display_point, single_polygon
from osmbridge.osm.selection import accepts

log = logging.getLogger(__name__)

_TYPES: Mapping[str, OsmType] = {"node": "n", "way": "w", "relation": "r"}
_FEATURE_ID = re.compile(r"^(node|way|relation)/(\d+)$")


def elements_from_overpass_json(data: Mapping[str, Any], origin: str) -> list[RawElement]:
    """Return the elements of an Overpass JSON answer; `origin` names the file or URL in errors."""
    elements = data.get("elements")
    if not isinstance(elements, list):
        raise OsmSourceError(f"{origin}: no 'elements' list: not an Overpass JSON answer ([out:json]).")
    result = []
    for index, item in enumerate(elements):
        if not isinstance(item, dict) or item.get("type") not in _TYPES:
            continue  # areas, counts and other derived elements are not map features
        try:
            result.append(_element(item))
        except (KeyError, TypeError, ValueError) as error:
            raise OsmSourceError(
                f"{origin}: element {index} ({item.get('type')} {item.get('id')}): malformed ({error!r}). "
                "Export the data again from Overpass with [out:json]."
            ) from error
    return result


def read_overpass_json(data: Mapping[str, Any], filters: Sequence[TagFilter], origin: str,
                       bbox: tuple[float, float, float, float] | None = None) -> list[OsmPlace]:
    """Return the places of an Overpass JSON answer that the filters accept."""
    places, skipped = places_from_elements(elements_from_overpass_json(data, origin), filters, bbox)
    for reason, count in skipped.items():
        log.warning("%s: %d %s left out (use `out geom` or `out center` in the query)", origin, count, reason)
    return places


def read_overpass_geojson(data: Mapping[str, Any], filters: Sequence[TagFilter], origin: str,
                          bbox: tuple[float, float, float, float] | None = None) -> list[OsmPlace]:
    """Return the places of an overpass-turbo GeoJSON export that the filters accept.

    Feature ids are "node/123" (in `id` or the `@id` property); properties starting with "@"
    are export metadata, not tags. Older exports put tags and meta in nested `tags`/`meta` objects.
    """
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise OsmSourceError(f"{origin}: not a GeoJSON FeatureCollection.")
    area = box(bbox[1], bbox[0], bbox[3], bbox[2]) if bbox else None
    places: list[OsmPlace] = []
    without_id = without_geometry = 0
    for index, feature in enumerate(features):
        properties = feature.get("properties") or {}
        ident = _feature_id(feature, properties)
        if ident is None:
            without_id += 1
            continue
        tags, meta = _tags_and_meta(properties)
        if not tags or not accepts(tags, filters):
            continue
        if not feature.get("geometry"):
            without_geometry += 1
            continue
        try:
            geometry = single_polygon(shape(feature["geometry"]))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise OsmSourceError(
                f"{origin}: feature {index} ({ident[0]}{ident[1]}): unreadable geometry ({error}). "
                "Export the data again from overpass-turbo."
            ) from error
        if geometry.is_empty or (area is not None and not geometry.intersects(area)):
            continue
        places.append(OsmPlace(
            osm_type=ident[0], osm_id=ident[1], version=_int(meta.get("version")),
            geometry=geometry, tags=tags, center=display_point(geometry),
            timestamp=meta.get("timestamp") or None,
        ))
    if without_id:
        if without_id == len(features):
            raise OsmSourceError(
                f"{origin}: no feature has an OSM id (\"node/123\" in `id` or `@id`): "
                "this is not an overpass-turbo export of OSM data."
            )
        log.warning("%s: %d features without an OSM id left out", origin, without_id)
    if without_geometry:
        log.warning("%s: %d features without geometry left out", origin, without_geometry)
    return places


def _element(item: Mapping[str, Any]) -> RawElement:
    osm_type = _TYPES[item["type"]]
    center = item.get("center")
    common: dict[str, Any] = dict(
        osm_type=osm_type, osm_id=int(item["id"]), tags=_str_tags(item.get("tags") or {}),
        version=_int(item.get("version")), timestamp=item.get("timestamp"),
        center=(float(center["lon"]), float(center["lat"])) if center else None,
    )
    if osm_type == "n":
        point = ((float(item["lon"]), float(item["lat"])),) if "lat" in item else None
        return RawElement(coords=point, **common)
    if osm_type == "w":
        line, complete = _line(item.get("geometry"))
        return RawElement(coords=line, complete=complete, node_refs=tuple(item.get("nodes") or ()), **common)
    members = tuple(_member(m) for m in item.get("members") or () if m.get("type") in _TYPES)
    return RawElement(members=members, **common)


def _member(item: Mapping[str, Any]) -> RawMember:
    osm_type = _TYPES[item["type"]]
    if osm_type == "n" and "lat" in item:
        coords: tuple[tuple[float, float], ...] | None = ((float(item["lon"]), float(item["lat"])),)
    else:
        coords = _line(item.get("geometry"))[0]
    return RawMember(osm_type=osm_type, ref=int(item["ref"]), role=item.get("role") or "", coords=coords)


def _line(geometry: Any) -> tuple[tuple[tuple[float, float], ...] | None, bool]:
    """Return `out geom` coordinates and whether all were there (null entries: clipped by a bbox)."""
    if not geometry:
        return None, False
    return inline_coords([(float(p["lon"]), float(p["lat"])) if p is not None else None for p in geometry])


def _feature_id(feature: Mapping[str, Any], properties: Mapping[str, Any]) -> tuple[OsmType, int] | None:
    for candidate in (feature.get("id"), properties.get("@id"), properties.get("id")):
        match = _FEATURE_ID.match(str(candidate)) if candidate is not None else None
        if match:
            return _TYPES[match.group(1)], int(match.group(2))
    if properties.get("type") in _TYPES and str(properties.get("id", "")).isdigit():
        return _TYPES[properties["type"]], int(properties["id"])  # osmtogeojson before 2.2
    return None


def _tags_and_meta(properties: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    if isinstance(properties.get("tags"), dict):  # osmtogeojson before 2.2: nested tags and meta
        return _str_tags(properties["tags"]), dict(properties.get("meta") or {})
    tags = {k: v for k, v in properties.items() if not k.startswith("@")}
    meta = {k[1:]: v for k, v in properties.items() if k.startswith("@")}
    return _str_tags(tags), meta


def _str_tags(tags: Mapping[str, Any]) -> dict[str, str]:
    # OSM tag values are strings; some exports turn "3" into 3. Nested values are not tags.
    return {str(k): v if isinstance(v, str) else str(v) for k, v in tags.items()
            if v is not None and not isinstance(v, (dict, list))}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0

