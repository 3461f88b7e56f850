"""Comparing addresses by parts: street names, house numbers, postcodes."""

from __future__ import annotations

import re

from osmbridge.diff.comparison import Comparator, Comparison, squash
from osmbridge.diff.notes import note
from osmbridge.normalize import clean_housenumber, same_street
from osmbridge.normalize.street import street_tokens


def _compare_streets(city: str, osm: str, region: str | None) -> Comparison:
    # Case, accents and abbreviations ("ul. Długa", "BD DES ANGLAIS") are the city's writing habits,
    # not disagreements: same_street ignores them all.
    if squash(city) == squash(osm) or same_street(city, osm):
        return Comparison("equal")
    if _short_form_of(street_tokens(city), street_tokens(osm)):
        return Comparison("minor", note("street_short_form"))
    return Comparison("differs")


def _short_form_of(a: list[str], b: list[str]) -> bool:
    """Whether one street is the other with given names left out or cut to initials.

    "Asnyka" / "Adama Asnyka", "T. Kościuszki" / "Tadeusza Kościuszki": the same street written
    the short way, common in registers; the last word (the surname, the actual name) must agree.
    """
    return _abbreviates(a, b) or _abbreviates(b, a)


# Street types as street_tokens spells them: leaving one out makes another street ("Plac
# Chopina" is not "ulica Chopina").
_STREET_TYPES = frozenset({
    "rue", "avenue", "boulevard", "place", "route", "chemin", "impasse", "allee", "square", "cours", "quai",
    "promenade", "faubourg", "passage", "sentier", "rond", "road", "street", "lane", "drive", "way",
    "osiedle", "rondo", "skwer", "bulwar", "most", "park", "pasaz", "wybrzeze",
})


def _abbreviates(short: list[str], long: list[str]) -> bool:
    if not short or len(short) > len(long) or short[-1] != long[-1]:
        return False
    position = 0
    for token in short:
        while position < len(long) and not (token == long[position] or
                                            (len(token) == 1 and long[position].startswith(token))):
            if long[position] in _STREET_TYPES:
                return False
            position += 1
        if position == len(long):
            return False
        position += 1
    return True


def _key_street(value: str, region: str | None) -> str:
    return " ".join(street_tokens(value)) or squash(value).casefold()


STREETS = Comparator("street", _compare_streets, _key_street)

# French repetition suffixes and the letters often written for them (12 bis ~ 12 B).
_SUFFIX_LETTER = {"bis": "b", "ter": "t", "quater": "q", "quinquies": "c"}
_HOUSENUMBER = re.compile(r"^(\d+)\s*([a-z]*)$")


def _key_housenumber(value: str, region: str | None = None) -> str:
    value = value.replace("\u2013", "-").replace("\u2014", "-").strip().rstrip(".")  # "12/14." is "12/14"
    value = (clean_housenumber(value) or squash(value)).casefold()  # "31 - 33" -> "31-33"
    return re.sub(r"(\d)\s+([a-z]+)\b", r"\1\2", value)  # "12 bis" -> "12bis", as "12B" -> "12b"


def _compare_housenumbers(city: str, osm: str, region: str | None) -> Comparison:
    a, b = _key_housenumber(city), _key_housenumber(osm)
    if a == b:
        return Comparison("equal")
    ma, mb = _HOUSENUMBER.match(a), _HOUSENUMBER.match(b)
    if ma and mb and ma.group(1) == mb.group(1):
        sa, sb = (_SUFFIX_LETTER.get(m.group(2), m.group(2)) for m in (ma, mb))
        if sa == sb:
            return Comparison("minor", note("housenumber_suffix", city=squash(city), osm=squash(osm)))
    return Comparison("differs")


HOUSENUMBERS = Comparator("housenumber", _compare_housenumbers, _key_housenumber)


def _key_postcode(value: str, region: str | None) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def _compare_postcodes(city: str, osm: str, region: str | None) -> Comparison:
    if squash(city) == squash(osm):
        return Comparison("equal")
    if _key_postcode(city, region) == _key_postcode(osm, region):
        return Comparison("minor", note("punctuation_only"))
    return Comparison("differs")


POSTCODES = Comparator("postcode", _compare_postcodes, _key_postcode)
