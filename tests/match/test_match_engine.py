"""The engine on hand-made cases: type compatibility, one-to-one assignment, ambiguity, refs."""

from __future__ import annotations

from match_factories import at, by_city, by_osm, city, osm
from shapely.geometry import Point

from osmbridge.i18n import render_notes
from osmbridge.match import MatchRules, match_places


def test_a_library_is_not_a_public_bookcase_a_few_metres_away() -> None:
    features = [city("L1", at(0, 0), "Bibliothèque Chaptal")]
    places = [
        osm("n1", at(2, 0), {"amenity": "public_bookcase", "name": "Bibliothèque Chaptal"}),
        osm("n2", at(30, 0), {"amenity": "library", "name": "Bibliothèque Chaptal"}),
    ]
    match = by_city(match_places(features, places))["L1"]
    assert (match.status, match.osm_key) == ("matched", "n2")
    assert match.evidence is not None and match.evidence.type_check == "same"
    assert 29 < match.evidence.distance_m < 31
    # Alone, the bookcase is no candidate at all; and it is of no type the city asks for, so it is
    # not reported as missing from the city either.
    results = match_places(features, places[:1])
    assert by_city(results)["L1"].status == "city_only"
    assert "n1" not in by_osm(results)


def test_compatible_family_links_with_a_weaker_type_check() -> None:
    family = (("amenity", "library"), ("amenity", "community_centre"))
    features = [city("L1", at(0, 0), "Espace Valeyre", match_tags=family)]
    places = [osm("n1", at(5, 0), {"amenity": "community_centre", "name": "Espace Valeyre"})]
    match = by_city(match_places(features, places))["L1"]
    assert match.status == "matched" and match.evidence.type_check == "compatible"


def test_any_value_accepts_every_value_of_the_key() -> None:
    features = [city("S1", at(0, 0), "Boulangerie Rivière", ("shop", "bakery"), match_tags=(("shop", "*"),))]
    places = [osm("n1", at(5, 0), {"shop": "pastry", "name": "Boulangerie Riviere"})]
    assert by_city(match_places(features, places))["S1"].osm_key == "n1"


def test_unnamed_on_both_sides_links_by_distance() -> None:
    rack = ("amenity", "bicycle_parking")
    features = [city("R1", at(0, 0), None, rack, distance_m=15), city("R2", at(40, 0), None, rack, distance_m=15)]
    places = [osm("n1", at(3, 1), {"amenity": "bicycle_parking"}), osm("n2", at(41, -2), {"amenity": "bicycle_parking"})]
    matches = by_city(match_places(features, places))
    assert (matches["R1"].osm_key, matches["R2"].osm_key) == ("n1", "n2")
    assert matches["R1"].method == "geometry" and matches["R1"].evidence.name_similarity is None


def test_optimal_assignment_beats_nearest_first() -> None:
    # A is nearest to n1 but also fits n2; B only fits n1. Nearest-first gives A n1 and leaves B
    # and n2 unlinked; the global assignment links both. (A small ambiguity margin: this is about
    # the assignment, not about how sure it is.)
    rack = ("amenity", "bicycle_parking")
    features = [city("A", at(0, 0), None, rack, distance_m=20), city("B", at(-14, 0), None, rack, distance_m=20)]
    places = [osm("n1", at(-4, 0), {"amenity": "bicycle_parking"}), osm("n2", at(8, 0), {"amenity": "bicycle_parking"})]
    matches = by_city(match_places(features, places, MatchRules(ambiguity_margin=0.5)))
    assert (matches["A"].status, matches["A"].osm_key) == ("matched", "n2")
    assert (matches["B"].status, matches["B"].osm_key) == ("matched", "n1")
    linked = [m.osm_key for m in matches.values() if m.status == "matched"]
    assert len(linked) == len(set(linked))


def test_two_equal_candidates_are_ambiguous_with_both_offered() -> None:
    rack = ("amenity", "bicycle_parking")
    features = [city("R1", at(0, 0), None, rack, distance_m=20)]
    places = [osm("n1", at(5, 0), {"amenity": "bicycle_parking"}), osm("n2", at(-5, 0.5), {"amenity": "bicycle_parking"})]
    results = match_places(features, places)
    match = by_city(results)["R1"]
    assert match.status == "ambiguous" and match.osm_key is None
    assert set(match.candidates) == {"n1", "n2"}
    assert "nearly as well" in render_notes(match.note) and "presque autant" in render_notes(match.note, "fr")
    # Both are under review, so neither is reported as missing from the city.
    assert by_osm(results) == {}


def test_names_break_the_tie_between_two_near_candidates() -> None:
    features = [city("L1", at(0, 0), "Médiathèque Françoise Sagan")]
    places = [
        osm("n1", at(5, 0), {"amenity": "library", "name": "Bibliothèque Valeyre"}),
        osm("n2", at(-6, 0), {"amenity": "library", "name": "Mediatheque Francoise Sagan"}),
    ]
    match = by_city(match_places(features, places))["L1"]
    assert (match.status, match.osm_key, match.method) == ("matched", "n2", "geometry+name")


