"""truth.json against the generated files: every injected case is really in them, as described."""

from __future__ import annotations

import json
import re

import opening_hours
import phonenumbers
import pytest
from pyproj import Geod
from shapely.geometry import Point, Polygon, shape

from osmbridge.demo import generate_town
from osmbridge.demo.places import HOURS

_GEOD = Geod(ellps="WGS84")
_FRENCH = {hours.french: hours for hours in HOURS}


def _cases(truth, kind: str, note: str | None = None) -> list[dict]:
    found = [case for case in truth["cases"] if case["kind"] == kind and (note is None or note in case.get("note", ""))]
    assert found, f"no {kind} case{' (' + note + ')' if note else ''}"
    return found


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return _GEOD.inv(a[0], a[1], b[0], b[1])[2]


def _position(feature) -> tuple[float, float]:
    return shape(feature["geometry"]).centroid.coords[0]


def _phone(value: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(value, "FR"), phonenumbers.PhoneNumberFormat.E164)


def _url(value: str) -> str:
    return re.sub(r"^(https?://)?", "", value).rstrip("/")


def _hours(value: str) -> str:
    value = _FRENCH[value].osm if value in _FRENCH else value
    return str(opening_hours.OpeningHours(value).normalize())


def _city_value(feature, column: str) -> str | None:
    value = feature["properties"][column]
    return None if value in (None, "") else str(value)


def test_field_cases_show_their_values_in_the_current_files(truth, city_current, osm_current) -> None:
    checked = 0
    for case in truth["cases"]:
        if not case.get("field") or not case.get("source_id"):
            continue
        if case.get("city_field"):
            assert _city_value(city_current[case["source_id"]], case["city_field"]) == case.get("city_value"), case
        assert osm_current[case["osm_key"]].tags.get(case["field"]) == case.get("osm_value"), case
        checked += 1
    assert checked > 200


def test_changes_show_their_base_values_in_the_previous_files(truth, city_previous, osm_previous, osm_current) -> None:
    for kind in ("city_changed", "osm_changed", "conflict"):
        for case in _cases(truth, kind):
            if not case.get("field"):
                continue
            previous = osm_previous[case["osm_key"]]
            assert previous.tags.get(case["field"]) == case.get("base_osm_value"), case
            if case.get("city_field"):
                assert _city_value(city_previous[case["source_id"]], case["city_field"]) == case["base_city_value"]
            if case["side"] in ("osm", "both"):
                assert osm_current[case["osm_key"]].version == previous.version + 1, case
                assert osm_current[case["osm_key"]].timestamp > truth["sync_timestamp"]
            else:
                assert osm_current[case["osm_key"]].version == previous.version, case
            if case["field"] != "wheelchair":
                assert case["city_value"] != case["base_city_value"] or case["osm_value"] != case["base_osm_value"]


def test_only_edited_objects_changed_version(truth, osm_previous, osm_current) -> None:
    edited = {case["osm_key"] for case in truth["cases"]
              if case["kind"] in ("osm_changed", "conflict") and case.get("field")}
    # The defibrillators' story (the demo's dataset with two producers) has its own mapper's edit.
    edited |= {device["osm_key"] for device in truth["producers"]["devices"] if device["case"] == "osm_changed"}
    bumped = {key for key, obj in osm_current.items()
              if key in osm_previous and obj.version != osm_previous[key].version}
    assert bumped == edited
    for key in set(osm_previous) & set(osm_current) - edited:
        assert osm_current[key] == osm_previous[key], key


def test_city_side_changes_are_exactly_the_ones_listed(truth, city_previous, city_current) -> None:
    listed = {case["source_id"] for case in truth["cases"] if case["kind"] in ("city_changed", "conflict")
              and case.get("side") in ("city", "both")}
    changed = {source_id for source_id in set(city_previous) | set(city_current)
               if city_previous.get(source_id) != city_current.get(source_id)}
    assert changed == listed


