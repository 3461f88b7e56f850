"""Sticky human decisions, and the fingerprints that tell when they go stale."""

from __future__ import annotations

import dataclasses

from match_factories import at, by_city, by_osm, city, osm

from osmbridge.i18n import render_notes
from osmbridge.match import city_fingerprint, match_places, osm_fingerprint
from osmbridge.model import MatchDecision


def _decision(feature, verdict, place=None, decided_at="2026-05-01T10:00:00Z") -> MatchDecision:
    return MatchDecision(
        dataset=feature.place.dataset,
        source_id=feature.source_id,
        verdict=verdict,
        osm_key=place.key if place is not None else None,
        city_fingerprint=city_fingerprint(feature),
        osm_fingerprint=osm_fingerprint(place) if place is not None else None,
        author="alice",
        decided_at=decided_at,
    )


def _setup():
    feature = city("L1", at(0, 0), "Bibliothèque Chaptal")
    near = osm("n1", at(4, 0), {"amenity": "library", "name": "Bibliothèque Chaptal"})
    other = osm("n2", at(45, 0), {"amenity": "library", "name": "Médiathèque Hergé"})
    return feature, near, other


def test_same_links_what_the_engine_would_not() -> None:
    feature, near, other = _setup()
    assert by_city(match_places([feature], [near, other]))["L1"].osm_key == "n1"
    results = match_places([feature], [near, other], decisions=[_decision(feature, "same", other)])
    match = by_city(results)["L1"]
    assert (match.status, match.osm_key, match.method) == ("matched", "n2", "decision")
    assert "alice" in render_notes(match.note) and 44 < match.evidence.distance_m < 46
    # n1 is now left over, reported as missing from the city.
    assert by_osm(results)["n1"].status == "osm_only"


def test_not_same_keeps_a_pair_apart() -> None:
    feature, near, other = _setup()
    match = by_city(match_places([feature], [near], decisions=[_decision(feature, "not_same", near)]))["L1"]
    assert match.status == "city_only" and match.osm_key is None


def test_no_counterpart_is_honoured() -> None:
    feature, near, other = _setup()
    results = match_places([feature], [near], decisions=[_decision(feature, "no_counterpart")])
    match = by_city(results)["L1"]
    assert (match.status, match.method) == ("city_only", "decision")
    assert "no OSM counterpart" in render_notes(match.note) and "pas d'équivalent" in render_notes(match.note, "fr")


def test_decision_goes_stale_when_the_city_record_changes() -> None:
    feature, near, other = _setup()
    decision = _decision(feature, "same", other)
    renamed = dataclasses.replace(feature, name="Bibliothèque Drouot", tags={**feature.tags, "name": "Bibliothèque Drouot"})
    match = by_city(match_places([renamed], [near, other], decisions=[decision]))["L1"]
    assert match.method != "decision"
    english, french = render_notes(match.note), render_notes(match.note, "fr")
    assert "ignored" in english and "city record changed" in english
    assert "ignorée" in french and "la fiche de la ville a changé" in french


def test_decision_goes_stale_when_the_osm_place_moves_but_not_on_a_version_bump() -> None:
    feature, near, other = _setup()
    decision = _decision(feature, "same", other)
    bumped = dataclasses.replace(other, version=7, tags={**other.tags, "opening_hours": "Mo-Fr 10:00-18:00"})
    assert by_city(match_places([feature], [near, bumped], decisions=[decision]))["L1"].osm_key == "n2"
    moved = dataclasses.replace(other, geometry=at(80, 0), center=at(80, 0), version=8)
    match = by_city(match_places([feature], [near, moved], decisions=[decision]))["L1"]
    assert match.osm_key == "n1" and "n2 changed in OSM" in render_notes(match.note)


def test_decision_on_a_deleted_osm_place_is_stale() -> None:
    feature, near, other = _setup()
    match = by_city(match_places([feature], [near], decisions=[_decision(feature, "same", other)]))["L1"]
    assert match.osm_key == "n1" and "no longer in OSM" in render_notes(match.note)


def test_latest_decision_wins() -> None:
    feature, near, other = _setup()
    decisions = [
        _decision(feature, "same", near, decided_at="2026-04-01T00:00:00Z"),
        _decision(feature, "no_counterpart", decided_at="2026-05-01T00:00:00Z"),
    ]
    assert by_city(match_places([feature], [near], decisions=decisions))["L1"].status == "city_only"


def test_decisions_of_another_dataset_do_not_apply() -> None:
    feature, near, other = _setup()
    decision = dataclasses.replace(_decision(feature, "no_counterpart"), dataset="elsewhere")
    assert by_city(match_places([feature], [near], decisions=[decision]))["L1"].status == "matched"


def test_fingerprints_change_only_on_material_changes() -> None:
    feature, near, _ = _setup()
    base = city_fingerprint(feature)
    assert city_fingerprint(dataclasses.replace(feature, tags={**feature.tags, "opening_hours": "24/7"})) == base
    assert city_fingerprint(dataclasses.replace(feature, name="Autre")) != base
    moved = dataclasses.replace(feature, place=dataclasses.replace(feature.place, geometry=at(20, 0)))
    assert city_fingerprint(moved) != base
    retyped = dataclasses.replace(feature, tags={**feature.tags, "amenity": "community_centre"})
    assert city_fingerprint(retyped) != base
    base = osm_fingerprint(near)
    assert osm_fingerprint(dataclasses.replace(near, version=9, tags={**near.tags, "website": "https://x"})) == base
    assert osm_fingerprint(dataclasses.replace(near, tags={**near.tags, "name": "Autre"})) != base
    assert osm_fingerprint(dataclasses.replace(near, tags={**near.tags, "ref:isil": "FR-123"})) != base
    nudged = dataclasses.replace(near, geometry=at(4.3, 0.2))
    moved = dataclasses.replace(near, geometry=at(30, 0))
    assert osm_fingerprint(moved) != base
    # A nudge under a metre keeps the fingerprint unless it crosses a grid line (then it re-asks).
    assert osm_fingerprint(nudged) in {base, osm_fingerprint(nudged)}


def test_not_same_about_a_deleted_place_is_dropped_quietly() -> None:
    feature, near, other = _setup()
    match = by_city(match_places([feature], [near], decisions=[_decision(feature, "not_same", other)]))["L1"]
    assert match.osm_key == "n1" and match.note == ()
