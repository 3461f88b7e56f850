"""check_against_truth on hand-made runs: found, missed, false alarms, wrong links."""

from __future__ import annotations

import dataclasses

from osmbridge.demo.truth_check import check_against_truth, check_applied_edits
from osmbridge.model import Difference, Match

TRUTH = {
    "links_current": [{"source_id": "A", "osm_key": "n1", "ref": True},
                      {"source_id": "B", "osm_key": "n2", "ref": False},
                      {"source_id": "C", "osm_key": "n3", "ref": False}],
    "cases": [
        {"kind": "phone_diff", "source_id": "A", "osm_key": "n1", "field": "phone", "expected": "differs"},
        {"kind": "format_only", "source_id": "B", "osm_key": "n2", "field": "website", "expected": "nothing"},
        {"kind": "missing_in_city", "osm_key": "n9", "expected": "missing_in_city"},
        {"kind": "city_changed", "source_id": "C", "osm_key": "n3", "field": "name", "side": "city",
         "expected": "differs (changed_side city, proposal to_osm)"},
        {"kind": "case_only", "source_id": "B", "osm_key": "n2", "field": "name", "expected": "minor or nothing"},
        {"kind": "duplicate", "source_id": "A", "osm_key": "n1", "osm_keys": ["n1", "n7"], "expected": "duplicate"},
    ],
}


def _diff(kind: str, source_id: str | None, osm_key: str | None, field: str | None = None,
          side: str = "unknown") -> Difference:
    return Difference(id=f"{kind}-{source_id}-{osm_key}-{field}", dataset="demo", kind=kind, source_id=source_id,
                      osm_key=osm_key, field=field, city_value=None, osm_value=None, changed_side=side,
                      proposal="review", lon=0.0, lat=0.0)


def _match(source_id: str, osm_key: str) -> Match:
    return Match(source_id, osm_key, "matched", "geometry", 0.9)


def test_a_perfect_run_passes_every_case() -> None:
    differences = [_diff("differs", "A", "n1", "phone"), _diff("missing_in_city", None, "n9"),
                   _diff("differs", "C", "n3", "name", side="city"), _diff("minor", "B", "n2", "name"),
                   _diff("duplicate", None, "n7")]
    check = check_against_truth(TRUTH, [_match("A", "n1"), _match("B", "n2"), _match("C", "n3")], differences)
    assert check.failures() == []
    assert check.links_found == 3 and check.wrong_links == () and check.unexplained == ()
    assert "phone_diff: 1/1 as expected" in check.summary()


def test_misses_false_alarms_wrong_sides_and_wrong_links_are_reported() -> None:
    differences = [_diff("differs", "B", "n2", "website"),  # format-only reported: a false alarm
                   _diff("differs", "C", "n3", "name", side="osm"),  # right field, wrong side
                   _diff("only_osm", "A", "n1", "opening_hours")]  # on no case at all
    check = check_against_truth(TRUTH, [_match("A", "n1"), _match("B", "n3")], differences)
    failed = {outcome.kind for outcome in check.failures()}
    assert failed == {"phone_diff", "format_only", "missing_in_city", "city_changed", "duplicate"}
    assert check.failures("format_only")[0].found == "differs/unknown"
    assert check.links_found == 1 and check.wrong_links == (("B", "n3"),)
    assert [d.field for d in check.unexplained] == ["opening_hours"]


def test_an_osm_only_place_under_the_wrong_category_fails_its_case() -> None:
    truth = {"links_current": [], "cases": [
        {"kind": "missing_in_city", "osm_key": "n9", "expected": "missing_in_city", "category": "Pharmacie"}]}
    right = dataclasses.replace(_diff("missing_in_city", None, "n9"), category="Pharmacie")
    wrong = dataclasses.replace(right, category="Bibliothèque")
    assert check_against_truth(truth, [], [right]).failures() == []
    [failure] = check_against_truth(truth, [], [wrong]).failures()
    assert "Bibliothèque" in failure.found


def test_applied_edits_catch_a_mangled_lifecycle_move_and_stray_changes() -> None:
    truth = {"cases": [{"kind": "closed", "source_id": "A", "osm_key": "n1", "expected": "lifecycle",
                        "lifecycle_keys": ["amenity", "healthcare"]}]}
    before = {"n1": {"amenity": "pharmacy", "healthcare": "pharmacy", "name": "P"}, "n2": {"amenity": "library"}}
    good = {"n1": {"disused:amenity": "pharmacy", "disused:healthcare": "pharmacy", "name": "P"},
            "n2": {"amenity": "library"}}
    closure = [dataclasses.replace(_diff("lifecycle", "A", "n1"), proposal="to_osm")]
    assert check_applied_edits(truth, closure, before, good) == []
    mangled = {**good, "n1": {"amenity": "disused:amenity=pharmacy", "healthcare": "pharmacy", "name": "P"}}
    assert [p for p in check_applied_edits(truth, closure, before, mangled) if p.startswith("n1 ")]
    stray = {**good, "n2": {"amenity": "library", "fixme": "x"}}
    assert check_applied_edits(truth, closure, before, stray) == ["n2 changed although no proposal names it"]
