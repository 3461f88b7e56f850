"""The licence gate in the report: a blocked direction reaches no upload file, and the page says why."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from osmbridge.report import write_reports
from report.report_fixtures import build_result

CREDIT = "Nantes Métropole, © OpenStreetMap contributors"


def osc_elements(path):
    return [element for block in ET.parse(path).getroot() for element in block]


def csv_rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))[1:]


def page_strings(html: str) -> dict:
    start = html.index('"strings":')
    decoder = json.JSONDecoder()
    return decoder.raw_decode(html[start + len('"strings":'):].lstrip())[0]


@pytest.mark.parametrize("licence", ["CC-BY-NC-4.0", "CC-BY-4.0", "unknown"])
def test_a_licence_blocked_for_osm_empties_every_upload_file(tmp_path, licence):
    result = replace(build_result(), licence=licence, attribution=CREDIT)
    assert any(d.proposal == "to_osm" for d in result.differences)
    files = write_reports(result, tmp_path)
    assert osc_elements(files["to_osm.osc"]) == []
    assert ET.parse(files["to_osm.osm"]).getroot().findall("node") == []
    assert files["maproulette_tagfix.geojson"].read_text() == ""
    assert csv_rows(files["josm_download.csv"]) == []
    html = files["report.html"].read_text(encoding="utf-8")
    assert 'id="licence-gate"' in html and 'class="blocked" data-direction="to_osm"' in html
    strings = page_strings(html)
    assert strings["en"]["licence_gate.to_osm_verdict"].startswith("Blocked")
    assert strings["fr"]["licence_gate.to_osm_verdict"].startswith("Bloqué")
    assert html.count('data-i18n="reason.licence_blocked"') == sum(1 for d in result.differences
                                                                  if d.proposal == "to_osm")


def test_a_waiver_lets_cc_by_through_with_a_flag(tmp_path):
    result = replace(build_result(), licence="CC-BY-4.0", licence_waiver="letter of 2024-03-01", attribution=CREDIT)
    files = write_reports(result, tmp_path)
    assert osc_elements(files["to_osm.osc"]) != []
    assert 'class="flagged" data-direction="to_osm"' in files["report.html"].read_text(encoding="utf-8")


@pytest.mark.parametrize("licence, attribution", [("etalab-2.0", CREDIT), ("ODbL-1.0", None),
                                                  ("CC0-1.0", CREDIT)])
def test_osm_data_reaches_the_city_files_only_under_odbl_with_the_credit(tmp_path, licence, attribution):
    result = replace(build_result(), licence=licence, attribution=attribution)
    assert any(d.proposal == "to_city" for d in result.differences)
    files = write_reports(result, tmp_path)
    assert csv_rows(files["city_corrections.csv"]) == [] and csv_rows(files["city_additions.csv"]) == []
    assert 'class="blocked" data-direction="to_city"' in files["report.html"].read_text(encoding="utf-8")


def test_odbl_with_the_credit_lets_both_ways_through(tmp_path):
    result = replace(build_result(), licence="ODbL-1.0", attribution=CREDIT)
    files = write_reports(result, tmp_path)
    assert osc_elements(files["to_osm.osc"]) != []
    assert csv_rows(files["city_corrections.csv"]) or csv_rows(files["city_additions.csv"])
    html = files["report.html"].read_text(encoding="utf-8")
    assert 'class="allowed" data-direction="to_osm"' in html and 'class="allowed" data-direction="to_city"' in html


def test_the_verdicts_switch_language_in_the_browser(tmp_path):
    from report.browser import open_page

    result = replace(build_result(), licence="CC-BY-NC-4.0")
    files = write_reports(result, tmp_path)
    with open_page(files["report.html"], locale="fr-FR") as (page, errors):
        to_osm = page.locator('#licence-gate li[data-direction="to_osm"]')
        assert to_osm.inner_text().startswith("Ville → OSM : Bloqué")
        page.click("#lang-switch")
        assert to_osm.inner_text().startswith("City → OSM: Blocked")
        left_out = page.locator("#left-out").inner_text()
        assert "Blocked by the licence gate" in left_out
        assert errors == []
