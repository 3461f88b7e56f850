"""Address and phone agreement between a city feature's tags and an OSM place's tags."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from rapidfuzz import fuzz

from osmbridge.match.names import normalize_name

AddressAgreement = Literal["agree", "street", "disagree", "elsewhere"]
PHONE_KEYS = ("phone", "contact:phone")
# Numbers written nationally ("071 340 60 00") and internationally ("+48 71 340 60 00") share
# their last digits: that many is enough to say two numbers are one.
_PHONE_TAIL = 8
_STREET_SIMILARITY = 90.0


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _house_numbers(value: str) -> set[str]:
    """Return the numbers a housenumber tag names: "31-33" -> {31, 33}, "2a" -> {2a}, "III-V" -> {3, 5}."""
    parts = re.split(r"[;,/]|(?<=\w)\s*-\s*(?=\w)", value.casefold())
    numbers = {re.sub(r"\s+", "", part) for part in parts if part.strip()}
    return {str(_ROMAN[n]) if n in _ROMAN else n for n in numbers}


def address_agreement(city_tags: Mapping[str, str], osm_tags: Mapping[str, str]) -> AddressAgreement | None:
    """Return "agree" (street and number), "street" (street only known), "disagree", "elsewhere" (in
    another town), or None."""
    city_street, osm_street = city_tags.get("addr:street"), osm_tags.get("addr:street")
    if not city_street or not osm_street:
        return None
    if _other_town(city_tags, osm_tags):
        return "elsewhere"
    # Registers drop first names and titles ("Poniatowskiego" / "Józefa Poniatowskiego").
    same_street = fuzz.token_set_ratio(normalize_name(city_street), normalize_name(osm_street)) >= _STREET_SIMILARITY
    if not same_street:
        return "disagree"
    city_number, osm_number = city_tags.get("addr:housenumber"), osm_tags.get("addr:housenumber")
    if not city_number or not osm_number:
        return "street"
    return "agree" if _house_numbers(city_number) & _house_numbers(osm_number) else "disagree"


def _other_town(city_tags: Mapping[str, str], osm_tags: Mapping[str, str]) -> bool:
    """Whether both sides name the town and the names share no word (nor a shortened one, "Wlkp." for
    "Wielkopolski"), while no common postcode says it is one area under two names."""
    city_town, osm_town = city_tags.get("addr:city"), osm_tags.get("addr:city")
    if not city_town or not osm_town:
        return False
    city_words, osm_words = set(normalize_name(city_town).split()), set(normalize_name(osm_town).split())
    if not city_words or not osm_words:
        return False
    if any(a.startswith(b) or b.startswith(a) for a in city_words for b in osm_words):
        return False
    city_code, osm_code = (re.sub(r"\s", "", tags.get("addr:postcode") or "") for tags in (city_tags, osm_tags))
    return not (city_code and city_code == osm_code)


# Mapped tags that are not attributes of the place itself, or that have evidence of their own.
_NOT_ATTRIBUTES = re.compile(r"^(name|official_name|alt_name|short_name|addr:|contact:|phone|fax|email|website|url"
                             r"|opening_hours|ref|source|note|description|fixme|check_date)")


def attribute_keys(field_of_tag: Mapping[str, str], ref_tag: str | None) -> tuple[str, ...]:
    """Return the mapped tags that describe the place (capacity, bicycle_parking, operator...).

    Unnamed street furniture has little else to tell two neighbours apart: a rack of 22 bikes and
    one of 6, 10 m apart.
    """
    return tuple(sorted(key for key in field_of_tag if key != ref_tag and not _NOT_ATTRIBUTES.match(key)))


def _same_value(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def attribute_agreement(city_tags: Mapping[str, str], osm_tags: Mapping[str, str], keys: tuple[str, ...]) -> int:
    """Return agreeing minus disagreeing attributes among `keys` that both sides carry."""
    net = 0
    for key in keys:
        city_value, osm_value = city_tags.get(key), osm_tags.get(key)
        if city_value and osm_value:
            net += 1 if _same_value(city_value, osm_value) else -1
    return net


def _phone_tails(tags: Mapping[str, str]) -> set[str]:
    """Return the last digits of each phone number in the tags (values may be ';'-separated)."""
    tails = set()
    for key in PHONE_KEYS:
        for number in (tags.get(key) or "").split(";"):
            digits = re.sub(r"\D", "", number)
            if len(digits) >= _PHONE_TAIL:
                tails.add(digits[-_PHONE_TAIL:])
    return tails


def phone_agreement(city_tags: Mapping[str, str], osm_tags: Mapping[str, str]) -> bool | None:
    """Return whether both sides share a phone number; None when either has none."""
    city_phones, osm_phones = _phone_tails(city_tags), _phone_tails(osm_tags)
    if not city_phones or not osm_phones:
        return None
    return bool(city_phones & osm_phones)
