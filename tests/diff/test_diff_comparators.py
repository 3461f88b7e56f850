"""Each comparator on real-world spellings: same meaning -> equal, form only -> minor, else differs."""

from __future__ import annotations

import pytest

from osmbridge.i18n import render_note
from osmbridge.diff.comparators import comparator_for


def verdict(tag: str, city: str, osm: str, region: str | None = None) -> str:
    return comparator_for(tag).compare(city, osm, region).verdict


@pytest.mark.parametrize(("city", "osm", "region"), [
    ("02 40 41 95 95", "+33 2 40 41 95 95", "FR"),
    ("02.40.41.95.95", "+33240419595", "FR"),
    ("(0)2 40 41 95 95", "+33 (0)2 40 41 95 95", "FR"),
    ("+33 2 40 41 95 95", "0240419595", "FR"),
    ("02 40 41 95 95", "+33 2 40 41 95 95", None),  # the OSM number tells the region
    ("47 83 12 900", "+48 47 831 29 00", "PL"),
    ("478713400", "+48 47 871 34 00", "PL"),
    ("(22) 621 13 41", "+48 22 621 13 41", "PL"),
    ("22 621 13 41; 22 621 13 42", "+48 22 621 13 42;+48 22 621 13 41", "PL"),  # a set: order does not count
    ("22 621 13 41 lub 22 621 13 42", "+48 22 621 13 41; +48 22 621 13 42", "PL"),
])
def test_phones_in_any_format_are_equal(city: str, osm: str, region: str | None) -> None:
    assert verdict("phone", city, osm, region) == "equal"


@pytest.mark.parametrize(("city", "osm", "region"), [
    ("02 40 41 95 95", "+33 2 40 41 95 96", "FR"),
    ("47 732 52 00", "+48 89 625 02 00", "PL"),
    ("22 621 13 41", "+48 22 621 13 41; +48 22 621 13 42", "PL"),  # OSM knows one more number
])
def test_different_phone_numbers_differ(city: str, osm: str, region: str) -> None:
    assert verdict("phone", city, osm, region) == "differs"


def test_fax_and_contact_phone_use_the_phone_rules() -> None:
    assert verdict("fax", "71 340 47 73", "+48 71 340 47 73", "PL") == "equal"
    assert verdict("contact:phone", "02 40 41 95 95", "+33 2 40 41 95 95", "FR") == "equal"


def test_a_phone_that_is_no_valid_number_is_compared_by_digits_and_flagged() -> None:
    comparator = comparator_for("phone")
    assert comparator.compare("112", "112", "PL").verdict == "equal"
    outcome = comparator.compare("3939", "+33 2 40 41 95 95", "FR")
    assert outcome.verdict == "differs"
    assert "E.164" in render_note(outcome.note) and outcome.note.code == "phone_unparsed"


@pytest.mark.parametrize(("city", "osm"), [
    ("www.chelm.policja.gov.pl", "https://chelm.policja.gov.pl/"),
    ("http://www.wagrowiec.policja.gov.pl/", "https://wagrowiec.policja.gov.pl/"),
    ("tarnow.policja.gov.pl", "https://tarnow.policja.gov.pl/"),
    ("http://www.bm.nantes.fr/", "https://bm.nantes.fr"),
    ("https://www.Nantes.fr/Bibliotheques", "https://nantes.fr/Bibliotheques/"),
])
def test_url_variants_are_equal(city: str, osm: str) -> None:
    assert verdict("website", city, osm) == "equal"
    assert verdict("contact:website", city, osm) == "equal"


def test_different_urls_differ() -> None:
    assert verdict("website", "www.mazowiecka.policja.gov.pl/wwy/", "https://mazowiecka.policja.gov.pl/") == "differs"
    assert verdict("url", "https://bm.nantes.fr/horaires", "https://bm.nantes.fr/") == "differs"


@pytest.mark.parametrize(("city", "osm"), [
    ("Mo-Fr 09:00-17:00", "Mo,Tu,We,Th,Fr 09:00-17:00"),
    ("Mo-Su 00:00-24:00", "24/7"),
    ("du lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-17:00"),
    ("Mo-Fr 09:00-12:00,14:00-18:00", "Mo-Fr 09:00-12:00, 14:00-18:00"),
])
def test_opening_hours_are_compared_by_meaning(city: str, osm: str) -> None:
    assert verdict("opening_hours", city, osm) == "equal"


def test_different_opening_hours_differ_and_city_free_text_is_shown_converted() -> None:
    comparator = comparator_for("opening_hours")
    assert comparator.compare("Mo-Fr 09:00-18:00", "Mo-Fr 09:00-17:00", None).verdict == "differs"
    shown, shown_note = comparator.present_city("du lundi au vendredi de 9h à 17h")
    assert shown == "Mo-Fr 09:00-17:00"
    assert "converted" in render_note(shown_note) and "du lundi au vendredi de 9h à 17h" in render_note(shown_note)


