"""Name normalisation and similarity on names as city lists and OSM write them."""

from __future__ import annotations

import pytest

from osmbridge.match.names import name_similarity, normalize_name


@pytest.mark.parametrize(
    ("city", "osm"),
    [
        ("Bibli. Saint-Éloi", "Bibliothèque St Eloi"),  # French abbreviations, accent, hyphen
        ("KMP w Legnicy", "Komenda Miejska Policji w Legnicy"),  # Polish acronym, preposition
        ("ul. Podwale", "Ulica Podwale"),
        ("Hauptstr.", "Hauptstraße"),  # German compound ending, ß
        ("St Mary's Street", "Saint Mary's St"),  # English St = Saint and Street alike
        ("L'ÉCOLE DES BEAUX-ARTS", "école beaux arts"),  # case, article, punctuation
        ("Łódź", "Lodz"),  # a letter Unicode does not decompose
    ],
)
def test_variants_normalise_to_the_same_name(city: str, osm: str) -> None:
    assert normalize_name(city) == normalize_name(osm)
    assert name_similarity(city, osm) == 100.0


def test_words_cut_short_with_a_dot_read_as_the_whole_word() -> None:
    assert name_similarity("Kom. Pow. Pol. w Jarosławiu", "Komenda Powiatowa Policji w Jarosławiu") >= 95
    assert name_similarity("Lycée Lamar.", "Lycée Lamartine") >= 95
    # Half a word or more is a different name, not an abbreviation.
    assert name_similarity("Jean", "Jeanne") < 95


def test_typo_keeps_names_close() -> None:
    assert name_similarity("Komisariat Policji w Rwjowcu Fabrycznym", "Komisariat Policji w Rejowcu Fabrycznym") > 90


def test_different_numbers_mean_different_places() -> None:
    assert name_similarity("Parking 1", "Parking 2") <= 40
    assert name_similarity("Komisariat Policji II", "Komisariat Policji III") <= 40
    assert name_similarity("Komisariat Policji IV w Krakowie", "Komisariat Policji 4 w Krakowie") == 100.0
    # The Polish "i" (and) inside a name is no numeral.
    assert name_similarity("Szkoła Podstawowa nr 5 i Gimnazjum", "Szkoła Podstawowa nr 5 i Gimnazjum") == 100.0
    assert name_similarity("SP nr 5 i Gimnazjum", "Szkoła Podstawowa nr 5 i Gimnazjum") == 100.0


def test_a_word_that_differs_caps_the_similarity() -> None:
    # Two schools sharing a site and a street name: a person would not call them the same.
    assert name_similarity("École maternelle Chaptal", "École élémentaire Chaptal") <= 70
    assert name_similarity("Collège Lamartine", "Lycée Général Lamartine") <= 70


def test_unrelated_names_score_low() -> None:
    assert name_similarity("Bibliothèque Valeyre", "Collège Bernard Palissy") < 50


def test_missing_names_give_none() -> None:
    assert name_similarity(None, "Bibliothèque") is None
    assert name_similarity("  ", "Bibliothèque") is None
    assert name_similarity("Bibliothèque", None) is None


def test_a_name_made_only_of_articles_is_kept() -> None:
    assert normalize_name("La") == "la"


def test_other_scripts_keep_their_letters() -> None:
    # Vowel signs of Devanagari or Thai are letters, not accents or punctuation.
    assert normalize_name("दिल्ली पब्लिक स्कूल") == "दिल्ली पब्लिक स्कूल"
    assert normalize_name("โรงเรียน_สวนกุหลาบ") == "โรงเรียน สวนกุหลาบ"
    assert normalize_name("Москва, Ёлка") == "москва елка"
