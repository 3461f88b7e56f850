"""Reading GeoJSON FeatureCollections and JSON lists of records (also newline-delimited JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from osmbridge.errors import SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources.download import read_location
from osmbridge.sources.records import RawRecord, RawSource, columns_of, flatten


def read_json(spec: SourceSpec) -> RawSource:
    """Return every record of the GeoJSON or JSON file (path or URL) `spec.location`."""
    name, text = read_location(spec.location, spec.encoding, spec.timeout_s, spec.http_cache, spec.contact)
    return source_from_json(load_json(text, name), name, spec.records_path)


def load_json(text: str, name: str) -> Any:
    """Return the parsed JSON document, or the list of documents of newline-delimited JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            lines = _json_lines(text)
            if lines is not None:
                return lines
        raise SourceError(f"{name}:{error.lineno}: not valid JSON ({error.msg}, column {error.colno}). "
                          "Export the dataset again, or check that kind matches the file's format.") from None


def _json_lines(text: str) -> list[Any] | None:
    """The documents of newline-delimited JSON, or None when the text is not that either."""
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError:
        return None


def source_from_json(data: Any, name: str, records_path: str | None, first: int = 1) -> RawSource:
    """Return the records of a parsed JSON document: features, a list, or a list inside an object."""
    if isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature") and not records_path:
        features = data.get("features") if data["type"] == "FeatureCollection" else [data]
        if not isinstance(features, list):
            raise SourceError(f"{name}: a FeatureCollection without a list of features.")
        return _features_source(features, name, first, _declared_crs(data))
    items = _records_list(data, name, records_path)
    if items and all(isinstance(item, dict) and item.get("type") == "Feature" for item in items):
        return _features_source(items, name, first, None)  # features listed without a FeatureCollection
    records = json_records(items, name, first)
    return RawSource(name, columns_of(records), records)


def _features_source(features: list[Any], name: str, first: int, crs: str | None) -> RawSource:
    records = [_feature(feature, f"{name}#feature {n}") for n, feature in enumerate(features, start=first)]
    return RawSource(name, columns_of(records), records, crs, has_native_geometry=True)


def json_records(items: Sequence[Any], name: str, first: int = 1) -> list[RawRecord]:
    """Return JSON objects as records; origins are "name#record N" counted from `first`."""
    records = []
    for n, item in enumerate(items, start=first):
        origin = f"{name}#record {n}"
        if isinstance(item, dict):
            records.append(RawRecord(origin, flatten(item)))
        else:
            records.append(RawRecord(origin, {}, problem=f"is {type(item).__name__}, not a JSON object"))
    return records


def _feature(feature: Any, origin: str) -> RawRecord:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return RawRecord(origin, {}, problem="is not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return RawRecord(origin, {}, problem="has properties that are not a JSON object")
    return RawRecord(origin, flatten(properties), native_geometry=feature.get("geometry"))


def _declared_crs(data: dict[str, Any]) -> str | None:
    """The legacy (2008 GeoJSON) "crs" member, e.g. "urn:ogc:def:crs:EPSG::2154"; RFC 7946 has none."""
    crs = data.get("crs")
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = crs["properties"].get("name")
        return name if isinstance(name, str) and name else None
    return None


def _records_list(data: Any, name: str, records_path: str | None) -> list[Any]:
    """The list of records: the document itself, at `records_path`, or the one list an object holds."""
    if records_path:
        node = data
        for key in records_path.split("."):
            if not isinstance(node, dict) or key not in node:
                keys = sorted(node) if isinstance(node, dict) else []
                raise SourceError(f"{name}: records_path {records_path!r}: no key {key!r} here (keys: {keys}). "
                                  "Fix records_path in the source spec.")
            node = node[key]
        data = node
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        lists = [key for key, value in data.items()
                 if isinstance(value, list) and all(isinstance(item, dict) for item in value)]
        filled = [key for key in lists if data[key]]
        for candidates in (filled, lists):
            if len(candidates) == 1 and not records_path:
                return data[candidates[0]]
        raise SourceError(f"{name}: cannot tell which list holds the records (lists of objects under: "
                          f"{lists or 'none'}). Set records_path in the source spec, e.g. \"data.items\".")
    raise SourceError(f"{name}: holds a single JSON {type(data).__name__}, not records. Check the file.")
