"""Place-level kinds after a sync: which side changed, or a note saying why nobody can tell."""

from __future__ import annotations

from diff_builders import feature, matched, osm_place

from osmbridge.diff import diff_dataset
from osmbridge.model import Match, SyncBase
from osmbridge.i18n import render_notes

LIB = {"amenity": "library", "name": "Médiathèque Jacques Demy"}
# About 1 m of latitude in degrees.
M = 1 / 111_320


def _drift(base: SyncBase, city_lat: float, osm_lat: float):
    city = [feature("1", LIB, lat=city_lat)]
    osm = [osm_place("n10", LIB, lat=osm_lat)]
    [position] = diff_dataset("libraries", city, osm, [matched("1", "n10")], base)
    assert position.kind == "position"
    return position


def _base(city_lat: float | None, osm_lat: float | None) -> SyncBase:
    return SyncBase(city_tags={"1": LIB}, osm_tags={"n10": LIB},
                    city_positions={} if city_lat is None else {"1": (-1.5536, city_lat)},
                    osm_positions={} if osm_lat is None else {"n10": (-1.5536, osm_lat)},
                    city_links={"1": "n10"}, osm_links={"n10": "1"})


def test_a_position_drift_says_which_side_moved_since_the_last_sync() -> None:
    here, there = 47.2173, 47.2173 + 60 * M
    assert (_drift(_base(here, there), here, there).changed_side) == "none"
    moved_city = _drift(_base(here - 50 * M, there), here, there)
    # The city's move is shown, not proposed as a node move.
    assert (moved_city.changed_side, moved_city.proposal) == ("city", "disagreement")
    moved_osm = _drift(_base(here, here), here, there)
    assert (moved_osm.changed_side, moved_osm.proposal) == ("osm", "to_city")
    assert _drift(_base(here - 50 * M, here), here, there).changed_side == "both"
    # A few metres of rounding is no move.
    assert _drift(_base(here + 3 * M, there - 3 * M), here, there).changed_side == "none"


def test_without_positions_in_the_base_the_note_says_why_unknown() -> None:
    here, there = 47.2173, 47.2173 + 60 * M
    drift = _drift(_base(None, None), here, there)
    assert drift.changed_side == "unknown" and "no position kept" in render_notes(drift.note)
    first = _drift(SyncBase(), here, there)
    assert first.changed_side == "unknown" and "no position kept" not in render_notes(first.note)  # the first sync


def test_a_link_lost_since_the_last_sync_names_the_side_that_lost_it() -> None:
    base = SyncBase(city_tags={"1": LIB, "2": LIB}, osm_tags={"n10": LIB, "n20": LIB},
                    city_links={"1": "n10", "2": "n20"}, osm_links={"n10": "1", "n20": "2"})
    # Record 1's node is gone from OSM; record 2 is gone from the city while its node stays.
    city = [feature("1", LIB, lon=-1.55)]
    osm = [osm_place("n20", LIB, lon=-1.50)]
    differences = diff_dataset("libraries", city, osm, [Match("1", None, "city_only", "none", 0.0),
                                                        Match(None, "n20", "osm_only", "none", 0.0)], base)
    by_kind = {d.kind: d for d in differences}
    assert (by_kind["missing_in_osm"].changed_side, by_kind["missing_in_osm"].proposal) == ("osm", "review")
    assert "n10" in render_notes(by_kind["missing_in_osm"].note)
    assert (by_kind["missing_in_city"].changed_side, by_kind["missing_in_city"].proposal) == ("city", "review")


def test_places_unlinked_at_the_last_sync_too_changed_on_neither_side() -> None:
    base = SyncBase(city_tags={"1": LIB}, osm_tags={"n20": LIB})
    matches = [Match("1", None, "city_only", "none", 0.0), Match(None, "n20", "osm_only", "none", 0.0)]
    differences = diff_dataset("libraries", [feature("1", LIB, lon=-1.55)], [osm_place("n20", LIB, lon=-1.50)],
                               matches, base)
    assert {(d.kind, d.changed_side, d.proposal) for d in differences} == {
        ("missing_in_osm", "none", "to_osm"), ("missing_in_city", "none", "to_city")}


def test_review_items_say_which_side_brought_the_new_places() -> None:
    base = SyncBase(city_tags={"1": LIB}, osm_tags={"n10": LIB})
    city = [feature("1", LIB)]
    osm = [osm_place("n10", LIB), osm_place("n11", LIB, lon=-1.5537)]
    ambiguous = [Match("1", None, "ambiguous", "geometry", 0.5, candidates=("n10", "n11"))]
    [review] = diff_dataset("libraries", city, osm, ambiguous, base)
    assert (review.kind, review.changed_side) == ("ambiguous", "osm")  # n11 is new
    [old] = diff_dataset("libraries", city, osm, [Match("1", None, "ambiguous", "geometry", 0.5,
                                                        candidates=("n10",))], base)
    assert old.changed_side == "none"


def test_a_field_of_a_pair_new_since_the_last_sync_says_so() -> None:
    base = SyncBase(city_tags={"9": LIB}, osm_tags={"n90": LIB})
    differences = diff_dataset("libraries", [feature("1", {**LIB, "phone": "02 40 41 95 95"})],
                               [osm_place("n10", {**LIB, "phone": "+33 2 40 00 00 00"})], [matched("1", "n10")], base)
    [phone] = [d for d in differences if d.field == "phone"]
    assert phone.changed_side == "unknown" and "neither place was linked at the last sync" in render_notes(phone.note)
