"""Neighbourhoods from a city GeoJSON or from OSM admin boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from shared_data import TEST_DATA, require_shared
from osmbridge.errors import OsmbridgeError, OsmSourceError, SourceError
from osmbridge.party import load_neighbourhoods

QUARTIERS = TEST_DATA / "report" / "quartiers.geojson"
BOUNDARIES = TEST_DATA / "report" / "admin_boundaries.osm"


def test_geojson_names_come_from_a_usual_property() -> None:
    areas = load_neighbourhoods(QUARTIERS)
    assert [a.name for a in areas] == ["Centre-ville", "Malakoff – Saint-Donatien", "Île de Nantes"]
    assert [a.ref for a in areas] == ["Q1", "Q2", "Q3"]
    assert areas[2].geometry.geom_type == "MultiPolygon"


def test_geojson_name_property_can_be_chosen() -> None:
    assert [a.name for a in load_neighbourhoods(QUARTIERS, "code")] == ["Q1", "Q2", "Q3"]


def test_geojson_in_lambert_93_is_reprojected(tmp_path: Path) -> None:
    data = json.loads(QUARTIERS.read_text(encoding="utf-8"))
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    for feature in data["features"]:
        geometry = shape(feature["geometry"])
        feature["geometry"] = mapping(shapely.transform(geometry, to_l93.transform, interleaved=False))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
    path = tmp_path / "l93.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    centre = load_neighbourhoods(path)[0]
    assert centre.geometry.bounds == pytest.approx((-1.565, 47.205, -1.550, 47.220), abs=1e-6)


def test_point_feature_is_refused_with_its_place(tmp_path: Path) -> None:
    data = json.loads(QUARTIERS.read_text(encoding="utf-8"))
    data["features"][1]["geometry"] = {"type": "Point", "coordinates": [-1.54, 47.22]}
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad.geojson#feature 2: field 'geometry': Point"):
        load_neighbourhoods(path)


def test_missing_name_property_says_which_exist(tmp_path: Path) -> None:
    data = json.loads(QUARTIERS.read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"] = {"quartier_code": feature["properties"]["code"]}
    path = tmp_path / "noname.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SourceError, match=r"quartier_code.*name_property"):
        load_neighbourhoods(path)


def test_invalid_json_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(OsmbridgeError, match="cut.geojson: invalid JSON"):
        load_neighbourhoods(path)


def test_osm_boundaries_of_the_finest_level_by_default() -> None:
    areas = load_neighbourhoods(BOUNDARIES)
    assert [(a.name, a.ref) for a in areas] == [("Quartier Est", "r102"), ("Quartier Ouest", "r101")]
    assert areas[0].geometry.bounds == pytest.approx((-1.55, 47.21, -1.54, 47.22))


def test_osm_boundaries_of_a_chosen_level_and_name_tag() -> None:
    assert [a.name for a in load_neighbourhoods(BOUNDARIES, admin_level=9)] == ["Arrondissement"]
    assert load_neighbourhoods(BOUNDARIES, "name:br")[0].name == "Quartier Est (br)"
    with pytest.raises(OsmSourceError, match=r"admin_level=8 \(levels present: \['9', '10'\]\)"):
        load_neighbourhoods(BOUNDARIES, admin_level=8)


def test_extract_with_cut_boundaries_explains_what_to_export() -> None:
    # The Paris API export has boundary relations whose member ways leave its bbox.
    path = require_shared("paris-9e-osm-2021/map.osm")
    with pytest.raises(OsmSourceError, match="export whole relations"):
        load_neighbourhoods(path, admin_level=10)
