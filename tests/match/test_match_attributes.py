"""Unnamed street furniture: mapped attributes (capacity, type) tell close neighbours apart."""

from __future__ import annotations

import dataclasses

from match_factories import at, by_city, city, osm

from osmbridge.match import match_places
from osmbridge.match.agreement import attribute_agreement, attribute_keys

RACK = ("amenity", "bicycle_parking")


def rack(source_id: str, east_m: float, capacity: str, kind: str):  # noqa: ANN201
    feature = city(source_id, at(east_m, 0), None, RACK, distance_m=20, ref_tag=None,
                   extra={"capacity": capacity, "bicycle_parking": kind})
    return dataclasses.replace(feature, field_of_tag={"capacity": "nb", "bicycle_parking": "type"})


def test_attribute_keys_leave_out_names_contacts_and_refs() -> None:
    mapped = {"capacity": "nb", "name": "nom", "addr:street": "adresse", "phone": "tel", "ref:FR:NM": "id",
              "operator": "gestionnaire", "opening_hours": "horaires"}
    assert attribute_keys(mapped, "ref:FR:NM") == ("capacity", "operator")


def test_attribute_agreement_counts_both_ways() -> None:
    keys = ("capacity", "covered", "operator")
    city_tags = {"capacity": "22", "covered": "no", "operator": "Métropole"}
    assert attribute_agreement(city_tags, {"capacity": "22.0", "operator": " métropole"}, keys) == 2
    assert attribute_agreement(city_tags, {"capacity": "6", "covered": "no"}, keys) == 0
    assert attribute_agreement(city_tags, {"capacity": "6"}, keys) == -1


def test_the_rack_with_the_same_capacity_and_type_wins_over_a_slightly_closer_one() -> None:
    feature = rack("1", 0, "22", "stands")
    closer = osm("n1", at(-4, 0), {"amenity": "bicycle_parking", "capacity": "6", "bicycle_parking": "wall_loops"})
    same = osm("n2", at(7, 0), {"amenity": "bicycle_parking", "capacity": "22", "bicycle_parking": "stands"})
    assert by_city(match_places([feature], [closer, same]))["1"].osm_key == "n2"
    # Without attributes, distance decides: the closer rack.
    bare = dataclasses.replace(feature, field_of_tag={})
    assert by_city(match_places([bare], [closer, same]))["1"].osm_key != "n2"