def test_created_and_deleted_objects(truth, city_previous, city_current, osm_previous, osm_current) -> None:
    city_created = _cases(truth, "city_changed", "created")[0]
    assert city_created["source_id"] in city_current and city_created["source_id"] not in city_previous
    city_deleted = _cases(truth, "city_changed", "deleted")[0]
    assert city_deleted["source_id"] in city_previous and city_deleted["source_id"] not in city_current
    assert city_deleted["osm_key"] in osm_current
    osm_created = _cases(truth, "osm_changed", "created")[0]
    assert osm_created["osm_key"] in osm_current and osm_created["osm_key"] not in osm_previous
    assert osm_current[osm_created["osm_key"]].version == 1
    osm_deleted = _cases(truth, "osm_changed", "deleted")[0]
    assert osm_deleted["osm_key"] in osm_previous and osm_deleted["osm_key"] not in osm_current
    assert osm_deleted["source_id"] in city_current


def test_format_only_values_mean_the_same(truth) -> None:
    notes = set()
    for case in _cases(truth, "format_only"):
        city, osm = case["city_value"], case["osm_value"]
        assert city != osm
        normalise = {"phone": _phone, "website": _url, "opening_hours": _hours}[case["field"]]
        assert normalise(city) == normalise(osm), case
        notes.add(case["note"])
    assert notes == {"phone number formatting", "URL scheme or trailing slash", "French free text",
                     "equivalent opening_hours syntax"}


@pytest.mark.parametrize("kind, field, normalise", [("phone_diff", "phone", _phone), ("website_diff", "website", _url),
                                                    ("hours_diff", "opening_hours", _hours)])
def test_real_differences_differ_in_meaning(truth, kind, field, normalise) -> None:
    for case in _cases(truth, kind):
        city, osm = case.get("city_value"), case.get("osm_value")
        if case["expected"] == "differs":
            assert normalise(city) != normalise(osm), case
        else:  # one side lacks the value
            assert (city is None) == (case["expected"] == "only_osm")
            assert (osm is None) == (case["expected"] == "only_city")


@pytest.mark.parametrize("seed", [7, 2024])
def test_changes_are_real_changes_and_conflicts_disagree(tmp_path, seed) -> None:
    truth = json.loads(generate_town(tmp_path, seed=seed, size=300).truth.read_text(encoding="utf-8"))
    normalisers = {"phone": _phone, "website": _url, "opening_hours": _hours, "name": str}
    for kind in ("city_changed", "osm_changed", "conflict"):
        for case in _cases(truth, kind):
            if case.get("field") not in normalisers:
                continue
            normalise = normalisers[case["field"]]
            before = normalise(case["base_city_value"])
            assert before == normalise(case["base_osm_value"])  # the two sides agreed at the last sync
            if case["side"] in ("city", "both"):
                assert normalise(case["city_value"]) != before, case
            if case["side"] in ("osm", "both"):
                assert normalise(case["osm_value"]) != before, case
            assert normalise(case["city_value"]) != normalise(case["osm_value"]), case


def test_names_renamed_and_case_only(truth) -> None:
    for case in _cases(truth, "renamed"):
        assert case["city_value"].casefold() != case["osm_value"].casefold()
    for case in _cases(truth, "case_only"):
        assert case["city_value"] != case["osm_value"] and case["city_value"].casefold() == case["osm_value"].casefold()


def test_moved_places_are_as_far_as_said(truth, city_current, osm_current) -> None:
    far = 0
    for case in _cases(truth, "moved"):
        distance = _distance_m(_position(city_current[case["source_id"]]), osm_current[case["osm_key"]].lonlat)
        assert distance == pytest.approx(case["distance_m"], abs=0.5), case
        if distance > 100:
            far += 1
            assert osm_current[case["osm_key"]].tags[truth["ref_tag"]] == case["source_id"]
    assert far == 1


def test_unmoved_links_are_a_few_metres_apart(truth, city_current, osm_current) -> None:
    special = {case["source_id"] for case in truth["cases"] if case["kind"] in ("moved", "polygon")}
    for link in truth["links_current"]:
        if link["source_id"] in special or not link["osm_key"].startswith("n"):
            continue
        distance = _distance_m(_position(city_current[link["source_id"]]), osm_current[link["osm_key"]].lonlat)
        assert distance < 10, link


