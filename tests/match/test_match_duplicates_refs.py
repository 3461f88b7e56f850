"""Same-side duplicates and the ref-tag join."""

from __future__ import annotations

from match_factories import at, by_city, by_osm, city, osm

from osmbridge.i18n import render_notes
from osmbridge.match import match_places


def test_osm_node_inside_its_own_polygon_is_a_duplicate() -> None:
    features = [city("L1", at(0, 0), "Bibliothèque Chaptal")]
    places = [
        osm("w1", at(0, 0).buffer(0.0002), {"amenity": "library", "name": "Bibliothèque Chaptal"}),
        osm("n2", at(3, 3), {"amenity": "library", "name": "Bibli. Chaptal"}),
    ]
    results = match_places(features, places)
    match = by_city(results)["L1"]
    assert match.status == "matched" and match.osm_key == "w1"  # 0 m inside the polygon
    twin = by_osm(results)["n2"]
    assert twin.status == "duplicate" and twin.candidates == ("w1",)
    assert "same place as w1" in render_notes(twin.note)


def test_two_city_records_for_one_place_are_reported() -> None:
    features = [
        city("L1", at(0, 0), "Bibliothèque Chaptal"),
        city("L2", at(6, 0), "BIBLIOTHEQUE CHAPTAL"),
    ]
    places = [osm("n1", at(2, 0), {"amenity": "library", "name": "Bibliothèque Chaptal"})]
    matches = by_city(match_places(features, places))
    assert (matches["L1"].status, matches["L1"].osm_key) == ("matched", "n1")
    assert (matches["L2"].status, matches["L2"].candidates) == ("duplicate", ("L1",))
    assert "même lieu" in render_notes(matches["L2"].note, "fr")


def test_near_same_names_with_different_numbers_are_not_duplicates() -> None:
    pk = ("amenity", "parking")
    features = [city("P1", at(0, 0), "Parking 1", pk), city("P2", at(10, 0), "Parking 2", pk)]
    places = [osm("n1", at(1, 0), {"amenity": "parking", "name": "Parking 1"}),
              osm("n2", at(11, 0), {"amenity": "parking", "name": "Parking 2"})]
    matches = by_city(match_places(features, places))
    assert (matches["P1"].osm_key, matches["P2"].osm_key) == ("n1", "n2")


def test_twins_each_linked_to_their_own_place_are_not_duplicates() -> None:
    # Two unnamed racks on the same spot in both lists: each side's pair is linked one-to-one.
    rack = ("amenity", "bicycle_parking")
    features = [city("R1", at(0, 0), None, rack, distance_m=10), city("R2", at(0.5, 0), None, rack, distance_m=10)]
    places = [osm("n1", at(0, 0.2), {"amenity": "bicycle_parking"}), osm("n2", at(0.4, 0.2), {"amenity": "bicycle_parking"})]
    results = match_places(features, places)
    assert {m.status for m in results} <= {"matched", "ambiguous"}


def test_ref_join_wins_over_distance_and_reads_multiple_values() -> None:
    features = [city("123", at(0, 0), "Bibliothèque Chaptal", ref_tag="ref:FR:Paris")]
    places = [
        osm("n1", at(2, 0), {"amenity": "library", "name": "Bibliothèque Chaptal"}),
        osm("n2", at(400, 0), {"amenity": "library", "name": "Bibliothèque", "ref:FR:Paris": "99;123"}),
    ]
    results = match_places(features, places)
    match = by_city(results)["123"]
    assert (match.status, match.osm_key, match.method, match.score) == ("matched", "n2", "ref", 1.0)
    assert match.evidence.ref_match and match.evidence.distance_m > 390
    assert "linked by ref:FR:Paris=123 although 40" in render_notes(match.note) and "m apart" in render_notes(match.note)
    assert by_osm(results)["n1"].status == "osm_only"


def test_well_known_ref_keys_join_and_conflicting_refs_keep_apart() -> None:
    school = ("amenity", "school")
    features = [
        city("S1", at(0, 0), "École maternelle Chaptal", school, extra={"ref:UAI": "0750604Z"}),
        city("S2", at(5, 0), "École élémentaire Chaptal", school, extra={"ref:UAI": "0751015W"}),
    ]
    site = at(2, 0).buffer(0.0003)
    places = [
        osm("w1", site, {"amenity": "school", "name": "École Chaptal", "ref:UAI": "0751015W"}),
        osm("n2", at(1, 0), {"amenity": "school", "name": "École Chaptal", "ref:UAI": "0750604Z"}),
    ]
    matches = by_city(match_places(features, places))
    assert (matches["S1"].osm_key, matches["S1"].method) == ("n2", "ref")
    assert (matches["S2"].osm_key, matches["S2"].method) == ("w1", "ref")
    # Without the joins, distinct UAIs still forbid the wrong pairing.
    places = [osm("n2", at(1, 0), {"amenity": "school", "name": "École Chaptal", "ref:UAI": "0751999X"})]
    matches = by_city(match_places(features, places))
    assert matches["S1"].status != "matched" and matches["S2"].status != "matched"


def test_ref_on_two_osm_places_links_one_and_flags_the_other() -> None:
    features = [city("7", at(0, 0), "Bibliothèque Chaptal", ref_tag="ref:FR:Paris")]
    places = [
        osm("n1", at(3, 0), {"amenity": "library", "name": "Bibliothèque Chaptal", "ref:FR:Paris": "7"}),
        osm("n2", at(300, 0), {"amenity": "library", "name": "Bibliothèque Chaptal", "ref:FR:Paris": "7"}),
    ]
    results = match_places(features, places)
    assert by_city(results)["7"].osm_key == "n1"
    assert by_osm(results)["n2"].status == "duplicate" and by_osm(results)["n2"].candidates == ("n1",)
