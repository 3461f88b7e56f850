"""`osmbridge run` end to end on real data: the Polish police register and Grenoble's bike racks."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from shared_data import ROOT, require_shared

from osmbridge.cli import main

CONFIG = """
[store]
url = "sqlite:///state.sqlite"
[reports]
directory = "reports"
[osm]
backend = "extract"
extract = "{police_osm}"

[datasets.policja]
licence = "unknown"
mapping = "{root}/mappings/poland-policja.toml"
[datasets.policja.source]
kind = "csv"
location = "{police_register}"

[datasets.grenoble-arceaux]
licence = "unknown"
mapping = "{root}/mappings/grenoble-arceaux.toml"
[datasets.grenoble-arceaux.source]
kind = "geojson"
location = "{racks}"
[datasets.grenoble-arceaux.osm]
extract = "{racks_osm}"
"""


def write_config(folder: Path, racks: Path) -> Path:
    path = folder / "config.toml"
    path.write_text(CONFIG.format(
        root=ROOT, racks=racks,
        police_osm=require_shared("poland-offices/policja/osm_overpass.json"),
        police_register=require_shared("poland-offices/policja/gov.csv"),
        racks_osm=require_shared("grenoble-arceaux/arceaux-overpass-2023-03-05.geojson")), encoding="utf-8")
    return path


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def run(config: Path, dataset: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--quiet", "run", "--config", str(config), "--skip-invalid", "--dataset", dataset]) == 0
    return capsys.readouterr().out


def test_polish_police_register_against_osm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    racks = require_shared("grenoble-arceaux/arceaux_epsg4326-2023-07.geojson")
    out = run(write_config(tmp_path, racks), "policja", capsys)
    # 341 police units of 1,932 offices (mapping filter). The 2 rows with unreadable latitudes ("50.0539,04")
    # are fire-service offices, outside the filter: never judged, not skipped.
    assert "policja: 341 city places, 1876 OSM places" in out and "0 skipped" in out
    report = tmp_path / "reports" / "policja" / "latest"
    matches = {row["source_id"]: row for row in read_csv(report / "matches.csv") if row["source_id"]}
    assert len(matches) == 341
    matched = [row for row in matches.values() if row["status"] == "matched"]
    assert len(matched) >= 290
    # Checked by hand on the map: register row -> the OSM headquarters (names equal or abbreviated).
    known = {"20.": "w312744864",  # KMP w Jeleniej Górze, 38 m from the register point
             "22.": "n842079147",  # KMP w Wałbrzychu, OSM name "Komenda Miejska Policji"
             "573.": "w692499624",  # KWP w Krakowie
             "619.": "w122926275",  # KMP w Krakowie, a Komisariat 375 m away
             "627.": "n4736865115",  # KPP w Krakowie, 70 m away
             "1198.": "w97340009",  # KWP w Gdańsku, OSM name without the city
             "1230.": "w1196080990"}  # KMP w Gdańsku: an unnamed police building is nearer (26 m vs 33 m)
    assert {sid: matches[sid]["osm_id"] for sid in known} == known
    differences = read_csv(report / "diff.csv", delimiter=";")
    gdansk = {row["field"]: row for row in differences if row["source_id"] == "1198."}
    # Register "https://www.pomorska.policja.gov.pl/" vs OSM "https://pomorska.policja.gov.pl/": same site.
    assert "website" not in gdansk
    # Register "47 741-59-00" vs OSM "+48 58321 59 00": really different numbers, normalised on the city side.
    assert (gdansk["phone"]["kind"], gdansk["phone"]["city_value"]) == ("differs", "+48477415900")
    # The register lists headquarters only (mapping: complete = false): OSM's other stations are not missing.
    assert all(row["kind"] != "missing_in_city" for row in differences)


def _release(source: Path, target: Path, edit) -> Path:  # noqa: ANN001
    data = json.loads(source.read_text(encoding="utf-8"))
    edit(data["features"])
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_grenoble_racks_three_way_between_two_releases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = require_shared("grenoble-arceaux/Arceaux_EPSG4326-2022-12.geojson")
    second = require_shared("grenoble-arceaux/arceaux_epsg4326-2023-07.geojson")
    run(write_config(tmp_path, first), "grenoble-arceaux", capsys)
    base_matches = read_csv(tmp_path / "reports" / "grenoble-arceaux" / "latest" / "matches.csv")
    assert len(base_matches) >= 1142  # 1,144 racks less the 2 motorcycle hoops, then OSM-only rows

    # The 2023-07 release renames the columns to lower case and adds geo_point_2d, and changes nothing
    # else (checked record by record): no difference may be blamed on either side.
    out = run(write_config(tmp_path, second), "grenoble-arceaux", capsys)
    assert "1142 city places, 1812 OSM places" in out
    report = tmp_path / "reports" / "grenoble-arceaux" / "latest"
    assert {row["changed_side"] for row in read_csv(report / "diff.csv", delimiter=";")} <= {"none", "unknown"}

    # A third release, derived here from the real one: the city re-counts the hoops of five matched racks
    # and installs one new rack in a square with none: exactly these are city-side changes for OSM.
    matched = sorted((row["source_id"] for row in base_matches if row["status"] == "matched"), key=int)[:5]

    def edit(features: list[dict]) -> None:
        for feature in features:
            if str(feature["properties"]["mob_arce_id"]) in matched:
                feature["properties"]["mob_arce_nb"] += 10
        new = json.loads(json.dumps(features[0]))
        new["properties"]["mob_arce_id"] = 999999
        new["geometry"]["coordinates"] = [5.7000, 45.1500]  # south of Grenoble, away from every rack
        features.append(new)

    out = run(write_config(tmp_path, _release(second, tmp_path / "third.geojson", edit)), "grenoble-arceaux",
              capsys)
    rows = read_csv(report / "diff.csv", delimiter=";")
    city_changes = {(row["source_id"], row["kind"], row["field"]) for row in rows if row["changed_side"] == "city"}
    assert city_changes == {(sid, "differs", "capacity") for sid in matched} | {("999999", "missing_in_osm", "")}
    assert all(row["proposal"] == "to_osm" for row in rows if row["changed_side"] == "city")
