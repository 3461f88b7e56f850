"""City values unfit for OSM are shown with their reason and never proposed to OSM (issue 7)."""

from __future__ import annotations

import dataclasses

from diff_builders import feature, matched, osm_place

from osmbridge.diff import diff_dataset
from osmbridge.model import DatasetResult, Match, SyncBase
from osmbridge.report import plan_osm_edits
from osmbridge.i18n import render_notes

POLICE = (("amenity", "police"),)
# Komenda Rejonowa Policji Warszawa VII in the register, and in OSM.
WARSAW_CITY = {"amenity": "police", "name": "Komenda Rejonowa Policji Warszawa VII",
               "email": "KSP Komendant KRP VII/KSP/Policja@Policja", "addr:housenumber": "73/75"}
WARSAW_OSM = {"amenity": "police", "name": "Komenda Rejonowa Policji Warszawa VII",
              "email": "krp7@ksp.policja.gov.pl", "addr:housenumber": "73/75"}


def _police(source_id: str, tags: dict[str, str], **options: object):
    return feature(source_id, tags, category="police", match_tags=POLICE, match_distance_m=150.0,
                   city_authoritative=frozenset({"email", "addr:housenumber", "phone"}), **options)  # type: ignore[arg-type]


def test_an_invalid_city_value_never_replaces_a_valid_osm_one() -> None:
    [email] = diff_dataset("policja", [_police("757.", WARSAW_CITY)], [osm_place("n1", WARSAW_OSM)],
                           [matched("757.", "n1")], SyncBase())
    assert email.field == "email" and email.kind == "differs"
    # The city is the reference for e-mail in this mapping, yet this value is no e-mail address.
    assert email.proposal == "review"
    assert "city value not valid for OSM" in render_notes(email.note)
    assert "KSP Komendant KRP VII/KSP/Policja@Policja" in render_notes(email.note)
    assert email.city_value == "KSP Komendant KRP VII/KSP/Policja@Policja"


def test_an_invalid_value_changed_by_the_city_is_not_proposed_either() -> None:
    base = SyncBase(city_tags={"757.": {**WARSAW_CITY, "email": "krp7@ksp.policja.gov.pl"}},
                    osm_tags={"n1": WARSAW_OSM})
    [email] = diff_dataset("policja", [_police("757.", WARSAW_CITY)], [osm_place("n1", WARSAW_OSM)],
                           [matched("757.", "n1")], base)
    assert (email.changed_side, email.proposal) == ("city", "review")


def test_an_invalid_value_stays_out_of_a_created_node() -> None:
    # Komenda Miejska Policji w Kaliszu: a spreadsheet turned the house number into a date (1 March).
    kalisz = _police("1697.", {"amenity": "police", "name": "Komenda Miejska Policji w Kaliszu",
                                "addr:housenumber": "01.mar", "addr:street": "Jasna",
                                "email": "dyzurny.kalisz@po.policja.gov.pl"})
    differences = diff_dataset("policja", [kalisz], [], [Match("1697.", None, "city_only", "none", 0.0)], SyncBase())
    [create] = differences
    assert create.kind == "missing_in_osm" and create.proposal == "to_osm"
    assert create.osm_edit is not None and "addr:housenumber" not in dict(create.osm_edit.set_tags)
    assert "01.mar" not in (create.city_value or "")
    assert "city value not valid for OSM" in render_notes(create.note) and "01.mar" in render_notes(create.note)
    result = DatasetResult("policja", "unknown", 1, "t", (kalisz,), (), (), tuple(differences))
    [node] = plan_osm_edits(result).file_edits
    assert dict(node.tags) == {"amenity": "police", "name": "Komenda Miejska Policji w Kaliszu",
                               "addr:street": "Jasna", "email": "dyzurny.kalisz@po.policja.gov.pl"}


def test_a_value_the_mapping_could_not_convert_is_never_proposed() -> None:
    # Kept as written by the mapping (on_error = "keep"): whatever it looks like, it is the raw text.
    city = dataclasses.replace(_police("1.", {"amenity": "police", "operator": "KWP ???"}),
                               raw_tags=frozenset({"operator"}))
    [operator] = diff_dataset("policja", [city], [osm_place("n1", {"amenity": "police"})], [matched("1.", "n1")],
                              SyncBase(), region="PL")
    assert operator.kind == "only_city" and operator.proposal != "to_osm"
    assert "city value not valid for OSM" in render_notes(operator.note)


def test_an_osm_change_to_a_city_with_an_invalid_value_is_still_offered_to_the_city() -> None:
    base = SyncBase(city_tags={"757.": WARSAW_CITY}, osm_tags={"n1": {**WARSAW_OSM, "email": "old@policja.gov.pl"}})
    [email] = diff_dataset("policja", [_police("757.", WARSAW_CITY)], [osm_place("n1", WARSAW_OSM)],
                           [matched("757.", "n1")], base)
    assert (email.changed_side, email.proposal) == ("osm", "to_city")
    assert "city value not valid for OSM" in render_notes(email.note)
