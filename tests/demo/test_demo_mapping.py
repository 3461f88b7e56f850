"""The demo's mapping, read by the real mapping loader, covers and converts every demo record."""

from __future__ import annotations

from osmbridge.demo import DemoFiles
from osmbridge.mapping import apply_mapping, check_mapping, load_mapping
from osmbridge.model import SourceSpec
from osmbridge.sources.read import read_city_places


def _places(demo: DemoFiles, which: str):
    spec = SourceSpec(kind="geojson", location=str(getattr(demo, which)))
    places, skipped = read_city_places(spec, dataset="demo-equipements", id_field="identifiant", licence="ODbL-1.0")
    assert not skipped
    return places


def test_mapping_covers_and_converts_every_record(demo: DemoFiles) -> None:
    mapping = load_mapping(demo.mapping)
    for which in ("city_previous", "city_current"):
        check = check_mapping(mapping, _places(demo, which))
        assert check.uncovered == {} and check.problems == [] and check.unused == []
        assert check.warnings == []  # every phone, URL, schedule (French prose too) converts
        assert set(check.skipped) == {"Toilettes publiques"}


def test_mapping_features_carry_the_truths_closures_and_refs(demo: DemoFiles, truth) -> None:
    mapping = load_mapping(demo.mapping)
    places = _places(demo, "city_current")
    features, skipped = apply_mapping(mapping, places)
    assert skipped == []
    skipped_ids = {case["source_id"] for case in truth["cases"] if case["kind"] == "skipped"}
    assert {f.source_id for f in features} == {p.source_id for p in places} - skipped_ids
    closed = {case["source_id"] for case in truth["cases"]
              if case["kind"] == "closed" or (case["kind"] == "city_changed" and case.get("city_field") == "statut")}
    assert {f.source_id for f in features if f.closed} == closed
    assert all(f.ref_tag == truth["ref_tag"] and f.tags[truth["ref_tag"]] == f.source_id for f in features)