def test_a_weak_best_candidate_goes_to_review() -> None:
    # Same type, right there, but a name that has nothing to do with the city's, and another library
    # within reach (alone where libraries are sparse, it is linked: tests/match/test_match_recall.py).
    features = [city("L1", at(0, 0), "Bibliothèque Chaptal")]
    places = [osm("n1", at(4, 0), {"amenity": "library", "name": "Médiathèque Hergé"}),
              osm("n2", at(0, 120), {"amenity": "library", "name": "Bibliothèque Drouot"})]
    results = match_places(features, places)
    match = by_city(results)["L1"]
    assert match.status == "ambiguous" and match.candidates == ("n1",)
    assert "weak fit" in render_notes(match.note)


def test_named_city_place_and_unnamed_osm_place_need_more_than_distance() -> None:
    features = [city("P1", at(0, 0), "Komenda Powiatowa Policji w Pucku", ("amenity", "police"))]
    unnamed = osm("w1", at(3, 0).buffer(0.0001), {"amenity": "police", "building": "yes"})
    match = by_city(match_places(features, [unnamed]))["P1"]
    assert match.status == "ambiguous" and match.candidates == ("w1",)
    # The same address is the extra evidence that makes it a link.
    address = {"addr:street": "Dworcowa", "addr:housenumber": "5"}
    features = [city("P1", at(0, 0), "Komenda Powiatowa Policji w Pucku", ("amenity", "police"), extra=address)]
    tagged = osm("w1", unnamed.geometry, {"amenity": "police", **address})
    match = by_city(match_places(features, [tagged]))["P1"]
    assert match.status == "matched" and match.evidence.address_agrees is True


def test_far_misplaced_record_links_on_a_strong_name_but_not_on_distance() -> None:
    features = [city("L1", at(0, 0), "Bibliothèque Hélène Berr", distance_m=50)]
    places = [osm("n1", at(110, 0), {"amenity": "library", "name": "Bibliothèque Hélène Berr"})]
    match = by_city(match_places(features, places))["L1"]
    assert match.status == "matched" and match.evidence.distance_m > 100
    rack = ("amenity", "bicycle_parking")
    features = [city("R1", at(0, 0), None, rack, distance_m=50)]
    places = [osm("n1", at(110, 0), {"amenity": "bicycle_parking"})]
    assert by_city(match_places(features, places))["R1"].status != "matched"


def test_phone_and_address_are_evidence() -> None:
    contact = {"phone": "+48 47 742 52 22", "addr:street": "Dworcowa", "addr:housenumber": "5"}
    features = [city("P1", at(0, 0), "KPP Puck", ("amenity", "police"), extra=contact)]
    places = [
        osm("n1", at(6, 0), {"amenity": "police", "name": "Komenda Powiatowa Policji", "phone": "+48477425222"}),
        osm("n2", at(-6, 0), {"amenity": "police", "name": "Komenda Powiatowa Policji",
                              "addr:street": "Morska", "addr:housenumber": "12"}),
    ]
    match = by_city(match_places(features, places))["P1"]
    assert match.osm_key == "n1"
    assert match.evidence.phone_agrees is True and match.evidence.address_agrees is None


def test_every_city_feature_gets_one_match_and_leftovers_are_osm_only() -> None:
    features = [city("L1", at(0, 0), "Bibliothèque Chaptal"), city("L2", at(2000, 0), "Bibliothèque Drouot")]
    places = [
        osm("n1", at(3, 0), {"amenity": "library", "name": "Bibliothèque Chaptal"}),
        osm("n2", at(900, 0), {"amenity": "library", "name": "Bibliothèque Valeyre"}),
        osm("n3", at(900, 5), {"shop": "books", "name": "Librairie Valeyre"}),
    ]
    results = match_places(features, places)
    assert [m.source_id for m in results[:2]] == ["L1", "L2"]
    assert by_city(results)["L2"].status == "city_only" and "150 m" in render_notes(by_city(results)["L2"].note)
    assert {k: m.status for k, m in by_osm(results).items()} == {"n2": "osm_only"}


def test_empty_inputs() -> None:
    assert match_places([], []) == []
    assert [m.status for m in match_places([city("L1", at(0, 0), "X")], [])] == ["city_only"]
    assert [m.status for m in match_places([], [osm("n1", at(0, 0), {"amenity": "library"})])] == []


def test_data_spread_over_continents_is_measured_per_region() -> None:
    # Paris, Warsaw, Helsinki, Sydney, Quito: no single projection holds them; each pair is 20 m apart.
    towns = [(2.35, 48.85), (21.01, 52.23), (24.94, 60.17), (151.21, -33.87), (-78.47, -0.18)]
    features = [city(f"T{k}", at(0, 0, town), f"Library {k}") for k, town in enumerate(towns)]
    places = [osm(f"n{k}", at(20, 0, town), {"amenity": "library", "name": f"Library {k}"}) for k, town in enumerate(towns)]
    matches = by_city(match_places(features, places))
    for k in range(len(towns)):
        assert matches[f"T{k}"].osm_key == f"n{k}"
        assert abs(matches[f"T{k}"].evidence.distance_m - 20.0) < 0.2


