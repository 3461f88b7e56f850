"""check_against_truth on hand-made runs: found, missed, false alarms, wrong links."""

from __future__ import annotations

from osmbridge.demo.truth_check import check_against_truth
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
