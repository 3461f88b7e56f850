"""report.html: self-contained, escaped, bilingual; table, sort, language switch and map in Chromium."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from shapely.geometry import Polygon

from osmbridge.model import DroppedOsmObject
from osmbridge.report import render_html_report, write_reports
from osmbridge.report.html import PAGE_SIZE
from osmbridge.report.i18n import STRINGS, check_complete
from osmbridge.report.rows import has_position
from report.browser import open_page
from report.report_fixtures import EVIL_NAME, build_result


def test_every_string_exists_in_both_languages() -> None:
    assert check_complete() == []
    assert set(STRINGS) == {"en", "fr"}


def test_page_is_self_contained_and_escaped() -> None:
    html = render_html_report(build_result())
    # No external script or stylesheet: Leaflet is inlined.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "L.circleMarker" in html and ".leaflet-container" in html
    # Data from open-data files never becomes markup: escaped in HTML, \u003c-escaped in the page's JSON.
    assert "<script>alert" not in html
    assert "value &#34;&lt;b&gt;300&lt;/b&gt;&#34; is not a number" in html  # a skipped record's problem
    assert "\\u003cscript\\u003ealert" in html
    # The JSON for the map parses back to the same values.
    payload = re.search(r'<script type="application/json" id="osmbridge-data">(.*?)</script>', html, re.S).group(1)
    data = json.loads(payload)
    names = {d["name"] for d in data["differences"]}
    assert EVIL_NAME in names
    assert data["strings"]["fr"]["title"].startswith("Données")


def test_page_lists_skipped_records_and_trend(tmp_path: Path) -> None:
    html = render_html_report(build_result())
    assert "culture.geojson#feature 41" in html and "no coordinates" in html
    assert 'class="trend trend-down"' in html
    assert html.count('class="series"') == 3


def test_page_lists_the_osm_objects_that_could_not_be_read() -> None:
    broken = Polygon([(-1.55, 47.20), (-1.54, 47.20), (-1.54, 47.21)]).exterior
    dropped = (DroppedOsmObject("r", 77, {"amenity": "school", "name": "Lycée <coupé>"},
                                "multipolygon_not_assembled", broken),
               DroppedOsmObject("r", 78, {"amenity": "school"}, "relation_without_locations", None))
    html = render_html_report(replace(build_result(), osm_dropped=dropped))
    table = re.search(r'<table class="matrix" id="dropped">(.*?)</table>', html, re.S).group(1)
    assert 'href="https://www.openstreetmap.org/relation/77"' in table and "Lycée &lt;coupé&gt;" in table
    assert 'data-i18n="dropped.multipolygon_not_assembled"' in table and 'data-i18n="dropped.nowhere"' in table
    assert 'id="dropped"' not in render_html_report(build_result())


def test_page_counts_who_changed() -> None:
    html = render_html_report(build_result())
    side = re.search(r'<p class="sides" id="by-side">(.*?)</p>', html, re.S).group(1)
    pattern = r'<strong>(\d+)</strong> <span class="badge badge-side side-(\w+)'
    counts = {name: int(n) for n, name in re.findall(pattern, side)}
    assert counts == {"city": 5, "osm": 2, "both": 1, "none": 1, "unknown": 4}


def test_run_without_differences_says_so(tmp_path: Path) -> None:
    result = replace(build_result(), differences=(), skipped=(), history=())
    paths = write_reports(result, tmp_path)
    html = paths["report.html"].read_text(encoding="utf-8")
    assert 'data-i18n="none"' in html and 'data-i18n="skipped.none"' in html
    with open_page(paths["report.html"]) as (page, errors):
        assert page.locator("#differences tbody tr").count() == 0
        assert page.locator("#map path.diff-marker").count() == 0
        assert errors == []


def test_single_run_explains_missing_trend() -> None:
    html = render_html_report(replace(build_result(), history=()))
    assert 'data-i18n="history.none"' in html
    assert "<polyline" not in html


def test_report_in_the_browser(tmp_path: Path) -> None:
    result = build_result()
    paths = write_reports(result, tmp_path)
    placed = sum(1 for d in result.differences if has_position(d))
    with open_page(paths["report.html"], locale="en-US") as (page, errors):
        rows = page.locator("#differences tbody tr")
        assert rows.count() == len(result.differences)

        # The map draws one marker per difference with a position, even with tiles refused.
        assert page.locator("#map path.diff-marker").count() == placed
        page.locator("#map path.diff-marker-position").click()
        assert "Musée d'arts" in page.locator(".leaflet-popup-content").inner_text()

        # Sorting: the Place header sorts ascending, then descending.
        header = page.locator("#differences th", has_text="Place")
        header.click()
        names = page.locator("#differences tbody tr .place-name").all_inner_texts()
        assert names[0] == "École Chauvinière" and names[-1].startswith("Théâtre")
        assert header.get_attribute("aria-sort") == "ascending"
        header.click()
        names = page.locator("#differences tbody tr .place-name").all_inner_texts()
        assert names[0].startswith("Théâtre") and header.get_attribute("aria-sort") == "descending"

        # Values from open data stay text.
        evil = page.locator("#differences tr[data-id='d012'] .place-name")
        assert evil.inner_text() == EVIL_NAME
        assert page.locator("#differences script").count() == 0

        # Filtering by proposal hides rows and markers.
        page.select_option("#filter-proposal", "to_city")
        assert page.locator("#differences tbody tr").count() == 2
        assert page.locator("#shown-count").inner_text() == "2"
        assert page.locator("#map path.diff-marker").count() == 2
        page.select_option("#filter-proposal", "")
        page.fill("#filter-text", "graslin")
        assert page.locator("#differences tbody tr").count() == 2

        # Language switch: an English label becomes French and back.
        title = page.locator("h1")
        assert title.inner_text() == STRINGS["en"]["title"]
        page.click("#lang-switch")
        assert title.inner_text() == STRINGS["fr"]["title"]
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("#filter-text").get_attribute("placeholder") == STRINGS["fr"]["table.search"]
        page.click("#lang-switch")
        assert title.inner_text() == STRINGS["en"]["title"]

        # Rows link to OSM and to the city record.
        page.fill("#filter-text", "")
        first = page.locator("#differences tr[data-id='d001']")
        assert first.locator("a.osm-link").get_attribute("href") == "https://www.openstreetmap.org/node/101"
        assert first.locator("a.city-link").get_attribute("href") == "https://data.nantes.fr/records/100"
        assert errors == []


def test_browser_language_picks_french(tmp_path: Path) -> None:
    paths = write_reports(build_result(), tmp_path)
    with open_page(paths["report.html"], locale="fr-FR") as (page, errors):
        assert page.locator("h1").inner_text() == STRINGS["fr"]["title"]
        assert page.locator("#lang-switch").inner_text() == "English"
        assert page.locator(".card-differences .label").inner_text() == STRINGS["fr"]["count.differences"]
        assert errors == []


def test_long_tables_are_drawn_a_page_at_a_time(tmp_path: Path) -> None:
    result = build_result()
    template = result.differences[0]
    many = tuple(replace(template, id=f"x{i:04d}", name=f"Lieu {i:04d}", lat=47.2 + i * 1e-5) for i in range(600))
    result = replace(result, differences=many)
    path = tmp_path / "report.html"
    path.write_text(render_html_report(result), encoding="utf-8")
    with open_page(path) as (page, errors):
        rows = page.locator("#differences tbody tr")
        assert rows.count() == PAGE_SIZE
        assert page.locator("#shown-count").inner_text() == "600"
        assert page.locator("#map path.diff-marker").count() == 600
        page.click("#show-more")
        assert rows.count() == 2 * PAGE_SIZE
        assert page.locator("#more-count").inner_text() == str(600 - 2 * PAGE_SIZE)
        # Sorting covers every row, not only the drawn ones.
        header = page.locator("#differences th", has_text="Place")
        header.click()
        header.click()
        assert page.locator("#differences tbody tr .place-name").first.inner_text() == "Lieu 0599"
        assert rows.count() == PAGE_SIZE
        assert errors == []


def test_notes_show_in_the_readers_language_and_switch_with_the_page(tmp_path: Path) -> None:
    paths = write_reports(build_result(), tmp_path)
    english = "the city marks the place closed; keep the OSM object with a lifecycle prefix rather than deleting it"
    french = "la ville indique le lieu fermé ; garder l'objet OSM avec un préfixe de cycle de vie"
    with open_page(paths["report.html"]) as (page, errors):
        note = page.locator("#differences tr[data-id='d009'] .note")
        assert note.inner_text().startswith(english)
        assert note.inner_text().endswith("opening_hours: city opening hours not parseable: shown raw")
        page.click("#lang-switch")
        assert note.inner_text().startswith(french)
        assert "opening_hours : horaires de la ville non reconnus" in note.inner_text()
        page.click("#lang-switch")
        assert note.inner_text().startswith(english)
        assert errors == []
    with open_page(paths["report.html"], locale="fr-FR") as (page, errors):
        assert page.locator("#differences tr[data-id='d009'] .note").inner_text().startswith(french)
        assert errors == []
    # The files for other tools carry one language (English), never both side by side.
    for name in ("diff.csv", "diff_map.csv", "diff.geojson"):
        text = paths[name].read_text(encoding="utf-8-sig")
        assert english in text and french not in text and " / la ville" not in text
