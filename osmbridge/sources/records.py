"""What each format reader hands over: records with their origin and raw fields, not yet checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from osmbridge.sources.geometry import is_geo_point

_GEOJSON_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                            "GeometryCollection", "Feature"})


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as a reader found it: where, its flattened fields, and the geometry its format carries."""

    origin: str  # "file.csv:12", "file.geojson#feature 3", "https://.../records#record 40"
    fields: dict[str, Any]
    native_geometry: Any = None  # a GeoJSON feature's own geometry object; None for CSV and JSON rows
    problem: str | None = None  # the record is malformed as a whole (e.g. a CSV row of the wrong width)


@dataclass(frozen=True, slots=True)
class RawSource:
    """All records of one source, and what the source says about itself."""

    name: str  # the file path or URL, for messages
    columns: tuple[str, ...]  # every field name seen, in first-seen order
    records: list[RawRecord]
    declared_crs: str | None = None  # a CRS the file itself declares (legacy GeoJSON "crs" member)
    has_native_geometry: bool = False  # GeoJSON features: each may carry its own geometry


def flatten(obj: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Return `obj` with nested objects as dotted keys ({"geo": {"name": x}} -> {"geo.name": x}).

    GeoJSON objects and {"lat", "lon"} points stay whole: they are one value (a geometry), not fields.
    """
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and not is_geometry_value(value):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def is_geometry_value(value: Any) -> bool:
    """Say whether a JSON value is a GeoJSON geometry/Feature object or a lat/lon point object."""
    if not isinstance(value, dict):
        return False
    if value.get("type") in _GEOJSON_TYPES and ("coordinates" in value or "geometry" in value
                                                 or "geometries" in value):
        return True
    return is_geo_point(value)


def columns_of(records: list[RawRecord]) -> tuple[str, ...]:
    """Return every field name of `records`, in first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record.fields))
    return tuple(seen)
