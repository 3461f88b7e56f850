"""What a note's text reports: closures and wrong values in English and French, without being fooled by opening
hours, temporary closures, negations or a farm."""

from __future__ import annotations

import pytest

from osmbridge.osm_notes.classify import classify_note


@pytest.mark.parametrize(("text", "concern", "keyword"), [
    ("The library is permanently closed", "closure", "permanently closed"),
    ("Fermé définitivement depuis 2023", "closure", "Fermé définitivement"),
    ("Le musée est fermé", "closure", "est fermé"),
    ("FERMEE", "closure", "FERMEE"),
    ("N'existe plus", "closure", "N'existe plus"),
    ("n’existe plus", "closure", "n’existe plus"),
    ("Cette bibliothèque a déménagé rue Kervégan", "closure", "a déménagé"),
    ("Composteur hors service", "closure", "hors service"),
    ("shop is gone, building demolished", "closure", "gone"),
    ("Les horaires sont faux", "wrong_value", "faux"),
    ("the name should be Médiathèque Jules Verne", "wrong_value", "should be"),
    ("Numéro de téléphone erroné", "wrong_value", "erroné"),
    ("closed on Sundays", "wrong_value", "closed on Sundays"),
    ("fermé le dimanche", "wrong_value", "fermé le dimanche"),
    ("Closed at 18h now", "wrong_value", "Closed at 18h"),
    ("Not closed, but the phone number is wrong", "wrong_value", "wrong"),
    ("pas fermé, mauvais numéro", "wrong_value", "mauvais"),
])
def test_concerns_and_the_words_that_told(text: str, concern: str, keyword: str) -> None:
    assert classify_note(text) == (concern, keyword)


@pytest.mark.parametrize("text", [
    "Temporarily closed for renovation",
    "fermé pour travaux jusqu'au 3 mars",
    "la ferme du village",  # a farm, not "fermé"
    "nice place, lots of books",
    "",
])
def test_no_concern(text: str) -> None:
    assert classify_note(text) == (None, None)


def test_a_closure_wins_over_a_wrong_value() -> None:
    assert classify_note("Wrong hours, and anyway it is permanently closed")[0] == "closure"
