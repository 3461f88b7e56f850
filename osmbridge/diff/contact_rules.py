"""Comparing phone numbers (E.164 sets), e-mail addresses and URLs."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from osmbridge.diff.comparison import Comparator, Comparison, squash
from osmbridge.diff.notes import note
from osmbridge.normalize import normalize_email, phones_to_osm, url_key


@lru_cache(maxsize=1 << 16)  # parsing a number costs ~0.2 ms; datasets repeat switchboard numbers
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
    regions = {phonenumbers.region_code_for_number(phonenumbers.parse(n)) for n in numbers}
    known = sorted(r for r in regions if r and r != "ZZ")
    return known[0] if len(known) == 1 else None


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _key_phones(value: str, region: str | None) -> str:
    numbers, unread = _phone_set(value, region)
    return ";".join(sorted(numbers) + sorted(map(_digits, unread)))


PHONES = Comparator("phone", _compare_phones, _key_phones)


def _email_set(value: str) -> frozenset[str]:
    pieces = [p.strip() for p in re.split(r"[;,\s]+", value) if p.strip()]
    # Mailboxes are case-insensitive in practice; the domain always is.
    return frozenset((normalize_email(p) or p).casefold() for p in pieces)


def _compare_emails(city: str, osm: str, region: str | None) -> Comparison:
    return Comparison("equal" if _email_set(city) == _email_set(osm) else "differs")


EMAILS = Comparator("email", _compare_emails, lambda value, region: ";".join(sorted(_email_set(value))))


@lru_cache(maxsize=1 << 16)
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
