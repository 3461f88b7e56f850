"""How each OSM tag is compared: the one registry of tag -> comparator, and the comparators.

A comparator answers three questions about a tag's values: are a city value and an OSM value
equal in meaning, different only in form a person may still want to see ("minor"), or
different; are two values on the same side the same (the three-way diff's "did this side
change?", where a formatting-only change is not a change); and what normalised key stands for a
value in a difference id. The value-level work (E.164, URL keys, opening hours, streets, names)
is done by the shared normalizers in `osmbridge.normalize` and `osmbridge.match.names`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import opening_hours
import phonenumbers

from osmbridge.diff.notes import note
from osmbridge.match.names import normalize_name
from osmbridge.normalize import (
    clean_housenumber,
    normalize_email,
    parse_opening_hours,
    phones_to_osm,
    same_opening_hours,
    same_street,
    url_key,
)
from osmbridge.normalize.street import street_tokens

Verdict = Literal["equal", "minor", "differs"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing a city value with an OSM value for one tag."""

    verdict: Verdict
    note: str = ""


@dataclass(frozen=True, slots=True)
class Comparator:
    """The comparison rules for one family of tags; `region` is the phone region (ISO 3166)."""

    name: str
    compare: Callable[[str, str, str | None], Comparison]  # (city, osm, region)
    key: Callable[[str, str | None], str]  # (value, region) -> normalised, for ids
    # The city value as it would be written to OSM, and a note about it (converted hours...).
    present_city: Callable[[str], tuple[str, str]] = lambda value: (value, "")
    # Two values of the same side (either may be the city's raw form); default: compare().
    same_side: Callable[[str, str, str | None], bool] | None = None

    def same(self, a: str | None, b: str | None, region: str | None) -> bool:
        """Return whether two values of one side mean the same (None = absent)."""
        if a is None or b is None:
            return a is None and b is None
        if self.same_side is not None:
            return self.same_side(a, b, region)
        return self.key(a, region) == self.key(b, region) or self.compare(a, b, region).verdict == "equal"


def squash(value: str) -> str:
    """Return `value` trimmed with runs of whitespace collapsed to one space."""
    return " ".join(value.split())


# --- default: exact after whitespace trim -----------------------------------------------------


def _list_parts(value: str) -> list[str]:
    return [squash(part) for part in value.split(";") if part.strip()]


def _compare_text(city: str, osm: str, region: str | None) -> Comparison:
    a, b = _list_parts(city), _list_parts(osm)
    if a == b:
        return Comparison("equal")
    if sorted(a) == sorted(b):
        return Comparison("minor", note("order_only"))
    if [p.casefold() for p in a] == [p.casefold() for p in b]:
        return Comparison("minor", note("case_only"))
    return Comparison("differs")


def _key_text(value: str, region: str | None) -> str:
    return ";".join(_list_parts(value))


TEXT = Comparator("text", _compare_text, _key_text)


# --- names: case- and accent-aware --------------------------------------------------------------


def _strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ł", "l").replace("Ł", "L")


def _compare_names(city: str, osm: str, region: str | None) -> Comparison:
    a, b = squash(city), squash(osm)
    if a == b:
        return Comparison("equal")
    if a.casefold() == b.casefold():
        return Comparison("minor", note("case_only"))
    if _strip_accents(a).casefold() == _strip_accents(b).casefold():
        return Comparison("minor", note("accents_only"))
    if normalize_name(a) == normalize_name(b):
        return Comparison("minor", note("punctuation_only"))
    return Comparison("differs")


def _key_name(value: str, region: str | None) -> str:
    return unicodedata.normalize("NFC", squash(value))


NAMES = Comparator("name", _compare_names, _key_name)


# --- phones: E.164, several numbers compared as sets ------------------------------------------


