"""Phone numbers: E.164 via the phonenumbers library, and fields holding several numbers."""

from __future__ import annotations

import re

# Separators between several numbers in one field; words in French, English and Polish.
_SEPARATORS = re.compile(r"\s*(?:[/;,|\n]|\b(?:ou|or|et|and|lub|oraz)\b)\s*", re.IGNORECASE)


_RUN_OF_LINES = re.compile(r"\s+(?:do|à|a|to)\s+\d{1,4}$", re.IGNORECASE)


def to_e164(raw: str, region: str) -> str | None:
    """Return `raw` as an E.164 number ("+33240760656"), or None if it is not a valid number.

    `region` (ISO 3166 alpha-2, e.g. "FR") reads national formats such as "02 40 76 06 56".
    """
    import phonenumbers  # loaded when a mapping has phone numbers to convert, not at start-up

    text = raw.strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def split_phones(raw: str, region: str) -> list[str]:
    """Return the pieces of a field that may hold several numbers ("02 40 ... / 02 51 ...", "… ou …").

    The pieces are returned as written (stripped), for `to_e164`; a field that is one valid number is
    returned whole, so "02/40/76/06/56" style writing is not cut apart.
    """
    text = raw.strip()
    if not text:
        return []
    if to_e164(text, region):
        return [text]
    pieces = [piece.strip() for piece in _SEPARATORS.split(text) if piece and piece.strip()]
    # "22 775 22 01 do 04" (Polish "to"), "… à 04": a run of lines; the first one is the number.
    return [_RUN_OF_LINES.sub("", piece) for piece in pieces]


def phones_to_osm(raw: str, region: str) -> tuple[str | None, list[str]]:
    """Return (the `;`-joined E.164 numbers as OSM writes several, the pieces that are not valid numbers)."""
    numbers: list[str] = []
    invalid: list[str] = []
    for piece in split_phones(raw, region):
        number = to_e164(piece, region)
        if number is None:
            invalid.append(piece)
        elif number not in numbers:
            numbers.append(number)
    return (";".join(numbers) or None), invalid
