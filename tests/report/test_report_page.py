"""report.html as people use it: actionable rows first, filters kept in the address, counts that filter,
translated map credit, badges inside their cards, markers that never hide one another, words kept whole."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from pathlib import Path

from osmbridge.report import write_reports
from osmbridge.report.assets import KIND_COLOURS
from report.browser import open_page
from report.report_fixtures import build_result


def _ids(page) -> list[str]:
    return page.locator("#differences tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")


def test_actionable_rows_come_first(tmp_path: Path) -> None:
    result = build_result()
    paths = write_reports(result, tmp_path)
    proposal = {d.id: d.proposal for d in result.differences}
    kind = {d.id: d.kind for d in result.differences}
    with open_page(paths["report.html"]) as (page, errors):
        ids = _ids(page)
        assert len(ids) == len(result.differences)
        assert proposal[ids[0]] == "conflict"
        first_review = min(i for i, d in enumerate(ids) if proposal[d] in ("review", "disagreement"))
        assert all(proposal[d] in ("to_osm", "to_city", "conflict") for d in ids[:first_review])
        # The place only OSM has, and formatting-only differences, come after every proposal and review.
        assert ids.index("d010") > max(i for i, d in enumerate(ids) if kind[d] not in ("missing_in_city", "minor"))
        assert kind[ids[-1]] == "minor"
        assert errors == []


def test_filters_and_sort_are_kept_in_the_address(tmp_path: Path) -> None:
    paths = write_reports(build_result(), tmp_path)
    with open_page(paths["report.html"]) as (page, errors):
        page.select_option("#filter-proposal", "to_osm")
        page.select_option("#filter-side", "city")
        page.locator("#differences th", has_text="Place").click()
        page.locator("#differences th", has_text="Place").click()
        shown = _ids(page)
        assert 0 < len(shown) < 13
        url = page.url
        assert "proposal=to_osm" in url and "side=city" in url and "sort=place%3Adesc" in url
        # A reload, or the same address in a new tab, shows the same rows in the same order.
        page.reload()
        page.wait_for_load_state("load")
        assert _ids(page) == shown
        assert page.locator("#filter-side").input_value() == "city"
        assert page.locator("#differences th", has_text="Place").get_attribute("aria-sort") == "descending"
        page.goto(url)
        assert _ids(page) == shown
        page.click("#filter-clear")
        assert len(_ids(page)) == 13 and "proposal=" not in page.url
        assert errors == []


def test_who_should_change_what_counts_are_filters(tmp_path: Path) -> None:
    paths = write_reports(build_result(), tmp_path)
    with open_page(paths["report.html"]) as (page, errors):
        button = page.locator("[data-filter-proposal='to_city']")
        count = int(button.locator(".num").inner_text())
        button.click()
        assert len(_ids(page)) == count == 2
        assert button.get_attribute("aria-pressed") == "true"
        assert page.locator("#filter-proposal").input_value() == "to_city"
        button.click()  # a second click shows everything again
        assert len(_ids(page)) == 13
        side = page.locator("[data-filter-side='osm']")
        side.click()
        assert len(_ids(page)) == int(side.locator("strong").inner_text())
        assert errors == []


def test_french_reader_gets_translated_credit_fitting_badges_and_the_french_excel_file(tmp_path: Path) -> None:
    paths = write_reports(build_result(), tmp_path)
    with open_page(paths["report.html"], locale="fr-FR") as (page, errors):
        credit = page.locator(".leaflet-control-attribution").inner_text()
        assert "contributeurs" in credit and "contributors" not in credit
        for item in page.locator(".who-item").all():
            card, badge = item.bounding_box(), item.locator(".badge").bounding_box()
            assert badge["x"] + badge["width"] <= card["x"] + card["width"] + 0.5
            assert badge["y"] + badge["height"] <= card["y"] + card["height"] + 0.5
        visible = [a.get_attribute("href") for a in page.locator(".files a").all() if a.is_visible()]
        assert "diff_excel_fr.csv" in visible and "diff_excel.csv" not in visible
        page.click("#lang-switch")
        assert "contributors" in page.locator(".leaflet-control-attribution").inner_text()
        visible = [a.get_attribute("href") for a in page.locator(".files a").all() if a.is_visible()]
        assert "diff_excel.csv" in visible and "diff_excel_fr.csv" not in visible
        assert errors == []


def test_no_marker_hides_another(tmp_path: Path) -> None:
    # Three differences of the library share one point; the theatre's two, and the two halls a metre apart.
    paths = write_reports(build_result(), tmp_path)
    with open_page(paths["report.html"]) as (page, errors):
        for zoom_out in range(3):
            boxes = [m.bounding_box() for m in page.locator("#map path.diff-marker").all()]
            centres = [(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2) for b in boxes]
            assert len(centres) == 12
            closest = min(math.dist(a, b) for a, b in itertools.combinations(centres, 2))
            assert closest >= 16, f"markers {closest:.1f} px apart after {zoom_out} zoom-outs"
            page.locator(".leaflet-control-zoom-out").click()
            page.wait_for_timeout(400)
        assert errors == []


def test_values_wrap_between_words(tmp_path: Path) -> None:
    result = build_result()
    long_value = "Médiathèque intercommunale Jacques Demy et centre culturel des bords de Loire " * 2
    diffs = tuple(replace(d, city_value=long_value.strip()) if d.id == "d006" else d for d in result.differences)
    paths = write_reports(replace(result, differences=diffs), tmp_path)
    with open_page(paths["report.html"]) as (page, errors):
        broken = page.evaluate("""() => {
            const span = document.querySelector("tr[data-id='d006'] td.value .text");
            const text = span.firstChild, words = [], range = document.createRange();
            let start = 0;
            for (const word of text.data.split(" ")) {
                range.setStart(text, start); range.setEnd(text, start + word.length);
                // A word cut across lines has pieces on two lines (two tops).
                const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                if (tops.size > 1) words.push(word);
                start += word.length + 1;
            }
            return {broken: words, lines: span.getClientRects()[0].height / parseFloat(getComputedStyle(span).lineHeight)};
        }""")
        assert broken["broken"] == [] and broken["lines"] > 1
        assert errors == []


def _lab(colour: str) -> tuple[float, float, float]:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_kind_colours_are_told_apart() -> None:
    """Every pair of kind colours at least 20 apart in CIELAB (ΔE76); the old two oranges were 14 apart."""
    pairs = itertools.combinations(KIND_COLOURS.items(), 2)
    closest = min((math.dist(_lab(a), _lab(b)), ka, kb) for (ka, a), (kb, b) in pairs)
    assert closest[0] >= 20, closest
    assert math.dist(_lab("#e67e22"), _lab("#d35400")) < 20  # the measure does catch the old pair


def test_a_place_whose_type_is_unclear_is_said_so_in_the_readers_language(tmp_path: Path) -> None:
    # An OSM-only place that two categories fit gets no category name: the page says so, in French too.
    from osmbridge.diff.places import UNKNOWN_CATEGORY

    result = build_result()
    unclear = next(d for d in result.differences if d.kind == "missing_in_city")
    result = replace(result, differences=tuple(replace(d, category=UNKNOWN_CATEGORY) if d is unclear else d
                                               for d in result.differences))
    paths = write_reports(result, tmp_path)
    with open_page(paths["report.html"], locale="fr-FR") as (page, errors):
        row = page.locator(f"#differences tbody tr[data-id='{unclear.id}']")
        assert row.locator("td").nth(1).inner_text() == "Type incertain (plusieurs catégories possibles)"
        assert page.locator("#by-category th[scope=row]", has_text="Type incertain").count() == 1
        page.select_option("#filter-category", UNKNOWN_CATEGORY)
        assert _ids(page) == [unclear.id]
        assert "Type incertain" in page.locator("#filter-category option:checked").inner_text()
        assert UNKNOWN_CATEGORY not in page.locator("main").inner_text().split()
        page.click("#lang-switch")
        assert row.locator("td").nth(1).inner_text() == "Unclear type (several categories fit)"
        assert errors == []
