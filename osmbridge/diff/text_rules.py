"""Comparing free text and names: exact after trimming, case/accents/order differences as minor."""

from __future__ import annotations

import re
import unicodedata

from osmbridge.diff.comparison import Comparator, Comparison, squash
from osmbridge.diff.notes import note
from osmbridge.match.names import normalize_name


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

# A count or a length in metres: "6" = "6.0" = "06", "12 m" = "12" (Key:height: metres by default).
_NUMBER = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*(?:m)?$")


def _number(value: str) -> float | None:
    match = _NUMBER.match(squash(value))
    return float(match.group(1).replace(",", ".")) if match else None


def _compare_numbers(city: str, osm: str, region: str | None) -> Comparison:
    a, b = _number(city), _number(osm)
    if a is None or b is None:
        return _compare_text(city, osm, region)
    return Comparison("equal" if a == b else "differs")


def _key_number(value: str, region: str | None) -> str:
    number = _number(value)
    return _key_text(value, region) if number is None else f"{number:g}"


NUMBERS = Comparator("number", _compare_numbers, _key_number)


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
    if _abbreviates(a, b) or _abbreviates(b, a):
        return Comparison("minor", note("abbreviated"))
    return Comparison("differs")


def _abbreviates(short: str, long: str) -> bool:
    """Whether `short` is `long` with words cut short and marked with a dot.

    "Gorzów Wlkp." / "Gorzów Wielkopolski", "Rawa Maz." / "Rawa Mazowiecka": word by word, equal
    (case and accents aside), or written with a dot and made of the other's letters, in order,
    starting with its first letter.
    """
    short_words, long_words = short.split(), long.split()
    if len(short_words) != len(long_words) or not any(w.endswith(".") for w in short_words):
        return False
    for cut, whole in zip(short_words, long_words, strict=True):
        cut_plain, whole_plain = _plain(cut.rstrip(".")), _plain(whole)
        if cut_plain == whole_plain:
            continue
        if not cut.endswith(".") or not cut_plain or cut_plain[0] != whole_plain[:1]:
            return False
        letters = iter(whole_plain)
        if not all(letter in letters for letter in cut_plain):  # a subsequence, in order
            return False
    return True


def _plain(word: str) -> str:
    return _strip_accents(word).casefold()


NAMES = Comparator("name", _compare_names, lambda value, region: squash(value))
