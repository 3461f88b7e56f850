"""Scoring links against the truth: a link is right only to the record's origin; removed origins stay unlinked."""

from __future__ import annotations

import sys

import pytest

from shared_data import ROOT

if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from shapely.geometry import Point  # noqa: E402

from benchmarks.synthetic import CityRecord, offset_point  # noqa: E402
from benchmarks.truth import evaluate, failure_breakdown, twin_keys  # noqa: E402
from osmbridge.model import OsmPlace  # noqa: E402


def _record(source_id: str, origin: str, *labels: str) -> CityRecord:
    return CityRecord(source_id, 2.35, 48.85, ("amenity", "school"), "École", origin, labels)


CITY = [
    _record("a", "n1"),  # linked right
    _record("b", "n2", "typo"),  # linked to a neighbour
    _record("c", "n3", "far_offset"),  # left unlinked
    _record("d", "n4", "origin_removed"),  # linked although its origin is gone
    _record("e", "n5", "origin_removed", "typo"),  # correctly left alone
]
EXPECTED = {"a": "n1", "b": "n2", "c": "n3", "d": None, "e": None}


def test_counts_and_measures():
    evaluation = evaluate(CITY, EXPECTED, {"a": "n1", "b": "n9", "c": None, "d": "n7"})
    score = evaluation.score
    assert (score.correct, score.wrong, score.expected, score.missed, score.records) == (1, 2, 3, 2, 5)
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 3)
    assert score.f1 == pytest.approx(1 / 3)
    assert {(f.source_id, f.kind) for f in evaluation.failures} == {
        ("b", "wrong_link"), ("c", "missed"), ("d", "false_link")}


def test_perfect_links_score_one_and_an_absent_record_is_unlinked():
    score = evaluate(CITY, EXPECTED, {"a": "n1", "b": "n2", "c": "n3"}).score
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_scores_add_up_over_seeds():
    one = evaluate(CITY, EXPECTED, {"a": "n1"}).score
    total = one + one
    assert (total.correct, total.expected, total.records) == (2, 6, 10)
    assert total.recall == one.recall


def test_breakdown_counts_each_label_of_a_failure():
    evaluation = evaluate(CITY, EXPECTED, {"a": "n1", "b": "n9", "c": None, "d": "n7"})
    rows = {label: (count, dict(errors)) for label, count, errors in failure_breakdown(CITY, evaluation.failures)}
    assert rows == {
        "clean": (1, {}),
        "typo": (2, {"wrong_link": 1}),
        "far_offset": (1, {"missed": 1}),
        "origin_removed": (2, {"false_link": 1}),
    }


def _osm(osm_id: int, east_m: float, kind: str, name: str | None) -> OsmPlace:
    point = Point(offset_point(19.0, 52.0, east_m, 0.0))
    tags = {"amenity": kind} | ({"name": name} if name else {})
    return OsmPlace("n", osm_id, 1, point, tags, point)


def test_twins_are_same_type_same_or_no_name_within_the_distance():
    places = [
        _osm(1, 0, "police", "Komisariat Policji"), _osm(2, 40, "police", None),  # named node + unnamed building
        _osm(3, 1000, "police", "KOMISARIAT POLICJI"), _osm(4, 1060, "police", "Komisariat policji"),  # case aside
        _osm(5, 3000, "police", "Komenda"), _osm(6, 3010, "police", "Posterunek"),  # other names
        _osm(7, 5000, "police", "Straż"), _osm(8, 5010, "townhall", "Straż"),  # other type
        _osm(9, 7000, "police", "Rewir"), _osm(10, 7200, "police", "Rewir"),  # too far
    ]
    assert twin_keys(places, lambda p: ("amenity", p.tags["amenity"]), 100.0) == {"n1", "n3", "n4"}
