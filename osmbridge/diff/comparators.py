"""Which rules compare which OSM tag: the one registry of tag -> comparator.

A comparator (`comparison.Comparator`) answers three questions about a tag's values: are a city
value and an OSM value equal in meaning, different only in form a person may still want to see
("minor"), or different; are two values of the same side the same (the three-way diff's "did
this side change?", where a formatting-only change is not a change); and what normalised key
stands for a value in a difference id. The value-level work (E.164, URL keys, opening hours,
streets, names) is done by the shared normalizers in `osmbridge.normalize` and
`osmbridge.match.names`.
"""

from __future__ import annotations

import re

from osmbridge.diff.address_rules import HOUSENUMBERS, POSTCODES, STREETS
from osmbridge.diff.comparison import Comparator, Comparison, squash
from osmbridge.diff.contact_rules import EMAILS, PHONES, URLS
from osmbridge.diff.hours_rules import HOURS
from osmbridge.diff.text_rules import NAMES, NUMBERS, TEXT

__all__ = ["Comparator", "Comparison", "comparator_for", "osm_aliases", "squash"]


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
    **dict.fromkeys(["capacity", "building:levels", "levels", "height", "min_height", "ele", "width",
                     "seats", "beds", "rooms", "stars", "min_age", "max_age", "population"], NUMBERS),
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
    if tag.endswith((":phone", ":fax")):
        return PHONES
    if tag.endswith((":website", ":url")):
        return URLS
    if tag.endswith(":email"):
        return EMAILS
    if tag.startswith("capacity:"):
        return NUMBERS
    return TEXT


# Keys OSM uses interchangeably for the same information (the contact:* scheme and the plain keys).
_ALIAS_GROUPS = (
    ("phone", "contact:phone"),
    ("fax", "contact:fax"),
    ("mobile", "contact:mobile", "phone:mobile"),
    ("email", "contact:email"),
    ("website", "contact:website", "url"),
)
_ALIASES = {key: tuple(k for k in group if k != key) for group in _ALIAS_GROUPS for key in group}


def osm_aliases(tag: str) -> tuple[str, ...]:
    """Return the other OSM keys that may hold what `tag` holds, most usual first."""
    return _ALIASES.get(tag, ())
