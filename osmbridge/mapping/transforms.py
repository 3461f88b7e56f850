"""Field transforms: city value -> OSM tag value, or TransformError saying why the value is not usable."""

from __future__ import annotations

import re
from collections.abc import Callable

from osmbridge.mapping.rules import FieldRule
from osmbridge.normalize import (
    clean_housenumber,
    normalize_email,
    normalize_street,
    normalize_url,
    parse_opening_hours,
    phones_to_osm,
    split_address,
    title_case,
)
from osmbridge.normalize.text import clean_space, is_shouted
from osmbridge.normalize.validity import POSTCODE_PATTERNS


class TransformError(ValueError):
    """A city value the transform cannot turn into an OSM value; the message says what is wrong."""


Transform = Callable[[str, FieldRule, "str | None"], "str | None"]

_YES = {"oui", "yes", "o", "y", "1", "true", "vrai", "tak"}
_NO = {"non", "no", "n", "0", "false", "faux", "nie"}


def _text(value: str, rule: FieldRule, country: str | None) -> str | None:
    return clean_space(value) or None


def _title(value: str, rule: FieldRule, country: str | None) -> str | None:
    text = clean_space(value)
    return (title_case(text) if is_shouted(text) else text) or None


def _int(value: str, rule: FieldRule, country: str | None) -> str | None:
    try:
        number = float(value.replace(",", ".").replace(" ", ""))
    except ValueError:
        raise TransformError(f"not a number: {value!r}") from None
    if not number.is_integer():
        raise TransformError(f"not a whole number: {value!r}")
    scaled = number * (rule.factor if rule.factor is not None else 1)
    return str(round(scaled))


def _phone(value: str, rule: FieldRule, country: str | None) -> str | None:
    numbers, invalid = phones_to_osm(value, country or "ZZ")
    if invalid:
        raise TransformError(f"not a valid phone number for region {country}: {', '.join(map(repr, invalid))}")
    return numbers


def _url(value: str, rule: FieldRule, country: str | None) -> str | None:
    url = normalize_url(value)
    if url is None:
        raise TransformError(f"not a web address: {value!r}")
    return url


def _email(value: str, rule: FieldRule, country: str | None) -> str | None:
    found = []
    for piece in re.split(r"[;,\s]+", value.strip()):
        if not piece:
            continue
        email = normalize_email(piece)
        if email is None:
            raise TransformError(f"not an e-mail address: {piece!r}")
        if email not in found:
            found.append(email)
    return ";".join(found) or None


def _opening_hours(value: str, rule: FieldRule, country: str | None) -> str | None:
    hours = parse_opening_hours(value)
    if not hours.ok:
        raise TransformError(f"not understood as opening hours: {value!r}")
    return hours.osm


def _housenumber(value: str, rule: FieldRule, country: str | None) -> str | None:
    return clean_housenumber(value)


def _street(value: str, rule: FieldRule, country: str | None) -> str | None:
    return normalize_street(value, country)


def _postcode(value: str, rule: FieldRule, country: str | None) -> str | None:
    text = re.sub(r"\s*-\s*", "-", clean_space(value).upper())  # "23 - 400" -> "23-400"
    if country == "FR" and re.fullmatch(r"\d{4}", text):
        text = "0" + text  # read as a number somewhere upstream: 1000 -> 01000
    pattern = POSTCODE_PATTERNS.get(country or "")
    if pattern is not None and not pattern.match(text):
        raise TransformError(f"not a {country} postcode: {value!r}")
    return text or None


def _address_part(part: str) -> Transform:
    def extract(value: str, rule: FieldRule, country: str | None) -> str | None:
        found = getattr(split_address(value), part)
        if found is None:
            return None
        if part == "street":
            return normalize_street(found, country)
        if part == "postcode":
            return _postcode(found, rule, country)
        if part == "city":
            return _title(found, rule, country)
        return found
    return extract


def _yesno(value: str, rule: FieldRule, country: str | None) -> str | None:
    folded = value.strip().casefold()
    if folded in _YES:
        return "yes"
    if folded in _NO:
        return "no"
    raise TransformError(f"not a yes/no value: {value!r}")


def _map(value: str, rule: FieldRule, country: str | None) -> str | None:
    text = clean_space(value)
    if text in rule.value_map:
        return rule.value_map[text] or None
    raise TransformError(f"value {text!r} is not in the field's `map` ({', '.join(map(repr, rule.value_map))})")


TRANSFORMS: dict[str, Transform] = {
    "text": _text, "title": _title, "upper": lambda v, r, c: clean_space(v).upper() or None,
    "lower": lambda v, r, c: clean_space(v).lower() or None, "int": _int, "phone": _phone, "url": _url,
    "email": _email, "opening_hours": _opening_hours, "housenumber": _housenumber, "street": _street,
    "weekday_hours": _opening_hours, "postcode": _postcode, "city": _title, "yesno": _yesno, "map": _map,
    "address_housenumber": _address_part("housenumber"), "address_street": _address_part("street"),
    "address_postcode": _address_part("postcode"), "address_city": _address_part("city"),
}


def apply_transform(rule: FieldRule, value: str, country: str | None) -> str | None:
    """Return the OSM value of `value` under `rule`, None for an empty one; TransformError if unusable."""
    if clean_space(value) in rule.ignore:
        return None
    return TRANSFORMS[rule.transform](value, rule, country)
