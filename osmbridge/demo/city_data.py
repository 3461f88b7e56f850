"""Writes the city's dataset and the neighbourhoods as GeoJSON FeatureCollections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from osmbridge.demo.elements import CITY_FIELDS, CityRecord
from osmbridge.demo.output import write_atomic
from osmbridge.demo.town import Town, to_lonlat
import itertools


def _ring(points: tuple[tuple[float, float], ...] | list[tuple[float, float]]) -> list[list[float]]:
    """A closed GeoJSON ring in degrees, counter-clockwise as RFC 7946 asks for outer rings."""
    ring = [list(to_lonlat(*point)) for point in points]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    area2 = sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
    return ring if area2 > 0 else ring[::-1]


def _geometry(record: CityRecord) -> dict[str, Any]:
    if record.outline is not None:
        return {"type": "Polygon", "coordinates": [_ring(record.outline)]}
    return {"type": "Point", "coordinates": list(to_lonlat(*record.position))}


def city_geojson(records: dict[str, CityRecord], title: str) -> bytes:
    """The city's records as GeoJSON bytes, one feature per record in id order, columns in a fixed order."""
    features = [{"type": "Feature",
                 "properties": {name: records[source_id].fields.get(name) for name in CITY_FIELDS},
                 "geometry": _geometry(records[source_id])}
                for source_id in sorted(records)]
    return _dump({"type": "FeatureCollection", "name": title, "features": features})


def neighbourhoods_geojson(town: Town) -> bytes:
    """The town's neighbourhoods as GeoJSON polygons with their code and name."""
    features = [{"type": "Feature", "properties": {"code": hood.code, "nom": hood.name, "commune": town.name},
                 "geometry": {"type": "Polygon",
                              "coordinates": [_ring([(x, y) for x, y in hood.outline.exterior.coords])]}}
                for hood in town.neighbourhoods]
    return _dump({"type": "FeatureCollection", "name": f"{town.name} — quartiers", "features": features})


def _dump(collection: dict[str, Any]) -> bytes:
    # One feature per line: small diffs between releases, still readable.
    head = json.dumps({key: value for key, value in collection.items() if key != "features"}, ensure_ascii=False)
    lines = [json.dumps(feature, ensure_ascii=False) for feature in collection["features"]]
    return (head[:-1] + ', "features": [\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def write_city(path: Path, records: dict[str, CityRecord], title: str) -> None:
    """Write the city's records to `path` as GeoJSON, atomically."""
    write_atomic(path, city_geojson(records, title))


def write_neighbourhoods(path: Path, town: Town) -> None:
    """Write the neighbourhoods to `path` as GeoJSON, atomically."""
    write_atomic(path, neighbourhoods_geojson(town))
