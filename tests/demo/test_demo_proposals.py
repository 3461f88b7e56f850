"""The demo end to end, judged by its effect: the to_osm files applied to the OSM input with osmium,
and the OSM-only places offered to the city under the truth's category."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import osmium
import pytest
from demo_readers import read_osm  # tests/demo/demo_readers.py

from osmbridge.demo.run import run_demo
from osmbridge.demo.truth_check import check_against_truth, check_applied_edits
from osmbridge.model import DatasetResult


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DatasetResult, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("demo-run") / "demo"
    summary = run_demo(folder).summary
    assert summary.ok, [outcome.error for outcome in summary.outcomes]
    # The equipment dataset (the demo's other dataset, the defibrillators, has tests of its own).
    (outcome,) = [o for o in summary.outcomes if o.dataset == "demo-equipements"]
    assert outcome.result is not None and outcome.report_dir is not None
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return outcome.report_dir, outcome.result, truth


def apply_osc(osm_file: Path, osc_file: Path, out: Path) -> Path:
    """Apply an osmChange file to an OSM file with libosmium's merge reader (as `osmium apply-changes`)."""
    changes = osmium.MergeInputReader()
    changes.add_file(str(osc_file))
    writer = osmium.io.Writer(str(out))
    try:
        changes.apply_to_reader(osmium.io.Reader(str(osm_file)), writer, False)
    finally:
        writer.close()
    return out


def test_the_osc_applied_to_the_osm_input_gives_exactly_the_intended_tags(demo_run, tmp_path: Path) -> None:
    report_dir, result, truth = demo_run
    osm_input = report_dir.parents[2] / "osm-current.osm"
    applied = apply_osc(osm_input, report_dir / "to_osm.osc", tmp_path / "applied.osm")
    before = {key: obj.tags for key, obj in read_osm(osm_input).items()}
    after = {key: obj.tags for key, obj in read_osm(applied).items()}
    assert check_applied_edits(truth, result.differences, before, after) == []
    # Every closure still active in OSM is in the file, moved under disused: with its name kept.
    closures = [c for c in truth["cases"] if c["expected"] == "lifecycle" and c["osm_key"].startswith("n")]
    assert len(closures) >= 3
    for case in closures:
        tags = after[case["osm_key"]]
        assert all(key not in tags and f"disused:{key}" in tags for key in case["lifecycle_keys"]), tags
        assert tags.get("name") == before[case["osm_key"]].get("name")
    # No value anywhere is a lifecycle tag written into a main key (amenity=disused:amenity=...).
    assert not [(k, v) for tags in after.values() for k, v in tags.items() if v.startswith(("disused:", "was:"))]


def test_osm_only_places_go_to_the_city_under_their_category(demo_run) -> None:
    report_dir, result, truth = demo_run
    cases = [c for c in truth["cases"] if c.get("category") is not None]
    # The glass container is the city's "Point d'apport volontaire"; a library is "unknown" (two
    # categories tag libraries alike).
    assert {"Point d'apport volontaire", "Pharmacie", "unknown"} <= {c["category"] for c in cases}
    check = check_against_truth(truth, result.matches, result.differences)
    categorised = [o for o in check.outcomes if o.osm_key in {c["osm_key"] for c in cases}]
    assert categorised and [o for o in categorised if not o.ok] == []
    with (report_dir / "city_additions.csv").open(encoding="utf-8-sig", newline="") as handle:
        additions = {row["osm_id"]: row["category"] for row in csv.DictReader(handle, delimiter=";")}
    # A place the city deleted since the last sync is not offered back to it: a person looks first.
    deleted = {c["osm_key"] for c in cases if c["kind"] == "city_changed"}
    assert deleted and all(d.proposal == "review" for d in result.differences if d.osm_key in deleted)
    offered = [c for c in cases if c["osm_key"] not in deleted]
    assert {c["osm_key"]: additions.get(c["osm_key"]) for c in offered} == {
        c["osm_key"]: c["category"] for c in offered}


def test_after_the_first_sync_every_difference_says_which_side_changed(demo_run) -> None:
    _, result, truth = demo_run
    assert [(d.kind, d.source_id, d.osm_key) for d in result.differences if d.changed_side == "unknown"] == []
    sides = {(d.kind, d.source_id or d.osm_key): (d.changed_side, d.proposal) for d in result.differences}
    for case in truth["cases"]:
        if case["kind"] == "osm_changed" and case["expected"] == "missing_in_osm":
            # A mapper deleted the node since the last sync: never re-created without a person.
            assert sides[("missing_in_osm", case["source_id"])] == ("osm", "review")
        if case["kind"] == "city_changed" and case["expected"] == "missing_in_city":
            assert sides[("missing_in_city", case["osm_key"])] == ("city", "review")
        if case["kind"] == "missing_in_osm":
            assert sides[("missing_in_osm", case["source_id"])] == ("none", "to_osm")
        if case["kind"] == "moved" and ("position", case["source_id"]) in sides:
            # Moved before the last sync, not since: they already disagreed then.
            assert sides[("position", case["source_id"])][0] == "none"
    assert any(kind == "position" for kind, _ in sides)
