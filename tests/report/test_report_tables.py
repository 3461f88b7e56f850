"""matches.csv, diff.geojson, diff.csv, diff_map.csv and the city files, parsed back."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlparse
from pathlib import Path

import pytest

from osmbridge.report import (
    write_city_additions, write_city_corrections, write_diff_csv, write_diff_geojson, write_diff_map_csv,
    write_matches_csv, write_reports,
)
from report.report_fixtures import EVIL_NAME, build_result


def read_excel_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_matches_csv_keeps_the_interface_columns_first(tmp_path: Path) -> None:
    path = write_matches_csv(build_result(), tmp_path / "matches.csv")
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["source_id", "osm_id", "score", "method"]
    by_source = {row[0]: row for row in rows[1:]}
    assert by_source["100"][:5] == ["100", "n101", "1.000", "ref", "matched"]
    assert by_source["200"][1] == ""  # no counterpart: empty osm_id
    assert by_source["700"][7] == "n106 n107"  # candidates of the ambiguous match
    assert by_source[""][1] == "n104"  # OSM-only place comes last
    assert [row[0] for row in rows[1:]] == ["100", "200", "300", "400", "500", "600", "700", ""]


def test_diff_geojson_has_one_point_per_difference(tmp_path: Path) -> None:
    result = build_result()
    path = write_diff_geojson(result, tmp_path / "diff.geojson")

    def no_nan(value: str) -> None:
        raise AssertionError(f"invalid JSON constant {value}")

    collection = json.loads(path.read_text(encoding="utf-8"), parse_constant=no_nan)
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert len(features) == len(result.differences)
    phone = features["d001"]
    assert phone["geometry"] == {"type": "Point", "coordinates": [-1.5531, 47.2181]}
    props = phone["properties"]
    assert props["kind"] == "differs" and props["field"] == "phone"
    assert props["city_value"] == "+33 2 40 41 42 43" and props["osm_value"] == "+33 2 40 00 00 00"
    assert props["changed_side"] == "city" and props["proposal"] == "to_osm"
    assert props["osm_id"] == "n101" and props["osm_url"] == "https://www.openstreetmap.org/node/101"
    assert props["city_url"] == "https://data.nantes.fr/records/100"
    assert props["josm_url"].startswith("http://127.0.0.1:8111/load_object?objects=n101")
    assert features["d006"]["properties"]["osm_url"] == "https://www.openstreetmap.org/way/201"
    # The lifecycle move's JOSM link removes the main key and adds the prefixed one (empty value = remove).
    closed = parse_qs(urlparse(features["d009"]["properties"]["josm_url"]).query)
    assert closed["objects"] == ["n105"]
    assert closed["addtags"] == ["disused:leisure=sports_centre|leisure="]
    # A difference without a usable position keeps its row, with a null geometry.
    assert features["d013"]["geometry"] is None
    assert features["d012"]["properties"]["city_value"] == EVIL_NAME


def test_diff_csv_for_excel_round_trips(tmp_path: Path) -> None:
    result = build_result()
    rows = read_excel_csv(write_diff_csv(result, tmp_path / "diff.csv"))
    assert len(rows) == len(result.differences)
    by_id = {row["id"]: row for row in rows}
    assert by_id["d012"]["city_value"] == EVIL_NAME  # quotes and markup survive the CSV quoting
    assert by_id["d008"]["proposal"] == "conflict"
    assert by_id["d001"]["lat"] == "47.2181" and by_id["d001"]["lon"] == "-1.5531"
    assert by_id["d013"]["lat"] == ""


def test_diff_map_csv_is_plain_csv_with_lat_lon(tmp_path: Path) -> None:
    result = build_result()
    raw = write_diff_map_csv(result, tmp_path / "diff_map.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert {"lat", "lon", "kind", "proposal"} <= set(rows[0])
    assert sum(1 for row in rows if row["lat"]) == 12


def test_city_corrections_use_the_city_columns(tmp_path: Path) -> None:
    rows = read_excel_csv(write_city_corrections(build_result(), tmp_path / "city_corrections.csv"))
    # Only the "to_city" proposal: the conflict on opening hours is not a correction.
    assert len(rows) == 1
    row = rows[0]
    assert row["_IDOBJ"] == "500"  # the city's own id column, found from the record's fields
    assert row["SITE_WEB"] == "https://graslin.example"
    assert row["SITE_WEB__old"] == "http://graslin.example"
    assert "HORAIRES" not in row
    assert row["osm_url"] == "https://www.openstreetmap.org/node/103"


def test_city_additions_list_places_only_in_osm(tmp_path: Path) -> None:
    rows = read_excel_csv(write_city_additions(build_result(), tmp_path / "city_additions.csv"))
    assert [row["osm_id"] for row in rows] == ["n104"]
    assert "amenity=arts_centre" in rows[0]["tags"]
    # A west longitude is a number a spreadsheet or an import script reads, not the text ="-1.548".
    osm = {place.key: place for place in build_result().osm}
    assert (float(rows[0]["lat"]), float(rows[0]["lon"])) == (osm["n104"].center.y, osm["n104"].center.x) == \
        (47.22, -1.548)


def test_reports_are_deterministic_and_leave_no_temp_files(tmp_path: Path) -> None:
    first = write_reports(build_result(), tmp_path / "a")
    second = write_reports(build_result(), tmp_path / "b")
    assert set(first) == set(second)
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(first)


@pytest.mark.parametrize("writer", [write_diff_csv, write_city_corrections, write_city_additions])
def test_excel_csvs_are_semicolon_separated(writer, tmp_path: Path) -> None:
    header = writer(build_result(), tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert ";" in header and "," not in header


def test_excel_variants_keep_phones_as_text_and_use_the_readers_decimal_mark(tmp_path: Path) -> None:
    from osmbridge.report import write_diff_excel

    result = build_result()
    english = write_diff_excel(result, tmp_path / "diff_excel.csv").read_bytes()
    french = write_diff_excel(result, tmp_path / "diff_excel_fr.csv", french=True).read_bytes()
    assert english.startswith(b"\xef\xbb\xbf") and french.startswith(b"\xef\xbb\xbf")
    en_rows = list(csv.DictReader(io.StringIO(english.decode("utf-8-sig"), newline=""), delimiter=","))
    fr_rows = list(csv.DictReader(io.StringIO(french.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(en_rows) == len(fr_rows) == len(result.differences)
    phone = next(r for r in fr_rows if r["field"] == "phone")
    # Excel reads ="..." as the text inside: no formula from "+33", no number losing its "+" or spaces.
    assert phone["city_value"] == '="+33 2 40 41 42 43"'
    museum_en = next(r for r in en_rows if r["kind"] == "position")
    museum_fr = next(r for r in fr_rows if r["kind"] == "position")
    assert museum_en["distance_m"] == "85.4" and museum_fr["distance_m"] == "85,4"
    assert museum_en["lat"] == "47.2123" and museum_fr["lat"] == "47,2123"
    assert museum_fr["lon"] == "-1,5505"  # a negative number stays a number, not protected text
    # The plain data file keeps the values as they are.
    data = read_excel_csv(write_diff_csv(result, tmp_path / "diff.csv"))
    assert next(r for r in data if r["field"] == "phone")["city_value"] == "+33 2 40 41 42 43"


def test_the_french_excel_file_gives_its_notes_in_french(tmp_path: Path) -> None:
    from osmbridge.i18n import render_notes
    from osmbridge.report import write_diff_excel

    result = build_result()
    noted = [d for d in result.differences if d.note]
    assert noted
    en_rows = read_excel_csv_with(write_diff_excel(result, tmp_path / "diff_excel.csv"), ",")
    fr_rows = read_excel_csv_with(write_diff_excel(result, tmp_path / "diff_excel_fr.csv", french=True), ";")
    for diff in noted:
        [en] = [r for r in en_rows if r["id"] == diff.id]
        [fr] = [r for r in fr_rows if r["id"] == diff.id]
        assert en["note"] == render_notes(diff.note, "en")
        assert fr["note"] == render_notes(diff.note, "fr") != en["note"]


def read_excel_csv_with(path: Path, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=delimiter))
