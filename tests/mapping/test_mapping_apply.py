"""Applying a mapping to hand-made records: tags, categories, filters, skips, field errors."""

from __future__ import annotations

import pytest

from shared_data import TEST_DATA
from mapping_places import make_place
from osmbridge.errors import BadRecord
from osmbridge.mapping import apply_mapping, load_mapping, unconverted_tags


@pytest.fixture
def mapping():
    return load_mapping(TEST_DATA / "mapping" / "libraries.toml")


def library(source_id: str = "11", **extra):
    fields = {"theme": "CULTURE", "categorie": "Médiathèque", "type": "Bibliothèque", "nom": "Bibliothèque Breil",
              "tel": "02 40 76 06 56", "web": "www.bm.nantes.fr", "adresse": "37B Rue des Plantes", "cp": 44100}
    fields.update(extra)
    return make_place(source_id, **fields)


def test_a_record_becomes_a_feature_with_all_its_tags(mapping) -> None:
    features, skipped = apply_mapping(mapping, [library()])
    assert skipped == []
    feature = features[0]
    assert dict(feature.tags) == {
        "source": "test", "amenity": "library", "ref:test": "11", "name": "Bibliothèque Breil",
        "phone": "+33240760656", "website": "https://www.bm.nantes.fr", "addr:housenumber": "37B",
        "addr:street": "Rue des Plantes", "addr:postcode": "44100",
    }
    assert feature.field_of_tag == {"ref:test": "id", "name": "nom", "phone": "tel", "website": "web",
                                    "addr:housenumber": "adresse", "addr:street": "adresse", "addr:postcode": "cp"}
    assert (feature.mapping, feature.category, feature.name) == ("test-culture", "Médiathèque / Bibliothèque",
                                                                 "Bibliothèque Breil")
    assert feature.match_tags == (("amenity", "library"),)
    assert (feature.match_distance_m, feature.ref_tag, feature.closed) == (40.0, "ref:test", False)
    assert feature.osm_only == {"wheelchair"} and "phone" in feature.city_authoritative
    assert feature.source_id == "11" and feature.geometry.x == -1.55


def test_category_overrides_distance_and_match_tags_and_regex_selects(mapping) -> None:
    features, _ = apply_mapping(mapping, [library(categorie="Cinéma", type=None)])
    assert features[0].tags["amenity"] == "cinema"
    assert features[0].match_tags == (("amenity", "cinema"), ("amenity", "theatre"))
    assert features[0].match_distance_m == 80.0
    assert features[0].category == "Cinéma"


def test_when_conditions_pick_between_rules_for_one_value(mapping) -> None:
    features, _ = apply_mapping(mapping, [library("1", categorie="Salle", type=None, jauge="grande"),
                                          library("2", categorie="Salle", type=None, jauge="petite")])
    assert [f.tags["amenity"] for f in features] == ["theatre", "community_centre"]
    assert features[0].match_tags == (("amenity", "*"),)


def test_filters_drop_records_silently_and_skips_on_purpose(mapping) -> None:
    places = [library("1", theme="SPORTS"), library("2", nom="Test record"), library("3", categorie="Monument",
                                                                                   type=None), library("4")]
    features, skipped = apply_mapping(mapping, places)
    assert [f.source_id for f in features] == ["4"]
    assert skipped == []


def test_an_uncovered_category_comes_back_as_a_skipped_record_saying_so(mapping) -> None:
    features, skipped = apply_mapping(mapping, [library("9", categorie="Planétarium", type=None)])
    assert features == []
    assert len(skipped) == 1
    assert skipped[0].origin == "test.csv:9" and skipped[0].field == "categorie + type"
    assert "'Planétarium' is not covered" in skipped[0].problem and "[[skip]]" in skipped[0].problem


def test_several_phone_fields_join_with_semicolons_without_duplicates(mapping) -> None:
    features, _ = apply_mapping(mapping, [library(tel="02 40 76 06 56 / 02 51 11 03 44", tel2="02 40 76 06 56")])
    assert features[0].tags["phone"] == "+33240760656;+33251110344"
    features, _ = apply_mapping(mapping, [library(tel=None, tel2="02 51 11 03 44")])
    assert features[0].tags["phone"] == "+33251110344" and features[0].field_of_tag["phone"] == "tel2"


