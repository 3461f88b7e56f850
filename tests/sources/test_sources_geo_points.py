"""Geo points ([a, b] pairs, "a, b" text, {"lon", "lat"} objects): the order of a pair is read from the data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point

from osmbridge.errors import BadRecord
from osmbridge.model import SourceSpec
from osmbridge.sources import read_city_places

# Three Nantes libraries (lon, lat).
PLACES = [(-1.5861, 47.2330), (-1.5898, 47.2065), (-1.5536, 47.2184)]
NANTES = (47.08, -1.85, 47.35, -1.35)


def read(path: Path, kind: str = "json", bbox: tuple[float, float, float, float] | None = None, **spec: Any):
    places, skipped = read_city_places(SourceSpec(kind, str(path), **spec), dataset="t", id_field="id",
                                       licence="ODbL-1.0", bbox=bbox)
    assert skipped == []
    return [(round(p.geometry.x, 4), round(p.geometry.y, 4)) for p in places]


def write_json(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def write_features(tmp_path: Path, point_of: Any, with_geometry: Any) -> Path:
    features = [{"type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [lon, lat]} if with_geometry(n) else None,
                 "properties": {"id": n, "geo_point_2d": point_of(lon, lat)}}
                for n, (lon, lat) in enumerate(PLACES * 4)]
    path = tmp_path / "records.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_opendatasoft_v1_arrays_are_lat_lon_as_documented(tmp_path: Path) -> None:
    path = write_json(tmp_path, [{"id": n, "geo_point_2d": [lat, lon]} for n, (lon, lat) in enumerate(PLACES)])
    assert read(path) == PLACES


def test_explore_v2_objects_are_read_by_their_keys_whatever_the_area(tmp_path: Path) -> None:
    path = write_json(tmp_path, [{"id": n, "geo_point_2d": {"lon": lon, "lat": lat}}
                                 for n, (lon, lat) in enumerate(PLACES)])
    assert read(path) == read(path, bbox=NANTES) == PLACES


def test_lon_lat_arrays_are_told_apart_by_the_area(tmp_path: Path) -> None:
    path = write_json(tmp_path, [{"id": n, "geo_point_2d": [lon, lat]} for n, (lon, lat) in enumerate(PLACES)])
    assert read(path, bbox=NANTES) == PLACES
    # Without an area nothing tells: the documented order is read (lat -1.59, lon 47.23), for the run's
    # area check to catch.
    assert read(path) == [(lat, lon) for lon, lat in PLACES]


@pytest.mark.parametrize("order", ["lon,lat", "lat,lon"])
def test_features_with_a_geometry_tell_the_order_of_those_without(tmp_path: Path, order: str) -> None:
    """Grenoble's re-export writes [lon, lat], an Opendatasoft v1 GeoJSON export [lat, lon]: both are read right."""
    def point_of(lon: float, lat: float) -> list[float]:
        return [lon, lat] if order == "lon,lat" else [lat, lon]

    path = write_features(tmp_path, point_of, with_geometry=lambda n: n % 3 != 0)
    assert read(path, kind="geojson") == PLACES * 4


def test_lat_lon_text_in_a_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id;Geo Point\n" + "".join(f'{n};"{lat}, {lon}"\n' for n, (lon, lat) in enumerate(PLACES)),
                    encoding="utf-8")
    assert read(path, kind="csv") == PLACES


def test_zero_zero_is_a_placeholder_in_a_projected_crs_too(tmp_path: Path) -> None:
    path = tmp_path / "lambert.csv"
    path.write_text("id;X;Y\n1;355000;6689000\n2;0;0\n", encoding="utf-8")
    with pytest.raises(BadRecord, match=r"lambert.csv:3: field 'Y': x and y are both 0, a placeholder"):
        read_city_places(SourceSpec("csv", str(path), crs="EPSG:2154", lat_field="Y", lon_field="X"), dataset="t",
                         id_field="id", licence="ODbL-1.0")
    places, _ = read_city_places(SourceSpec("csv", str(path), crs="EPSG:2154", lat_field="Y", lon_field="X"),
                                 dataset="t", id_field="id", licence="ODbL-1.0", skip_invalid=True)
    assert places[0].geometry.distance(Point(-1.55, 47.21)) < 0.05
