"""One-line addresses cut into OSM's addr:* parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from osmbridge.normalize.text import clean_space

_POSTCODE = r"\d{5}|\d{2}-\d{3}|\d{4}"
_POSTCODE_CITY = re.compile(rf"^(?P<postcode>{_POSTCODE})\s+(?P<city>\D.*)$")
_CITY_POSTCODE = re.compile(rf"^(?P<city>\D.*?)\s+(?P<postcode>{_POSTCODE})$")
_TRAILING_POSTCODE_CITY = re.compile(r"^(?P<rest>.*\D)\s+(?P<postcode>\d{5}|\d{2}-\d{3})\s+(?P<city>[^\d,]+)$")
_NUMBER = r"\d+\s*(?:bis|ter|quater|[a-z])?(?:\s*[-/]\s*\d+\s*(?:bis|ter|quater|[a-z])?)?"
_LEADING_NUMBER = re.compile(rf"^(?P<number>{_NUMBER})\b[\s,]*(?P<street>\D.*)$", re.IGNORECASE)
_TRAILING_NUMBER = re.compile(rf"^(?P<street>.*\D)\s+(?:nr\.?\s*)?(?P<number>{_NUMBER})$", re.IGNORECASE)

_ROAD_REF = re.compile(r"^(?:[A-Z]{1,3}|route (?:départementale|nationale))$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AddressParts:
    """The parts of an address; None for a part not present."""

    housenumber: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None


def clean_housenumber(raw: str) -> str | None:
    """Return a house number as OSM writes it: "37 B" -> "37B", "12 BIS" -> "12 bis"; None if empty."""
    text = clean_space(raw).strip(" ,;")
    if not text:
        return None
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    text = re.sub(r"(?i)\s*\b(bis|ter|quater)\b", lambda m: " " + m.group(1).lower(), text)
    return re.sub(r"(\d)\s+([a-zA-Z])\b", lambda m: m.group(1) + m.group(2).upper(), text)


def split_address(raw: str) -> AddressParts:
    """Return the house number, street, postcode and city found in a one-line address.

    "37B Rue des Plantes" -> (37B, Rue des Plantes); "ul. Długa 12" -> (12, ul. Długa);
    "12 rue X, 44000 Nantes" -> (12, rue X, 44000, Nantes). The street is returned as written.
    """
    text = clean_space(raw).strip(" ,;")
    postcode = city = None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    for index in range(len(parts) - 1, 0, -1):
        match = _POSTCODE_CITY.match(parts[index]) or _CITY_POSTCODE.match(parts[index])
        if match:
            postcode, city = match.group("postcode"), match.group("city").strip()
            del parts[index]
            break
    if postcode is None and len(parts) == 1:
        match = re.match(r"^(?P<postcode>\d{5}|\d{2}-\d{3})\s+(?P<city>[^\d,]+)$", parts[0])
        if match:  # "35580 BAULON": a postcode line on its own
            return AddressParts(postcode=match.group("postcode"), city=match.group("city").strip())
    if postcode is None and parts:
        match = _TRAILING_POSTCODE_CITY.match(parts[-1])
        if match:
            postcode, city = match.group("postcode"), match.group("city").strip()
            parts[-1] = match.group("rest").strip(" ,")
    if not parts:
        return AddressParts(postcode=postcode, city=city)
    # Of several remaining parts ("Bâtiment B, 12 rue X"), the street is the one with a number.
    street_part = next((p for p in parts if _LEADING_NUMBER.match(p) or _TRAILING_NUMBER.match(p)), parts[0])
    number = None
    match = _LEADING_NUMBER.match(street_part) or _TRAILING_NUMBER.match(street_part)
    # "RD 209", "N 137": a road's reference, not a street and a house number.
    if match and not _ROAD_REF.match(match.group("street").strip(" ,")):
        number, street_part = clean_housenumber(match.group("number")), match.group("street").strip(" ,")
    return AddressParts(housenumber=number, street=street_part or None, postcode=postcode, city=city)