def test_a_rejected_value_is_kept_as_written_by_default_and_said_so(mapping) -> None:
    features, skipped = apply_mapping(mapping, [library(tel="17", horaires="sur rendez-vous"), library("2")])
    assert features[0].tags["phone"] == "17" and skipped == []
    assert features[0].tags["opening_hours"] == "sur rendez-vous"
    assert unconverted_tags(mapping, features[0]) == {
        "phone": "not a valid phone number for region FR: '17'",
        "opening_hours": "not understood as opening hours: 'sur rendez-vous'"}
    assert unconverted_tags(mapping, features[1]) == {}


def test_on_error_omit_leaves_the_tag_out(mapping) -> None:
    features, _ = apply_mapping(mapping, [library(tel=None, tel2="36 46")])
    assert "phone" not in features[0].tags


def test_on_error_fail_raises_bad_record_or_skips_with_skip_invalid(mapping) -> None:
    bad = library("5", cp="44 1000")
    with pytest.raises(BadRecord) as caught:
        apply_mapping(mapping, [bad])
    assert str(caught.value).startswith("test.csv:5: field 'cp': not a FR postcode: '44 1000'")
    assert "--skip-invalid" in str(caught.value)
    features, skipped = apply_mapping(mapping, [bad, library("6")], skip_invalid=True)
    assert [f.source_id for f in features] == ["6"]
    assert (skipped[0].origin, skipped[0].field) == ("test.csv:5", "cp")


def test_field_alternatives_ignore_values_hours_and_int_factor(mapping) -> None:
    features, _ = apply_mapping(mapping, [library(web=None, site="http://www.nantes.fr/", places="12",
                                                  horaires="Du lundi au vendredi de 9h à 17h")])
    tags, sources = features[0].tags, features[0].field_of_tag
    assert (tags["website"], sources["website"]) == ("http://www.nantes.fr", "site")
    assert tags["capacity"] == "24"
    assert tags["opening_hours"] == "Mo-Fr 09:00-17:00"
    features, _ = apply_mapping(mapping, [library(web="http")])  # a placeholder: no website
    assert "website" not in features[0].tags


def test_a_french_postcode_read_as_a_number_gets_its_zero_back(mapping) -> None:
    features, _ = apply_mapping(mapping, [library(cp=1000)])
    assert features[0].tags["addr:postcode"] == "01000"


def test_closed_records_are_marked(mapping) -> None:
    features, _ = apply_mapping(mapping, [library(statut="Fermé"), library("2", statut="Ouvert")])
    assert [f.closed for f in features] == [True, False]


def test_empty_and_missing_fields_give_no_tag(mapping) -> None:
    features, _ = apply_mapping(mapping, [library(tel="", web=None, adresse="  ", nom=None)])
    tags = features[0].tags
    assert not {"phone", "website", "addr:street", "addr:housenumber", "name"} & set(tags)
    assert features[0].name is None


def test_weekday_hours_read_one_column_per_day(tmp_path) -> None:
    path = tmp_path / "hours.toml"
    path.write_text("""
[mapping]
id_field = "id"
[[field]]
days = { Mo = "lun", Tu = "mar", We = "mer", Sa = "sam" }
tag = "opening_hours"
transform = "weekday_hours"
ignore = ["-"]
[[category]]
tags = { amenity = "townhall" }
""", encoding="utf-8")
    mapping = load_mapping(path)
    places = [make_place("1", lun="9h-12h / 14h-17h", mar="9h-12h / 14h-17h", mer="fermé", sam="-"),
              make_place("2", lun="sur rendez-vous"), make_place("3", lun=None, mar=None)]
    features, _ = apply_mapping(mapping, places)
    assert features[0].tags["opening_hours"] == "Mo,Tu 09:00-12:00,14:00-17:00"
    assert features[1].tags["opening_hours"] == "Mo sur rendez-vous"  # kept as written: shown raw by the diff
    assert "opening_hours" not in features[2].tags


def test_a_release_with_upper_case_headers_maps_the_same(mapping) -> None:
    lower = library()
    upper = make_place("11", **{key.upper(): value for key, value in lower.fields.items()})
    [from_lower], _ = apply_mapping(mapping, [lower])
    [from_upper], skipped = apply_mapping(mapping, [upper])
    assert skipped == [] and dict(from_upper.tags) == dict(from_lower.tags)
