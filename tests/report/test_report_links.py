"""Editor links of report rows: one-click add for missing places, iD beside JOSM, all objects of a review."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from osmbridge.report.rows import RowContext, difference_record
from report.report_fixtures import build_result


def _records() -> dict[str, dict]:
    result = build_result()
    context = RowContext.of(result)
    return {d.id: difference_record(d, result, context) for d in result.differences}


def test_missing_place_is_added_in_one_click_with_its_tags() -> None:
    record = _records()["d004"]  # École Chauvinière, missing in OSM
    url = urlparse(record["josm_url"])
    assert (url.hostname, url.port, url.path) == ("127.0.0.1", 8111, "/add_node")
    query = parse_qs(url.query)
    assert (float(query["lat"][0]), float(query["lon"][0])) == (47.221, -1.545)
    pairs = query["addtags"][0].split("|")
    assert pairs[:2] == ["name=École Chauvinière", "amenity=school"]  # name and the main tag first
    assert "ref:FR:NM=200" in pairs
    assert record["id_url"] == "https://www.openstreetmap.org/edit?editor=id#map=19/47.221000/-1.545000"


def test_ambiguous_row_loads_every_candidate() -> None:
    record = _records()["d011"]  # ambiguous between n106 and n107
    assert record["objects"] == "n106 n107"
    assert parse_qs(urlparse(record["josm_url"]).query)["objects"] == ["n106,n107"]
    assert record["id_url"] == "https://www.openstreetmap.org/edit?editor=id#id=n106,n107"


def test_existing_object_has_id_beside_josm() -> None:
    record = _records()["d001"]
    assert record["id_url"] == "https://www.openstreetmap.org/edit?editor=id#id=n101"
    assert parse_qs(urlparse(record["josm_url"]).query)["objects"] == ["n101"]