def test_rules_are_honoured() -> None:
    features = [city("L1", at(0, 0), "Bibliothèque Chaptal", distance_m=50)]
    places = [osm("n1", at(140, 0), {"amenity": "library", "name": "Bibliothèque Chaptal"})]
    assert by_city(match_places(features, places))["L1"].status == "matched"
    # Beyond the search radius, a place of the very name is only offered for review...
    assert by_city(match_places(features, places, MatchRules(search_factor=2.0)))["L1"].status == "ambiguous"
    # ...within review_factor times the match distance.
    narrow = MatchRules(search_factor=2.0, review_factor=2.0)
    assert by_city(match_places(features, places, narrow))["L1"].status == "city_only"


def test_polygon_city_geometry_is_measured_edge_to_edge() -> None:
    features = [city("P1", at(0, 0).buffer(0.0003), "Parc Montholon", ("leisure", "park"))]
    places = [osm("w1", Point(at(0, 0).x + 0.0001, at(0, 0).y).buffer(0.0002), {"leisure": "park", "name": "Square Montholon"})]
    match = by_city(match_places(features, places))["P1"]
    assert match.evidence.distance_m == 0.0


def test_two_city_records_for_one_osm_place_both_go_to_review() -> None:
    rack = ("amenity", "bicycle_parking")
    features = [city("R1", at(-4, 0), None, rack, distance_m=20), city("R2", at(4, 0.5), None, rack, distance_m=20)]
    places = [osm("n1", at(0, 0), {"amenity": "bicycle_parking"})]
    matches = by_city(match_places(features, places))
    assert {m.status for m in matches.values()} == {"ambiguous"}
    assert all(m.candidates == ("n1",) for m in matches.values())
    notes = " ".join(render_notes(m.note) for m in matches.values())
    assert "city record R1" in notes or "city record R2" in notes


def test_a_record_without_position_links_only_by_ref() -> None:
    from shapely.geometry import GeometryCollection

    features = [
        city("9", GeometryCollection(), "Bibliothèque Chaptal", ref_tag="ref:FR:Paris"),
        city("10", GeometryCollection(), "Bibliothèque Drouot", ref_tag="ref:FR:Paris"),
    ]
    places = [osm("n1", at(0, 0), {"amenity": "library", "name": "Bibliothèque Chaptal", "ref:FR:Paris": "9"})]
    matches = by_city(match_places(features, places))
    assert (matches["9"].status, matches["9"].method, matches["9"].evidence.distance_m) == ("matched", "ref", None)
    assert matches["10"].status == "city_only"


def test_impossible_rules_are_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="weak_score"):
        MatchRules(min_score=0.3, weak_score=0.6)
    with pytest.raises(ValueError, match="search_factor"):
        MatchRules(search_factor=0.5)


def test_places_either_side_of_the_antimeridian_are_neighbours() -> None:
    # Taveuni, Fiji: 180° runs through the island.
    features = [city("F1", Point(179.99995, -16.8), "Wairiki School", ("amenity", "school"))]
    places = [osm("n1", Point(-179.99995, -16.8), {"amenity": "school", "name": "Wairiki School"})]
    match = by_city(match_places(features, places))["F1"]
    assert match.osm_key == "n1" and 9 < match.evidence.distance_m < 12


def test_the_garbage_collector_is_left_as_found() -> None:
    import gc

    features, places = [city("L1", at(0, 0), "X")], [osm("n1", at(1, 0), {"amenity": "library", "name": "X"})]
    assert gc.isenabled()
    match_places(features, places)
    assert gc.isenabled()
    gc.disable()
    try:
        match_places(features, places)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_place_whose_address_is_in_another_town_is_not_linked_on_its_position_alone() -> None:
    # A register gave the Brzeziny police HQ the Kutno HQ's coordinates (poland-offices, row 492): the
    # record sits inside the Kutno building, the only police place around, named after another town and
    # with another town's address. Linking them would propose Brzeziny's address and phones for Kutno's.
    kutno = {"addr:street": "Toruńska", "addr:housenumber": "14", "addr:postcode": "99-300", "addr:city": "Kutno"}
    building = at(0, 0).buffer(0.0003)
    places = [osm("w1", building, {"amenity": "police", "name": "Komenda Powiatowa Policji w Kutnie", **kutno})]
    brzeziny = {"addr:street": "Konstytucji 3-go Maja", "addr:housenumber": "5", "addr:postcode": "95-060",
                "addr:city": "Brzeziny"}
    features = [city("492", at(0, 0), "KPP w Brzezinach", ("amenity", "police"), extra=brzeziny, distance_m=150)]
    match = by_city(match_places(features, places))["492"]
    assert match.status != "matched"
    assert match.status == "ambiguous" and match.candidates == ("w1",)  # offered to a person, not linked
    # The same record with the building's own town and street is linked, house number aside.
    same_town = {**kutno, "addr:housenumber": "12"}
    features = [city("493", at(0, 0), "KPP w Kutnie", ("amenity", "police"), extra=same_town, distance_m=150)]
    assert by_city(match_places(features, places))["493"].status == "matched"