def test_unreadable_city_hours_are_shown_raw_and_flagged() -> None:
    comparator = comparator_for("opening_hours")
    outcome = comparator.compare("sur rendez-vous uniquement", "Mo-Fr 09:00-17:00", None)
    assert outcome.verdict == "differs"
    assert "not parseable" in render_note(outcome.note)
    assert comparator.present_city("sur rendez-vous uniquement")[0] == "sur rendez-vous uniquement"


def test_hours_keys_are_the_same_for_the_same_meaning() -> None:
    key = comparator_for("opening_hours").key
    assert key("Mo,Tu,We,Th,Fr 09:00-17:00", None) == key("Mo-Fr 09:00-17:00", None)
    assert key("Mo-Fr 09:00-17:00", None) != key("Mo-Fr 09:00-18:00", None)


def test_other_hours_keys_use_the_hours_rules() -> None:
    assert verdict("opening_hours:covid19", "Mo,Tu,We,Th,Fr 08:00-16:00", "Mo-Fr 08:00-16:00") == "equal"
    assert verdict("office:opening_hours", "Mo-Fr 08:00-16:00", "Mo,Tu,We,Th,Fr 08:00-16:00") == "equal"


def test_names_case_only_difference_is_minor() -> None:
    outcome = comparator_for("name").compare("MÉDIATHÈQUE JACQUES DEMY", "Médiathèque Jacques Demy", None)
    assert outcome.verdict == "minor"
    assert "case" in render_note(outcome.note)


@pytest.mark.parametrize(("city", "osm"), [
    ("Ecole elementaire Jean Zay", "École élémentaire Jean Zay"),
    ("Komenda Powiatowa Policji w Wagrowcu", "Komenda Powiatowa Policji w Wągrowcu"),
    ("Lodz", "Łódź"),
])
def test_names_accent_only_difference_is_minor(city: str, osm: str) -> None:
    outcome = comparator_for("name").compare(city, osm, None)
    assert outcome.verdict == "minor"
    assert "accents" in render_note(outcome.note)


def test_names_that_say_something_else_differ() -> None:
    assert verdict("name", "École maternelle Jean Zay", "École élémentaire Jean Zay") == "differs"
    assert verdict("name", "Komisariat Policji II", "Komisariat Policji III") == "differs"
    assert verdict("official_name", "Bibliothèque Chantenay", "Médiathèque Jacques Demy") == "differs"


def test_names_equal_after_whitespace_trim() -> None:
    assert verdict("name", "  Komenda Miejska Policji  w Legnicy ", "Komenda Miejska Policji w Legnicy") == "equal"


def test_streets_compared_with_abbreviations_expanded() -> None:
    assert verdict("addr:street", "ul. Tadeusza Kościuszki", "Tadeusza Kościuszki", "PL") == "equal"
    assert verdict("addr:street", "pl. Powstańców Warszawy", "Plac Powstańców Warszawy", "PL") == "equal"
    assert verdict("addr:street", "BD DES ANGLAIS", "Boulevard des Anglais") == "equal"
    assert verdict("addr:street", "Rue de Strasbourg", "Rue de Gigant") == "differs"
    assert verdict("addr:street", "Kopernika", "Kościuszki", "PL") == "differs"


@pytest.mark.parametrize(("city", "osm"), [
    ("ul. Traugutta", "Romualda Traugutta"),
    ("T. Kościuszki", "Tadeusza Kościuszki"),
    ("Gen.W.Sikorskiego", "Generała Władysława Sikorskiego"),
    ("Rue Jules Verne", "Rue J. Verne"),
])
def test_streets_written_the_short_way_are_minor(city: str, osm: str) -> None:
    outcome = comparator_for("addr:street").compare(city, osm, "PL")
    assert outcome.verdict == "minor"
    assert "given names" in render_note(outcome.note)


def test_a_street_short_form_must_keep_the_last_word() -> None:
    assert verdict("addr:street", "Adama", "Adama Asnyka", "PL") == "differs"
    assert verdict("addr:street", "K. Kopernika", "Tadeusza Kopernika", "PL") == "differs"
    assert verdict("addr:street", "ul. Chopina", "Plac Fryderyka Chopina", "PL") == "differs"
    assert verdict("addr:street", "Rue Verne", "Allée Jules Verne") == "differs"


def test_street_keys_ignore_the_writing() -> None:
    key = comparator_for("addr:street").key
    assert key("Bd des Anglais", "FR") == key("BOULEVARD DES ANGLAIS", "FR")
    assert key("Bd des Anglais", "FR") != key("Rue des Anglais", "FR")


