"""A city place missing from OSM is proposed for creation only when nothing in OSM says it is there."""

from __future__ import annotations

from diff_builders import feature, matched, osm_place
from shapely.geometry import LineString

from osmbridge.diff import diff_dataset
from osmbridge.model import DroppedOsmObject, Match, SyncBase
from osmbridge.i18n import render_notes

RACK = (("amenity", "bicycle_parking"),)
POLICE = (("amenity", "police"),)
# About 1 m of latitude in degrees.
M = 1 / 111_320


def _rack(source_id: str, lat: float):
    return feature(source_id, {"amenity": "bicycle_parking", "capacity": "6"}, lon=5.7245, lat=lat,
                   category="arceaux", match_tags=RACK, match_distance_m=20.0)


def _city_only(source_id: str) -> Match:
    return Match(source_id, None, "city_only", "none", 0.0)


def test_a_rack_within_the_match_distance_of_a_rack_is_a_possible_duplicate_not_a_creation() -> None:
    city = [_rack("1", 45.19), _rack("2", 45.19 + 12 * M)]
    osm = [osm_place("n10", {"amenity": "bicycle_parking", "capacity": "6"}, lon=5.7245, lat=45.19 + 1 * M)]
    # The OSM rack went to record 1; record 2, 11 m away, is unmatched.
    differences = diff_dataset("racks", city, osm, [matched("1", "n10"), _city_only("2")], SyncBase())
    [review] = [d for d in differences if d.source_id == "2"]
    assert (review.kind, review.proposal, review.osm_value) == ("missing_in_osm", "review", "n10")
    assert "n10 (11 m)" in render_notes(review.note) and "possible" not in review.id
    assert review.osm_edit is not None  # what would be created, should a person decide it is not the same


def test_beyond_the_match_distance_or_of_another_kind_the_creation_stands() -> None:
    city = [_rack("2", 45.19)]
    osm = [osm_place("n10", {"amenity": "bicycle_parking"}, lon=5.7245, lat=45.19 + 25 * M),
           osm_place("n11", {"amenity": "bench"}, lon=5.7245, lat=45.19 + 2 * M)]
    [create] = diff_dataset("racks", city, osm, [_city_only("2")], SyncBase())
    assert (create.kind, create.proposal) == ("missing_in_osm", "to_osm")


def test_the_same_name_and_address_far_away_is_a_position_disagreement() -> None:
    # A register point 10 km off; OSM has the station, with its name and address, where it is.
    tags = {"amenity": "police", "name": "Komenda Powiatowa Policji w Kole", "addr:street": "Kolejowa",
            "addr:housenumber": "1"}
    city = [feature("7", tags, lon=18.64 + 0.13, lat=52.20, category="police", match_tags=POLICE,
                    match_distance_m=150.0)]
    osm = [osm_place("w5", {**tags, "name": "Komenda Powiatowa Policji w Kole", "addr:street": "Kolejowa"},
                     lon=18.64, lat=52.20),
           osm_place("n6", {**tags, "addr:housenumber": "3"}, lon=18.70, lat=52.20)]  # another address
    [position] = diff_dataset("policja", city, osm, [_city_only("7")], SyncBase())
    assert (position.kind, position.osm_key, position.proposal) == ("position", "w5", "disagreement")
    assert position.distance_m is not None and 8_500 < position.distance_m < 9_500
    assert "w5" in render_notes(position.note)


def test_an_osm_object_that_could_not_be_read_blocks_a_creation_next_to_it() -> None:
    city = [feature("3", {"amenity": "school", "name": "Lycée Anneau"}, lon=-1.5500, lat=47.2000,
                    category="lycée", match_tags=(("amenity", "school"),), match_distance_m=80.0),
            feature("4", {"amenity": "school", "name": "Lycée Incomplet"}, lon=-1.4000, lat=47.3000,
                    category="lycée", match_tags=(("amenity", "school"),), match_distance_m=80.0)]
    ring_part = LineString([(-1.5505, 47.1995), (-1.5495, 47.1995), (-1.5495, 47.2005)])
    dropped = [DroppedOsmObject("r", 20, {"amenity": "school"}, "multipolygon_not_assembled", ring_part),
               DroppedOsmObject("r", 40, {"amenity": "school", "name": "Lycée incomplet"},
                                "multipolygon_not_assembled", None)]
    differences = diff_dataset("schools", city, [], [_city_only("3"), _city_only("4")], SyncBase(), dropped=dropped)
    assert {(d.source_id, d.proposal, d.osm_value) for d in differences} == {("3", "review", "r20"),
                                                                              ("4", "review", "r40")}
    assert all("could not be read whole" in render_notes(d.note) for d in differences)
