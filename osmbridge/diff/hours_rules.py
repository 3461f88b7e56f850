"""Comparing opening hours by meaning; a city's free text converted where possible."""

from __future__ import annotations

from functools import lru_cache

import opening_hours

from osmbridge.diff.comparison import Comparator, Comparison, squash
from osmbridge.diff.notes import note
from osmbridge.model import Note
from osmbridge.normalize import parse_opening_hours, same_opening_hours


def _present_hours(value: str) -> tuple[str, Note | None]:
    """Return the city's hours in OSM syntax (or raw when not understood), and a note about it."""
    converted = _as_osm(value)
    if converted is None:
        return squash(value), note("city_hours_raw")
    if squash(converted) != squash(value):
        return converted, note("city_hours_converted", raw=squash(value))
    return converted, None


@lru_cache(maxsize=1 << 16)  # many places share the same hours; parsing is the costly part
def _as_osm(value: str) -> str | None:
    hours = parse_opening_hours(value)
    return hours.osm if hours.ok and hours.osm else None


def _compare_hours(city: str, osm: str, region: str | None) -> Comparison:
    if squash(city) == squash(osm):  # even text no parser reads ("sur rendez-vous") can agree
        return Comparison("equal")
    shown, city_note = _present_hours(city)
    if _as_osm(city) is None:
        return Comparison("differs", city_note)
    same = _same_hours(shown, osm)
    if same is None:  # OSM's value is not valid opening_hours syntax
        if squash(shown) == squash(osm):
            return Comparison("equal")
        return Comparison("differs", note("osm_hours_raw"))
    return Comparison("equal" if same else "differs", None if same else city_note)


def _same_hours_one_side(a: str, b: str, region: str | None) -> bool:
    """Whether two values of the same side (either may be free text) mean the same hours."""
    same = _same_hours(a, b)
    return squash(a) == squash(b) if same is None else same


@lru_cache(maxsize=1 << 16)
def _same_hours(a: str, b: str) -> bool | None:
    return same_opening_hours(a, b)


@lru_cache(maxsize=1 << 16)
def _key_hours(value: str, region: str | None) -> str:
    converted = _as_osm(value)
    if converted is None:
        return squash(value)
    # The library's normal form: "Mo,Tu,We,Th,Fr 09:00-17:00" and "Mo-Fr 09:00-17:00" share a key.
    return str(opening_hours.OpeningHours(converted).normalize())


HOURS = Comparator("opening_hours", _compare_hours, _key_hours, _present_hours, _same_hours_one_side)