@pytest.mark.parametrize(("city", "osm", "expected"), [
    ("12 bis", "12bis", "equal"),
    ("12 BIS", "12bis", "equal"),
    ("12 B", "12b", "equal"),
    ("31 - 33", "31-33", "equal"),
    ("12B", "12 bis", "minor"),
    ("3 ter", "3T", "minor"),
    ("12B", "12C", "differs"),
    ("12", "14", "differs"),
])
def test_housenumbers_by_parts(city: str, osm: str, expected: str) -> None:
    assert verdict("addr:housenumber", city, osm) == expected


def test_postcodes_ignore_spacing_but_show_it() -> None:
    assert verdict("addr:postcode", "50-040 ", "50-040") == "equal"
    assert verdict("addr:postcode", "50040", "50-040") == "minor"
    assert verdict("addr:postcode", "44000", "44100") == "differs"


def test_emails_are_case_insensitive_sets() -> None:
    assert verdict("email", "Kontakt@Tarnow.Policja.gov.pl", "kontakt@tarnow.policja.gov.pl") == "equal"
    assert verdict("contact:email", "a@x.fr; b@x.fr", "b@x.fr;a@x.fr") == "equal"
    assert verdict("email", "a@x.fr", "b@x.fr") == "differs"


def test_default_is_exact_after_trim_with_case_and_order_as_minor() -> None:
    assert verdict("operator:type", " public ", "public") == "equal"
    assert verdict("wheelchair", "Yes", "yes") == "minor"
    assert verdict("cuisine", "pizza;kebab", "kebab;pizza") == "minor"
    assert verdict("amenity", "library", "public_bookcase") == "differs"


def test_same_side_changes_of_form_are_not_changes() -> None:
    assert comparator_for("phone").same("02 40 41 95 95", "+33240419595", "FR")
    assert comparator_for("opening_hours").same("du lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-17:00", None)
    assert comparator_for("website").same("http://www.bm.nantes.fr/", "https://bm.nantes.fr", None)
    assert not comparator_for("name").same("Bibliothèque", "BIBLIOTHÈQUE", None)  # case is a real edit
    assert comparator_for("phone").same(None, None, "FR")
    assert not comparator_for("phone").same(None, "+33240419595", "FR")


def test_invalid_osm_hours_are_compared_as_text_and_flagged() -> None:
    comparator = comparator_for("opening_hours")
    assert comparator.compare("Mo-Fr 09:00-17:00", "Mo-Fr 9-17 Uhr", None).verdict == "differs"
    assert "OSM" in render_note(comparator.compare("Mo-Fr 09:00-17:00", "Mo-Fr 9-17 Uhr", None).note)
    assert comparator.compare("sur rendez-vous", " sur  rendez-vous", None).verdict == "equal"


@pytest.mark.parametrize(("city", "osm"), [
    ("Gorzów Wlkp.", "Gorzów Wielkopolski"),
    ("Rawa Maz.", "Rawa Mazowiecka"),
    ("Strzelce Kraj.", "Strzelce Krajeńskie"),
    ("Bibl. Saint-Éloi", "Bibliothèque Saint-Éloi"),
])
def test_names_with_words_cut_short_are_minor(city: str, osm: str) -> None:
    assert verdict("addr:city", city, osm) == "minor"
    assert verdict("name", osm, city) == "minor"


def test_a_cut_word_must_be_made_of_the_other_words_letters() -> None:
    assert verdict("addr:city", "Rawa Maz.", "Rawa Lubelska") == "differs"
    assert verdict("addr:city", "Brzeziny", "Kutno") == "differs"
    assert verdict("name", "Gorzów Wlkp", "Gorzów Wielkopolski") == "differs"  # no dot: not marked as cut


def test_housenumber_trailing_dot_is_punctuation() -> None:
    assert verdict("addr:housenumber", "12/14.", "12/14") == "equal"


def test_accents_encoded_either_way_are_the_same_text() -> None:
    decomposed = "Me\u0301diathe\u0300que Jacques Demy"  # e + combining accents, as some exports write it
    assert verdict("name", decomposed, "Médiathèque Jacques Demy") == "equal"
    assert verdict("operator", decomposed, "Médiathèque Jacques Demy") == "equal"


def test_counts_and_lengths_compare_as_numbers() -> None:
    assert verdict("capacity", "6", "6.0") == "equal"
    assert verdict("capacity", "06", "6") == "equal"
    assert verdict("height", "12 m", "12") == "equal"
    assert verdict("capacity:disabled", "2", "3") == "differs"
    assert verdict("capacity", "6", "4") == "differs"
    assert verdict("capacity", "about 6", "about 6") == "equal"  # not a number: exact text
    assert verdict("ref", "007", "7") == "differs"  # ids keep their zeros
    assert comparator_for("capacity").key("6.0", None) == comparator_for("capacity").key("6", None)