def test_refs_are_where_the_links_say(truth, osm_current) -> None:
    ref_tag = truth["ref_tag"]
    # A record deleted from the city's release leaves its ref behind in OSM: count previous links too.
    with_ref = {link["osm_key"]: link["source_id"] for link in truth["links_previous"] + truth["links_current"]
                if link["ref"] and link["osm_key"] in osm_current}
    assert 0.5 < len(with_ref) / len(truth["links_current"]) < 0.9  # most objects carry the ref, some not
    carried = {key: obj.tags[ref_tag] for key, obj in osm_current.items() if ref_tag in obj.tags}
    assert carried == with_ref


def test_missing_places_have_no_counterpart(truth, city_current, osm_current) -> None:
    linked_osm = {link["osm_key"] for link in truth["links_current"]}
    linked_city = {link["source_id"] for link in truth["links_current"]}
    for case in _cases(truth, "missing_in_osm"):
        assert case["source_id"] in city_current and case["source_id"] not in linked_city
    for case in _cases(truth, "missing_in_city"):
        assert case["osm_key"] in osm_current and case["osm_key"] not in linked_osm
        assert truth["ref_tag"] not in osm_current[case["osm_key"]].tags


def test_polygons_contain_the_city_point(truth, city_current, osm_current) -> None:
    kinds = set()
    for case in _cases(truth, "polygon"):
        key = case["osm_key"]
        kinds.add(key[0])
        city_geometry = shape(city_current[case["source_id"]]["geometry"])
        if key.startswith("n"):
            assert city_geometry.geom_type == "Polygon" and city_geometry.contains(Point(osm_current[key].lonlat))
            continue
        way = osm_current[key] if key.startswith("w") else osm_current[f"w{osm_current[key].members[0][1]}"]
        outline = Polygon([osm_current[f"n{node_id}"].lonlat for node_id in way.node_ids])
        assert outline.is_valid and outline.contains(city_geometry.centroid), case
    assert kinds == {"n", "w", "r"}


def test_confusables_and_duplicates_sit_close_by(truth, city_current, osm_current) -> None:
    for case in _cases(truth, "confusable") + _cases(truth, "duplicate"):
        mine = osm_current[case["osm_key"]]
        for other_key in case["osm_keys"]:
            if other_key == case["osm_key"]:
                continue
            distance = _distance_m(mine.lonlat, osm_current[other_key].lonlat)
            assert distance < 60, case
            assert other_key not in {link["osm_key"] for link in truth["links_current"]
                                     if link["source_id"] == case["source_id"]}
    for case in _cases(truth, "duplicate"):
        twins = [osm_current[key] for key in case["osm_keys"]]
        assert twins[0].tags["name"] == twins[1].tags["name"]
    bookcase = _cases(truth, "confusable", "public_bookcase")[0]
    assert osm_current[bookcase["osm_keys"][0]].tags["amenity"] == "public_bookcase"


def test_closed_places(truth, city_current, osm_current) -> None:
    for case in _cases(truth, "closed"):
        assert city_current[case["source_id"]]["properties"]["statut"] == "Fermé"
    active = _cases(truth, "closed", "still has it")
    assert all({"amenity", "leisure"} & set(osm_current[c["osm_key"]].tags) for c in active)
    disused = _cases(truth, "closed", "disused")[0]
    assert "amenity" not in osm_current[disused["osm_key"]].tags
    assert "disused:amenity" in osm_current[disused["osm_key"]].tags
    assert "osm_key" not in _cases(truth, "closed", "already gone")[0]


def test_unrelated_features_are_in_the_extract_and_not_linked(truth, osm_current) -> None:
    linked = {link["osm_key"] for link in truth["links_current"]}
    notes = {item["note"] for item in truth["unrelated"]}
    assert {"street", "street furniture", "outside the dataset's area"} <= notes
    for item in truth["unrelated"]:
        assert item["osm_key"] in osm_current and item["osm_key"] not in linked
    south, west, north, east = truth["bbox"]
    outside = next(item for item in truth["unrelated"] if item["note"] == "outside the dataset's area")
    lon, lat = osm_current[outside["osm_key"]].lonlat
    assert not (south < lat < north and west < lon < east)
