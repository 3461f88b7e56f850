"""Party files read back: party.csv, Tasking Manager GeoJSON, checklists in Chromium."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from shapely.geometry import shape

from osmbridge.party import plan_party, write_party
from osmbridge.report.i18n import STRINGS
from party.party_fixtures import CENTRE, EAST, SOUTH
from report.browser import open_page
from report.report_fixtures import EVIL_NAME, build_result


def written(tmp_path: Path) -> dict[str, Path]:
    return write_party(plan_party([build_result()], [CENTRE, EAST, SOUTH], cell_size_m=300), tmp_path)


def test_party_csv_is_the_ranking(tmp_path: Path) -> None:
    paths = written(tmp_path)
    raw = paths["party.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [(r["rank"], r["neighbourhood"], r["score"]) for r in rows] == [
        ("1", "Malakoff", "11"), ("2", "Centre-ville", "8"), ("3", "Île de Nantes", "0")]
    assert rows[0]["checklist"] == "checklists/01-malakoff.html"
    assert rows[2]["checklist"] == ""  # nothing to check there
    assert (tmp_path / rows[1]["checklist"]).is_file()


def test_tasking_manager_files(tmp_path: Path) -> None:
    paths = written(tmp_path)
    aoi = json.loads(paths["tm_aoi.geojson"].read_text(encoding="utf-8"))
    assert aoi["type"] == "FeatureCollection" and len(aoi["features"]) == 1
    area = shape(aoi["features"][0]["geometry"])
    assert area.geom_type in ("Polygon", "MultiPolygon") and area.is_valid
    grid = json.loads(paths["tm_tasks.geojson"].read_text(encoding="utf-8"))
    cells = [shape(f["geometry"]) for f in grid["features"]]
    assert cells and all(c.geom_type == "Polygon" and c.is_valid for c in cells)
    assert sum(f["properties"]["places"] for f in grid["features"]) == 8
    assert all(area.buffer(1e-7).contains(c) for c in cells)
    per_area = json.loads(paths["aoi/02-centre-ville.geojson"].read_text(encoding="utf-8"))
    assert shape(per_area["features"][0]["geometry"]).equals(CENTRE.geometry)


def _outer_rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [polygon[0] for polygon in polygons]


def test_tasking_manager_rings_are_counter_clockwise(tmp_path: Path) -> None:
    """RFC 7946: outer rings counter-clockwise, whatever the input's and GEOS's overlays' winding."""
    from dataclasses import replace

    from shapely.geometry import LinearRing
    from shapely.geometry.polygon import orient

    clockwise = [replace(hood, geometry=orient(hood.geometry, sign=-1.0)) for hood in (CENTRE, EAST, SOUTH)]
    assert not any(LinearRing(hood.geometry.exterior.coords).is_ccw for hood in clockwise)
    paths = write_party(plan_party([build_result()], clockwise, cell_size_m=300), tmp_path)
    names = ["tm_aoi.geojson", "tm_tasks.geojson", *(name for name in paths if name.startswith("aoi/"))]
    rings = [ring for name in names
             for feature in json.loads(paths[name].read_text(encoding="utf-8"))["features"]
             for ring in _outer_rings(feature["geometry"])]
    assert len(rings) > 3
    assert all(LinearRing(ring).is_ccw for ring in rings)


def test_party_files_are_deterministic(tmp_path: Path) -> None:
    first, second = written(tmp_path / "a"), written(tmp_path / "b")
    assert [p.read_bytes() for p in first.values()] == [p.read_bytes() for p in second.values()]


def test_checklist_prints_and_escapes(tmp_path: Path) -> None:
    html = written(tmp_path)["checklists/01-malakoff.html"].read_text(encoding="utf-8")
    assert "@media print" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_checklist_in_the_browser(tmp_path: Path) -> None:
    paths = written(tmp_path)
    with open_page(paths["checklists/02-centre-ville.html"], locale="en-GB") as (page, errors):
        rows = page.locator("#tasks tbody tr")
        assert rows.count() == 4
        assert page.locator("#map .num-marker").count() == 4
        assert page.locator("#map .num-marker").first.inner_text() == "1"
        check = page.locator("#tasks li[data-i18n-format='task.position']")
        assert check.inner_text() == STRINGS["en"]["task.position"].format(d="85")
        page.click("#lang-switch")
        assert check.inner_text() == STRINGS["fr"]["task.position"].format(d="85")
        conflict = page.locator("#tasks li[data-i18n-format='task.conflict']")
        assert "Mo-Fr 10:00-18:00" in conflict.inner_text() and "qui a raison" in conflict.inner_text()
        assert errors == []
    with open_page(paths["checklists/01-malakoff.html"], locale="fr-FR") as (page, errors):
        # Values from open data stay text after the French formatting.
        texts = page.locator("#tasks li").all_inner_texts()
        assert any(EVIL_NAME in text for text in texts)
        assert page.locator("#tasks script").count() == 0
        assert errors == []


def test_party_page_in_the_browser(tmp_path: Path) -> None:
    paths = written(tmp_path)
    with open_page(paths["party.html"], locale="en-GB") as (page, errors):
        assert page.locator("#ranking tbody tr").count() == 3
        assert page.locator("#map path.area-shape").count() == 3
        assert page.locator("#map path.task-marker").count() == 8
        assert page.locator("#ranking a.checklist-link").count() == 2
        page.click("#lang-switch")
        assert page.locator("h1").inner_text() == STRINGS["fr"]["party.title"]
        assert errors == []


def test_places_outside_every_neighbourhood_get_their_own_checklist(tmp_path: Path) -> None:
    paths = write_party(plan_party([build_result()], [CENTRE]), tmp_path)
    assert "checklists/outside.html" in paths
    html = paths["checklists/outside.html"].read_text(encoding="utf-8")
    assert "École Chauvinière" in html and "Lieu Unique" in html
    assert 'href="checklists/outside.html"' in paths["party.html"].read_text(encoding="utf-8")


def test_no_neighbourhood_at_all_still_plans_every_place(tmp_path: Path) -> None:
    plan = plan_party([build_result()], [])
    assert plan.neighbourhoods == () and len(plan.outside) == 8 and plan.aoi is None
    paths = write_party(plan, tmp_path)
    assert "tm_aoi.geojson" not in paths
    rows = paths["party.csv"].read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1  # the header only
    with open_page(paths["checklists/outside.html"]) as (page, errors):
        assert page.locator("#map .num-marker").count() == 8
        assert errors == []


def test_a_place_whose_type_is_unclear_is_said_so_on_the_checklist(tmp_path: Path) -> None:
    from dataclasses import replace

    from osmbridge.diff.places import UNKNOWN_CATEGORY

    result = build_result()
    result = replace(result, differences=tuple(replace(d, category=UNKNOWN_CATEGORY) for d in result.differences))
    paths = write_party(plan_party([result], [CENTRE, EAST, SOUTH], cell_size_m=300), tmp_path)
    with open_page(paths["checklists/02-centre-ville.html"], locale="fr-FR") as (page, errors):
        subs = page.locator("#tasks tbody tr strong + .sub").all_inner_texts()
        assert subs and all(text.startswith(STRINGS["fr"]["category.unknown"]) for text in subs), subs
        page.click("#lang-switch")
        subs = page.locator("#tasks tbody tr strong + .sub").all_inner_texts()
        assert all(text.startswith(STRINGS["en"]["category.unknown"]) for text in subs), subs
        assert errors == []
