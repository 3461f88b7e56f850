"""Is a value fit to be written to OSM under a key? A code naming what is wrong, or None.

Checked before any city value becomes a proposal: e-mail addresses (email-validator, syntax only),
web addresses, phone numbers (phonenumbers, valid for the region), house numbers, postcodes,
opening_hours (opening-hours-py), counts and measures, a few closed lists and identifiers, and for
every key what the OSM API accepts (at most 255 characters, no control characters). The codes are
the note codes of `osmbridge.diff.notes` ("invalid_email", ...).
"""

from __future__ import annotations

import re

import opening_hours

from osmbridge.normalize.url import normalize_url

# The OSM API refuses longer values.
MAX_VALUE_LENGTH = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Postcode formats of the countries seen so far; other countries get the generic check.
POSTCODE_PATTERNS = {
    "FR": re.compile(r"^\d{5}$"), "PL": re.compile(r"^\d{2}-\d{3}$"), "DE": re.compile(r"^\d{5}$"),
    "FI": re.compile(r"^\d{5}$"), "BE": re.compile(r"^\d{4}$"), "CH": re.compile(r"^\d{4}$"),
    "ES": re.compile(r"^\d{5}$"), "IT": re.compile(r"^\d{5}$"), "AT": re.compile(r"^\d{4}$"),
    "NL": re.compile(r"^\d{4} ?[A-Z]{2}$"), "GB": re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$"),
}
_GENERIC_POSTCODE = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9 -]{1,9}$")

# One house number: digits, an optional letter or bis/ter suffix, optionally a range or a
# building/flat part ("12", "12B", "12 bis", "12-14", "73/75", "5a/2"); several joined by ";" or ",".
# Anything else ("01.mar", an Excel date; "S/N"; "12 rue X") is not a house number.
_SUFFIX = r"(?:\s?[A-Za-z]|\s?(?:bis|ter|quater|quinquies))?"
_HOUSENUMBER = re.compile(rf"^[1-9]\d{{0,4}}{_SUFFIX}(?:\s?[-/]\s?\d{{1,5}}{_SUFFIX})?$")

_COUNT_KEYS = frozenset({"capacity", "building:levels", "building:levels:underground", "roof:levels", "levels",
                         "seats", "beds", "rooms", "population", "step_count", "min_age", "max_age",
                         "capacity:disabled", "capacity:charging", "capacity:parent", "capacity:women",
                         "capacity:cargo_bike"})
_MEASURE_KEYS = frozenset({"height", "min_height", "width", "length", "maxheight", "maxwidth", "ele"})
_MEASURE = re.compile(r"^-?\d+(?:\.\d+)?(?: ?m)?$")
_CHOICES = {
    "wheelchair": {"yes", "no", "limited", "designated"},
    **{key: {"yes", "no"} for key in ("fee", "covered", "lit", "supervised", "indoor", "drinking_water", "toilets",
                                      "changing_table", "internet_access:fee", "bottle", "shelter", "bench",
                                      "cargo_bike")},
}
_IDENTIFIERS = {
    "wikidata": re.compile(r"^Q[1-9]\d*$"),
    "ref:UAI": re.compile(r"^\d{7}[A-Z]$"),
    "ref:FR:SIRET": re.compile(r"^\d{14}$"),
    "ref:FR:SIREN": re.compile(r"^\d{9}$"),
    "check_date": re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?$"),
}
_PHONE_KEYS = frozenset({"phone", "fax", "mobile", "contact:phone", "contact:fax", "contact:mobile",
                         "phone:mobile", "emergency:phone"})
_URL_KEYS = frozenset({"website", "url", "contact:website", "contact:url", "website:menu"})


def osm_value_problem(key: str, value: str, region: str | None = None) -> str | None:
    """Return what makes `value` unfit for the OSM key `key` (a note code), or None when it is fit.

    `region` (ISO 3166 alpha-2) reads national phone numbers and picks the postcode format.
    Keys without a known format get only the API's checks (length, control characters).
    """
    if not value.strip() or len(value) > MAX_VALUE_LENGTH or _CONTROL.search(value):
        return "invalid_text"
    pieces = [piece.strip() for piece in value.split(";")]
    if key in _PHONE_KEYS or key.endswith((":phone", ":fax")):
        return None if all(_phone_ok(p, region) for p in pieces) else "invalid_phone"
    if key in ("email", "contact:email") or key.endswith(":email"):
        return None if all(_email_ok(p) for p in pieces) else "invalid_email"
    if key in _URL_KEYS or key.endswith((":website", ":url")):
        return None if all(_url_ok(p) for p in pieces) else "invalid_url"
    if key == "addr:housenumber":
        numbers = [p.strip() for p in re.split(r"[;,]", value)]
        return None if all(_HOUSENUMBER.match(n) for n in numbers) else "invalid_housenumber"
    if key == "addr:postcode":
        pattern = POSTCODE_PATTERNS.get((region or "").upper(), _GENERIC_POSTCODE)
        return None if pattern.match(value.strip()) else "invalid_postcode"
    if key == "opening_hours" or key.startswith("opening_hours:") or key.endswith(":opening_hours"):
        return None if _hours_ok(value) else "invalid_opening_hours"
    if key in _COUNT_KEYS or key.startswith("capacity:"):
        return None if all(re.fullmatch(r"\d{1,6}", p) for p in pieces) else "invalid_number"
    if key in _MEASURE_KEYS:
        return None if all(_MEASURE.match(p) for p in pieces) else "invalid_number"
    if key in _CHOICES:
        return None if all(p in _CHOICES[key] for p in pieces) else "invalid_choice"
    if key in _IDENTIFIERS:
        return None if _IDENTIFIERS[key].match(value.strip()) else "invalid_identifier"
    return None


def _phone_ok(piece: str, region: str | None) -> bool:
    # phonenumbers and email-validator take tens of milliseconds to load: only lists with such fields pay.
    import phonenumbers

    try:
        number = phonenumbers.parse(piece, (region or "ZZ").upper())
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _email_ok(piece: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(piece, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _url_ok(piece: str) -> bool:
    # OSM writes a full address: a scheme, a host name, nothing a browser would have to guess.
    return piece.startswith(("http://", "https://")) and normalize_url(piece) is not None


def _hours_ok(value: str) -> bool:
    # OSM syntax as written: free text a person could read ("du lundi au vendredi...") is not.
    try:
        opening_hours.OpeningHours(value)
    except (SyntaxError, ValueError, opening_hours.ParserError):  # type: ignore[attr-defined]
        return False
    return True
