"""What a run moves into the sync base: everything at first, then only what both sides agree on."""

from __future__ import annotations

import dataclasses

from diff_builders import feature, matched, osm_place

from osmbridge.diff import diff_dataset, next_sync_base
from osmbridge.model import SyncBase


def test_the_first_sync_takes_both_sides_whole() -> None:
    city = [feature("1", {"amenity": "library", "name": "Médiathèque"}, closed=True)]
    osm = [osm_place("n10", {"amenity": "library", "name": "Mediatheque", "wheelchair": "yes"})]
    update = next_sync_base(SyncBase(), city, osm, [matched("1", "n10")], [])
    assert update.city == {"1": {"amenity": "library", "name": "Médiathèque"}}
    assert update.osm == {"n10": {"amenity": "library", "name": "Mediatheque", "wheelchair": "yes"}}
    assert update.city_closed == {"1": True}


def test_later_only_agreed_tags_move_and_an_alias_counts_for_its_tag() -> None:
    base = SyncBase(city_tags={"1": {"phone": "+33240000000"}}, osm_tags={"n10": {"contact:phone": "+33240000000"}})
    city = [feature("1", {"amenity": "library", "name": "Médiathèque", "phone": "+33240999999"})]
    osm = [osm_place("n10", {"amenity": "library", "name": "Médiathèque", "contact:phone": "+33240000000"})]
    matches = [matched("1", "n10")]
    differences = diff_dataset("libraries", city, osm, matches, base)
    assert {d.field for d in differences} == {"contact:phone"}  # the phone disagrees, under OSM's alias key

    update = next_sync_base(base, city, osm, matches, differences)

    assert update.city == {"1": {"amenity": "library", "name": "Médiathèque"}}
    assert update.osm == {"n10": {"amenity": "library", "name": "Médiathèque"}}  # no phone, no alias: kept as was
    assert update.city_closed == {"1": False}


def test_a_disputed_closure_leaves_the_closed_state_alone() -> None:
    base = SyncBase(city_tags={"1": {"amenity": "library"}}, osm_tags={"n10": {"amenity": "library"}})
    city = [dataclasses.replace(feature("1", {"amenity": "library"}), closed=True)]
    osm = [osm_place("n10", {"amenity": "library"})]
    differences = diff_dataset("libraries", city, osm, [matched("1", "n10")], base)
    assert [d.kind for d in differences] == ["lifecycle"]
    assert next_sync_base(base, city, osm, [matched("1", "n10")], differences).city_closed == {}
