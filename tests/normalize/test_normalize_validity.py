"""osm_value_problem: which values may be written to OSM under which key."""

from __future__ import annotations

import pytest

from osmbridge.normalize.validity import osm_value_problem


@pytest.mark.parametrize(("key", "value", "region"), [
    ("addr:housenumber", "12", "FR"), ("addr:housenumber", "12B", "FR"), ("addr:housenumber", "12 bis", "FR"),
    ("addr:housenumber", "73/75", "PL"), ("addr:housenumber", "12-14", "FR"), ("addr:housenumber", "5;7", "FR"),
    ("email", "kontakt@tarnow.policja.gov.pl", "PL"), ("contact:email", "a@b.pl;c@d.pl", "PL"),
    ("phone", "+48477415900", "PL"), ("phone", "+33 2 40 41 95 95;+33 2 40 41 95 96", "FR"),
    ("contact:phone", "02 40 41 95 95", "FR"),
    ("website", "https://bm.nantes.fr", "FR"), ("url", "http://www.kalisz.policja.gov.pl/", "PL"),
    ("opening_hours", "Mo-Fr 09:00-17:00; PH off", "FR"),
    ("addr:postcode", "44000", "FR"), ("addr:postcode", "85-066", "PL"), ("addr:postcode", "00-950", None),
    ("capacity", "12", None), ("building:levels", "3", None), ("height", "12.5 m", None), ("ele", "-2", None),
    ("wheelchair", "limited", None), ("ref:UAI", "0449144G", None), ("wikidata", "Q90", None),
    ("name", "Médiathèque Jacques Demy", None), ("check_date", "2024-06-01", None),
])
def test_values_fit_for_osm(key: str, value: str, region: str | None) -> None:
    assert osm_value_problem(key, value, region) is None


@pytest.mark.parametrize(("key", "value", "region", "code"), [
    # Real register values: an Excel date as house number, a Lotus Notes name as e-mail.
    ("addr:housenumber", "01.mar", "PL", "invalid_housenumber"),
    ("email", "KSP Komendant KRP VII/KSP/Policja@Policja", "PL", "invalid_email"),
    ("email", "Policja@Policja", "PL", "invalid_email"),
    ("addr:housenumber", "1-Mar", None, "invalid_housenumber"),
    ("addr:housenumber", "S/N", None, "invalid_housenumber"),
    ("addr:housenumber", "12 rue Molière", "FR", "invalid_housenumber"),
    ("phone", "12 34", "PL", "invalid_phone"), ("phone", "02 40 41 95 95", None, "invalid_phone"),
    ("phone", "+48477415900;nd", "PL", "invalid_phone"),
    ("website", "www.bm.nantes.fr", "FR", "invalid_url"), ("website", "voir le site", "FR", "invalid_url"),
    ("opening_hours", "du lundi au vendredi de 9h à 17h", "FR", "invalid_opening_hours"),
    ("addr:postcode", "4400", "FR", "invalid_postcode"), ("addr:postcode", "85066", "PL", "invalid_postcode"),
    ("capacity", "12.5", None, "invalid_number"), ("capacity", "about 10", None, "invalid_number"),
    ("height", "tall", None, "invalid_number"),
    ("wheelchair", "Oui", None, "invalid_choice"),
    ("ref:UAI", "449144G", None, "invalid_identifier"),
    ("name", "x" * 256, None, "invalid_text"), ("name", "two\nlines", None, "invalid_text"),
    ("name", "  ", None, "invalid_text"),
])
def test_values_unfit_for_osm_say_why(key: str, value: str, region: str | None, code: str) -> None:
    assert osm_value_problem(key, value, region) == code
