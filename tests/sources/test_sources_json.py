"""GeoJSON and JSON sources: features and shapes, records lists, geo points, nested fields, CRS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point

from osmbridge.errors import BadRecord, SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources import read_city_places

DATA = Path(__file__).resolve().parent.parent / "data" / "sources"


def read(path: Path | str, kind: str = "json", id_field: str = "id", skip_invalid: bool = False, **spec: object):
    return read_city_places(SourceSpec(kind, str(path), **spec), dataset="equipements", id_field=id_field,
                            licence="etalab-2.0", skip_invalid=skip_invalid)


def test_feature_collection_keeps_points_and_shapes() -> None:
    places, skipped = read(DATA / "mixed.geojson", kind="geojson", id_field="ref")
    assert skipped == []
    library, park, islands, annex = places
    assert library.source_id == "11"  # 11.0 in the file
    assert library.fields["geo.name"] == "Bibliothèque"  # nested object flattened
    assert library.geometry.equals(Point(-1.5861, 47.2330))
    assert park.geometry.geom_type == "Polygon" and islands.geometry.geom_type == "MultiPolygon"
    assert len(islands.geometry.geoms) == 2
    # No geometry in the feature: its latitude/longitude properties (decimal commas) are used.
    assert annex.geometry.equals(Point(-1.5502, 47.2101))
    assert [p.origin.rsplit("#", 1)[1] for p in places] == ["feature 1", "feature 2", "feature 3", "feature 4"]
    assert {p.licence for p in places} == {"etalab-2.0"}


def test_records_path_geo_points_and_geo_shape() -> None:
    places, _ = read(DATA / "records_nested.json", id_field="recordid", records_path="data.items")
    pool, gym, stadium, hall = places
    assert pool.geometry.equals(Point(4.8357, 45.7640))  # {"lon", "lat"}
    assert gym.geometry.equals(Point(4.85, 45.75))  # [lat, lon], the Opendatasoft order
    assert stadium.geometry.geom_type == "Polygon"  # geo_shape wins over geo_point_2d
    assert hall.fields["address.city"] == "Lyon"
    assert hall.fields["geo_point_2d"] == {"lon": 4.852, "lat": 45.760}
    assert hall.origin.endswith("records_nested.json#record 4")


def test_the_only_list_of_records_is_found_without_records_path(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"total_count": 1, "results": [{"id": 7, "lat": 47.2, "lon": -1.5}]}))
    assert read(path)[0][0].source_id == "7"
    path.write_text(json.dumps({"a": [{"id": 1}], "b": [{"id": 2}]}))
    with pytest.raises(SourceError, match=r"cannot tell which list.*\['a', 'b'\].*records_path"):
        read(path)
    with pytest.raises(SourceError, match="records_path 'data.rows': no key 'data'"):
        read(path, records_path="data.rows")


def test_geometry_field_with_wkt_and_declared_crs(tmp_path: Path) -> None:
    path = tmp_path / "l93.json"
    path.write_text(json.dumps([{"id": "o", "the_geom": "POINT (700000 6600000)"},
                                {"id": "s", "the_geom": {"type": "Point", "coordinates": [332503.4, 6776558.9]}}]))
    origin, school = read(path, crs="EPSG:2154")[0]
    assert (origin.geometry.x, origin.geometry.y) == pytest.approx((3.0, 46.5), abs=1e-9)
    assert (school.geometry.x, school.geometry.y) == pytest.approx((-1.9294895, 47.9861449), abs=1e-6)


def test_legacy_geojson_crs_member_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "l93.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": [{"type": "Feature", "properties": {"id": 1},
                      "geometry": {"type": "Point", "coordinates": [700000, 6600000]}}]}))
    place = read(path, kind="geojson")[0][0]
    assert (place.geometry.x, place.geometry.y) == pytest.approx((3.0, 46.5), abs=1e-9)


def test_newline_delimited_json(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"id": 1, "geo_point_2d": {"lon": 2.35, "lat": 48.85}}\n'
                    '{"id": 2, "geo_point_2d": {"lon": 2.36, "lat": 48.86}}\n')
    assert [p.source_id for p in read(path)[0]] == ["1", "2"]


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",,}]}')
    with pytest.raises(SourceError, match=r"broken.geojson:3: not valid JSON"):
        read(path, kind="geojson")


def test_features_that_are_not_features(tmp_path: Path) -> None:
    path = tmp_path / "odd.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 1}, "geometry": {"type": "Point", "coordinates": [2.3, 48.8]}},
        {"type": "Point", "coordinates": [2.3, 48.8]}]}))
    with pytest.raises(BadRecord, match=r"odd.geojson#feature 2: is not a GeoJSON Feature"):
        read(path, kind="geojson")
    places, skipped = read(path, kind="geojson", skip_invalid=True)
    assert len(places) == 1 and skipped[0].problem == "is not a GeoJSON Feature"


def test_coordinate_columns_recognised_by_their_values(tmp_path: Path) -> None:
    path = tmp_path / "odd_names.json"
    path.write_text(json.dumps([
        {"id": 1, "localisation": {"lat": 48.85, "lon": 2.35}},
        {"id": 2, "localisation": None, "contour": '{"coordinates": [2.36, 48.86], "type": "Point"}'},
        {"id": 3, "contour": "MULTIPOINT ((2.37 48.87), (2.38 48.88))"},
    ]))
    places, _ = read(path)
    assert places[0].geometry.equals(Point(2.35, 48.85))
    assert places[1].geometry.equals(Point(2.36, 48.86))  # a shape column comes before a point column
    assert places[2].geometry.geom_type == "MultiPoint"


def test_features_inside_another_object(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    feature = {"type": "Feature", "properties": {"id": "a", "name": "Mairie"},
               "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}
    path.write_text(json.dumps({"status": "ok", "payload": {"features": [feature]}}))
    place = read(path, records_path="payload.features")[0][0]
    assert place.fields == {"id": "a", "name": "Mairie"} and place.geometry.equals(Point(2.35, 48.85))
    assert place.origin.endswith("api.json#feature 1")
