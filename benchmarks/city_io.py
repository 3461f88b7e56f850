"""The city list on disk (a JSON list both tools read) and as osmbridge CityFeature records."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from shapely.geometry import Point

from benchmarks.synthetic import CityRecord
from osmbridge.model import CityFeature, CityPlace

LICENCE = "ODbL-1.0"  # derived from OSM data


def record_tags(record: CityRecord) -> dict[str, str]:
    """Return the OSM tags a city record asserts: its primary tag and its name."""
    tags = {record.kind[0]: record.kind[1]}
    if record.name:
        tags["name"] = record.name
    return tags


def write_city_json(records: Iterable[CityRecord], path: Path) -> None:
    """Write the city list as [{"id", "lat", "lon", "tags"}] (atomically)."""
    rows = [{"id": r.source_id, "lat": r.lat, "lon": r.lon, "tags": record_tags(r)} for r in records]
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_city_features(path: Path, dataset: str, match_distance_m: float) -> list[CityFeature]:
    """Read a city list written by `write_city_json` as CityFeature records for osmbridge."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [city_feature(row["id"], row["lon"], row["lat"], row["tags"], dataset, match_distance_m) for row in rows]


def city_features(records: Sequence[CityRecord], dataset: str, match_distance_m: float) -> list[CityFeature]:
    """Return the CityFeature of each record, as a tag mapping would produce it."""
    return [city_feature(r.source_id, r.lon, r.lat, record_tags(r), dataset, match_distance_m) for r in records]


def city_feature(source_id: str, lon: float, lat: float, tags: dict[str, str], dataset: str,
                 match_distance_m: float) -> CityFeature:
    """Return the CityFeature for one city row: its primary tag is the tag other than name."""
    kind = next((k, v) for k, v in tags.items() if k != "name")
    name = tags.get("name")
    place = CityPlace(dataset=dataset, source_id=source_id, geometry=Point(lon, lat),
                      fields={"name": name, "type": f"{kind[0]}={kind[1]}"}, licence=LICENCE,
                      origin=f"{dataset}#{source_id}")
    return CityFeature(place=place, mapping=dataset, category=kind[1], name=name, tags=dict(tags),
                       match_tags=(kind,), match_distance_m=match_distance_m)
