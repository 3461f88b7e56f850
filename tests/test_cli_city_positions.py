"""`osmbridge run` on city records in the wrong place: swapped coordinates, a bbox in the wrong order,
geo points read the wrong way round. Each used to produce hundreds of new OSM nodes in the wrong place,
exit 0; now the run stops with one line naming the cause, or leaves the few strays out and lists them."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shared_data import ROOT, require_shared

from osmbridge.cli import main

RACKS = "grenoble-arceaux/arceaux_epsg4326-2023-07.geojson"
RACKS_OSM = "grenoble-arceaux/arceaux-overpass-2023-03-05.geojson"
GRENOBLE_BBOX = "[45.10, 5.60, 45.30, 5.85]"


def write_config(folder: Path, racks: Path, bbox: str | None = GRENOBLE_BBOX) -> Path:
    area = f"[datasets.racks.area]\nbbox = {bbox}\n" if bbox else ""
    path = folder / "config.toml"
    path.write_text(f"""
[store]
url = "sqlite:///state.sqlite"
[osm]
backend = "extract"
extract = "{require_shared(RACKS_OSM)}"
[datasets.racks]
licence = "unknown"
mapping = "{ROOT}/mappings/grenoble-arceaux.toml"
[datasets.racks.source]
kind = "geojson"
location = "{racks}"
{area}""", encoding="utf-8")
    return path


def release(folder: Path, edit: Callable[[list[dict[str, Any]]], None], name: str = "racks.geojson") -> Path:
    """The real 2023-07 release, edited feature by feature."""
    data = json.loads(require_shared(RACKS).read_text(encoding="utf-8"))
    edit(data["features"])
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--quiet", "run", "--config", str(config)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def matches(folder: Path) -> dict[str, str]:
    with (folder / "reports" / "racks" / "latest" / "matches.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["source_id"]: row["osm_id"] for row in csv.DictReader(handle) if row["source_id"]}


@pytest.fixture(scope="module")
def whole_release_matches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """source_id -> OSM id of the unedited release: what every correct reading must reproduce."""
    folder = tmp_path_factory.mktemp("whole")
    assert main(["--quiet", "run", "--config", str(write_config(folder, require_shared(RACKS)))]) == 0
    return matches(folder)


def swap_geometries(features: list[dict[str, Any]]) -> None:
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        feature["geometry"]["coordinates"] = [lat, lon]


@pytest.mark.parametrize("bbox", [GRENOBLE_BBOX, None], ids=["config bbox", "no bbox: the OSM extent"])
def test_swapped_coordinates_stop_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          bbox: str | None) -> None:
    """All of Grenoble at lat 5.7 / lon 45.2: valid degrees, in Somalia."""
    racks = release(tmp_path, swap_geometries)
    code, out, err = run(write_config(tmp_path, racks, bbox), capsys)
    assert code == 1 and err.count("\n") == 1
    assert "racks: FAILED: " in err and "1142 of the 1142 records lie outside" in err
    assert f"{racks}#feature 1 at lat 5.72617, lon 45.1866" in err
    assert "latitude and longitude were swapped" in err if bbox else "latitude and longitude swapped" in err
    assert not (tmp_path / "reports" / "racks").exists()  # no proposal written


def test_a_bbox_written_lon_lat_stops_naming_the_config_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, require_shared(RACKS), bbox="[5.60, 45.10, 5.85, 45.30]")
    code, _, err = run(config, capsys)
    assert code == 1
    assert f"{config}: key 'datasets.racks.area.bbox': 1142 of the 1142 records lie outside" in err
    assert "write it [south, west, north, east]: [45.1, 5.6, 45.3, 5.85]" in err


def test_a_few_strays_are_left_out_and_listed_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def edit(features: list[dict[str, Any]]) -> None:
        swap_geometries(features[10:12])  # two records typed the other way round
        features[20]["geometry"]["coordinates"] = [2.3522, 48.8566]  # one in Paris

    code, out, _ = run(write_config(tmp_path, release(tmp_path, edit)), capsys)
    assert code == 0 and "racks: 1139 city places" in out and "3 skipped" in out
    strays = [f"racks.geojson#feature {n}" for n in (11, 12, 21)]  # the page names files, never local folders
    page = (tmp_path / "reports" / "racks" / "latest" / "report.html").read_text(encoding="utf-8")
    assert all(origin in page for origin in strays)
    assert page.count("with latitude and longitude swapped it would lie inside") == 2
    features = json.loads((tmp_path / "racks.geojson").read_text(encoding="utf-8"))["features"]
    stray_ids = {str(features[n - 1]["properties"]["mob_arce_id"]) for n in (11, 12, 21)}
    assert len(stray_ids) == 3 and not stray_ids & set(matches(tmp_path))  # not compared, so nothing proposed


def test_null_geometries_fall_back_to_geo_point_2d_in_the_right_order(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], whole_release_matches: dict[str, str]) -> None:
    """The 2023-07 release writes geo_point_2d as [lon, lat]; Opendatasoft documents [lat, lon]. The features
    that keep their geometry say which order the file uses."""
    def drop_geometries(features: list[dict[str, Any]]) -> None:
        for feature in features[::3]:
            feature["geometry"] = None

    code, out, _ = run(write_config(tmp_path, release(tmp_path, drop_geometries), bbox=None), capsys)
    assert code == 0 and "racks: 1142 city places" in out and " 0 skipped" in out
    assert matches(tmp_path) == whole_release_matches


@pytest.mark.parametrize("bbox", [GRENOBLE_BBOX, None], ids=["bbox tells the order", "documented order caught"])
def test_geo_points_alone_are_read_in_the_order_the_area_confirms(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], whole_release_matches: dict[str, str],
        bbox: str | None) -> None:
    def drop_all(features: list[dict[str, Any]]) -> None:
        for feature in features:
            feature["geometry"] = None

    code, out, err = run(write_config(tmp_path, release(tmp_path, drop_all), bbox), capsys)
    if bbox:
        assert code == 0 and "racks: 1142 city places" in out
        assert matches(tmp_path) == whole_release_matches
    else:
        # Nothing says the order: the documented [lat, lon] puts Grenoble in Somalia, and the run stops.
        assert code == 1 and "1142 of the 1142 records lie outside the extent of the OSM data" in err
        assert "[lat, lon] pairs are read in the order that falls inside the area bbox" in err


def test_a_null_island_record_names_file_record_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def edit(features: list[dict[str, Any]]) -> None:
        features[4]["geometry"]["coordinates"] = [0, 0]

    racks = release(tmp_path, edit)
    code, _, err = run(write_config(tmp_path, racks), capsys)
    assert code == 1
    assert (f"{racks}#feature 5: field 'geometry': latitude and longitude are both 0, a placeholder rather than a "
            "position") in err


def test_match_without_config_checks_against_the_osm_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`osmbridge match` has no area: the OSM file read says where the records belong."""
    (tmp_path / "nantes.osm").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n'
        '<node id="1" version="1" lat="47.2181" lon="-1.5530"><tag k="amenity" v="library"/></node>\n'
        '<node id="2" version="1" lat="47.2400" lon="-1.5600"><tag k="amenity" v="library"/></node>\n</osm>\n',
        encoding="utf-8")
    city = tmp_path / "libraries.csv"
    city.write_text("id,lat,lon\n1,-1.5530,47.2181\n2,-1.5600,47.2400\n", encoding="utf-8")  # columns swapped
    args = ["match", "--city", str(city), "--id-field", "id", "--tag", "amenity=library",
            "--osm", str(tmp_path / "nantes.osm"), "--out", str(tmp_path / "matches.csv")]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2 of the 2 records lie outside the extent of the OSM data" in err
    assert f"{city}:2 at lat -1.553, lon 47.2181" in err and "swap lat_field and lon_field" in err
    assert not (tmp_path / "matches.csv").exists()
    city.write_text("id,lat,lon\n1,47.2181,-1.5530\n2,47.2400,-1.5600\n3,43.6045,1.4440\n", encoding="utf-8")
    assert main(args) == 0  # the one in Toulouse is left out
    out = capsys.readouterr().out
    assert out.startswith("2 city records: 2 matched; 1 skipped. 2 OSM features")
