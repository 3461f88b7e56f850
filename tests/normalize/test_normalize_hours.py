"""Opening hours: OSM syntax kept, common French/English free text converted, comparison by meaning."""

from __future__ import annotations

import pytest

from osmbridge.normalize import parse_opening_hours, same_opening_hours


@pytest.mark.parametrize("raw", ["Mo-Fr 09:00-17:00", "24/7", "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off"])
def test_valid_osm_syntax_is_kept_as_written(raw: str) -> None:
    assert parse_opening_hours(raw) == parse_opening_hours(raw).__class__(raw, raw, True)


@pytest.mark.parametrize(("raw", "expected"), [
    ("Du lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-17:00"),
    ("Mon-Fri 9am-5pm", "Mo-Fr 09:00-17:00"),
    ("lundi : 9h-12h / 14h-18h", "Mo 09:00-12:00,14:00-18:00"),
    ("Lundi au vendredi : 9h-12h et 14h-17h30, samedi 9h-12h", "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00"),
    ("lun. - ven. 8h30 - 12h, 13h30 - 17h", "Mo-Fr 08:30-12:00,13:30-17:00"),
    ("lundi, mardi, jeudi, vendredi : 8h30-12h30 / 13h30-16h30", "Mo,Tu,Th,Fr 08:30-12:30,13:30-16:30"),
    ("du lundi au jeudi de 9h à midi", "Mo-Th 09:00-12:00"),
    ("Mardi et jeudi 14h-18h ; samedi fermé", "Tu,Th 14:00-18:00"),
    ("tous les jours de 10h à 19h", "Mo-Su 10:00-19:00"),
    ("Monday to Friday 8:30am - 4:30pm", "Mo-Fr 08:30-16:30"),
    ("Mon-Fri 1-5pm", "Mo-Fr 13:00-17:00"),
    ("24h/24", "24/7"),
    ("lundi 9h-12h\nmercredi 14h-18h", "Mo 09:00-12:00; We 14:00-18:00"),
    ("Du lundi au samedi : 10h-13h et 14h30-19h. Dimanche : fermé", "Mo-Sa 10:00-13:00,14:30-19:00"),
    ("de 8h à 12h du lundi au vendredi", "Mo-Fr 08:00-12:00"),
    ("9h-12h lundi, 14h-18h mardi", "Mo 09:00-12:00; Tu 14:00-18:00"),
    ("Lundi-Vendredi : 9h00-12h00 14h00-18h00", "Mo-Fr 09:00-12:00,14:00-18:00"),
    ("Mo-Fr 9-17", "Mo-Fr 09:00-17:00"),  # bare numbers are hours next to day names
])
def test_free_text_is_converted(raw: str, expected: str) -> None:
    value = parse_opening_hours(raw)
    assert (value.osm, value.ok, value.raw) == (expected, True, raw)


@pytest.mark.parametrize("raw", ["sur rendez-vous", "9h-17h", "9-12", "", "Lundi 9h-12h sauf jours fériés",
                                 "mars 9h-12h", "fermé"])
def test_unclear_text_is_not_converted(raw: str) -> None:
    value = parse_opening_hours(raw)
    assert (value.osm, value.ok) == (None, False)


def test_same_opening_hours_compares_meaning() -> None:
    assert same_opening_hours("Mo-Fr 09:00-17:00", "Mo,Tu,We,Th,Fr 09:00-17:00") is True
    assert same_opening_hours("Mo-Fr 09:00-17:00", "Mo-Fr 9:00-17:00") is True
    assert same_opening_hours("Mo-Su 10:00-19:00", "10:00-19:00") is True
    assert same_opening_hours("Du lundi au vendredi de 9h à 17h", "Mo-Fr 09:00-17:00") is True
    assert same_opening_hours("Mo-Fr 09:00-17:00", "Mo-Sa 09:00-17:00") is False
    assert same_opening_hours("Mo-Fr 09:00-17:00", "Mo-Fr 09:00-12:00,13:00-17:00") is False
    assert same_opening_hours("Mo-Fr 09:00-17:00", "sur rendez-vous") is None


def test_public_holidays_count_only_with_a_country() -> None:
    assert same_opening_hours("Mo-Fr 09:00-17:00; PH off", "Mo-Fr 09:00-17:00", country="FR") is False
    assert same_opening_hours("Mo-Fr 09:00-17:00; PH off", "Mo-Fr 09:00-17:00; PH off", country="PL") is True
    assert same_opening_hours("Mo-Fr 09:00-17:00; PH off", "Mo-Fr 09:00-17:00") is True  # no calendar