def _phone_set(value: str, region: str | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """Return the E.164 numbers in `value`, and the pieces that are not valid numbers."""
    # "ZZ" (unknown region) still reads international numbers; national ones then stay unread.
    joined, unread = phones_to_osm(value, region or "ZZ")
    return frozenset(joined.split(";") if joined else ()), tuple(squash(p) for p in unread)


def _compare_phones(city: str, osm: str, region: str | None) -> Comparison:
    if region is None:  # an international number on either side tells how to read the other
        region = _region_of(_phone_set(city, None)[0] | _phone_set(osm, None)[0])
    a, a_unread = _phone_set(city, region)
    b, b_unread = _phone_set(osm, region)
    if not a_unread and not b_unread:
        return Comparison("equal" if a == b else "differs")
    # A piece that is no valid number (short code, extension, missing region): compare its digits.
    if a == b and sorted(map(_digits, a_unread)) == sorted(map(_digits, b_unread)):
        return Comparison("equal")
    return Comparison("differs", note("phone_unparsed"))


def _region_of(numbers: frozenset[str]) -> str | None:
    regions = sorted({phonenumbers.region_code_for_number(phonenumbers.parse(n)) for n in numbers} - {None, "ZZ"})
    return regions[0] if len(regions) == 1 else None


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _key_phones(value: str, region: str | None) -> str:
    numbers, unread = _phone_set(value, region)
    return ";".join(sorted(numbers) + sorted(map(_digits, unread)))


PHONES = Comparator("phone", _compare_phones, _key_phones)


# --- e-mail addresses: case-insensitive sets ---------------------------------------------------


def _email_set(value: str) -> frozenset[str]:
    pieces = [p.strip() for p in re.split(r"[;,\s]+", value) if p.strip()]
    # Mailboxes are case-insensitive in practice; the domain always is.
    return frozenset((normalize_email(p) or p).casefold() for p in pieces)


def _compare_emails(city: str, osm: str, region: str | None) -> Comparison:
    return Comparison("equal" if _email_set(city) == _email_set(osm) else "differs")


EMAILS = Comparator("email", _compare_emails, lambda value, region: ";".join(sorted(_email_set(value))))


# --- URLs: scheme, www and trailing slash do not count -----------------------------------------


def _url_keys(value: str) -> tuple[str, ...]:
    return tuple(url_key(p.strip()) for p in value.split(";") if p.strip())


def _compare_urls(city: str, osm: str, region: str | None) -> Comparison:
    a, b = _url_keys(city), _url_keys(osm)
    if a == b:
        return Comparison("equal")
    if sorted(a) == sorted(b):
        return Comparison("minor", note("order_only"))
    return Comparison("differs")


URLS = Comparator("url", _compare_urls, lambda value, region: ";".join(_url_keys(value)))


# --- opening hours: by meaning -----------------------------------------------------------------


def _present_hours(value: str) -> tuple[str, str]:
    hours = parse_opening_hours(value)
    if not hours.ok or not hours.osm:
        return squash(value), note("city_hours_raw")
    if squash(hours.osm) != squash(value):
        return hours.osm, note("city_hours_converted", raw=squash(value))
    return hours.osm, ""


def _compare_hours(city: str, osm: str, region: str | None) -> Comparison:
    shown, city_note = _present_hours(city)
    if city_note == note("city_hours_raw"):
        return Comparison("differs", city_note)
    same = same_opening_hours(shown, osm)
    if same is None:  # OSM's value is not valid opening_hours syntax
        if squash(shown) == squash(osm):
            return Comparison("equal")
        return Comparison("differs", note("osm_hours_raw"))
    return Comparison("equal" if same else "differs", "" if same else city_note)


def _same_hours_one_side(a: str, b: str, region: str | None) -> bool:
    """Whether two values of the same side (either may be free text) mean the same hours."""
    same = same_opening_hours(a, b)
    return squash(a) == squash(b) if same is None else same


def _key_hours(value: str, region: str | None) -> str:
    hours = parse_opening_hours(value)
    if not hours.ok or not hours.osm:
        return squash(value)
    # The library's normal form: "Mo,Tu,We,Th,Fr 09:00-17:00" and "Mo-Fr 09:00-17:00" share a key.
    return str(opening_hours.OpeningHours(hours.osm).normalize())


HOURS = Comparator("opening_hours", _compare_hours, _key_hours, _present_hours, _same_hours_one_side)


# --- addresses: by parts -----------------------------------------------------------------------


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
    value = value.replace("–", "-").replace("—", "-")
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


# --- the registry ------------------------------------------------------------------------------

_BY_KEY: dict[str, Comparator] = {
    **dict.fromkeys(["phone", "fax", "mobile", "contact:phone", "contact:fax", "contact:mobile",
                     "phone:mobile", "emergency:phone"], PHONES),
    **dict.fromkeys(["website", "url", "contact:website", "contact:url", "website:menu",
                     "contact:facebook", "contact:instagram", "image"], URLS),
    **dict.fromkeys(["email", "contact:email"], EMAILS),
    # collection_times/service_times hold points in time ("Mo-Fr 17:00"), which opening-hours-py
    # does not read: they stay exact text.
    "opening_hours": HOURS,
    **dict.fromkeys(["name", "official_name", "alt_name", "short_name", "old_name", "loc_name",
                     "int_name", "reg_name", "nat_name", "operator", "brand", "addr:city",
                     "addr:place", "addr:suburb", "addr:quarter"], NAMES),
    "addr:street": STREETS,
    "addr:housenumber": HOUSENUMBERS,
    "addr:postcode": POSTCODES,
}


def comparator_for(tag: str) -> Comparator:
    """Return the comparator for the OSM tag key `tag` (exact text after trimming by default)."""
    if tag in _BY_KEY:
        return _BY_KEY[tag]
    if tag.endswith(":opening_hours") or tag.startswith("opening_hours:"):
        return HOURS
    if tag.startswith("name:") or tag.endswith("_name") or re.match(r"^(official|alt|short|old)_name:", tag):
        return NAMES
    if tag.endswith(":phone") or tag.endswith(":fax"):
        return PHONES
    if tag.endswith(":website") or tag.endswith(":url"):
        return URLS
    if tag.endswith(":email"):
        return EMAILS
    return TEXT
