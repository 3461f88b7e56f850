"""Opening hours: validate OSM syntax with opening-hours-py, convert common free text, compare by meaning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from osmbridge.normalize.hours_text import free_text_to_osm

if TYPE_CHECKING:  # loaded when hours are parsed, not at start-up
    import opening_hours

# A fixed reference year (starting on a Monday) so that comparisons read no clock.
_REFERENCE_START = datetime(2024, 1, 1)
_REFERENCE_END = _REFERENCE_START + timedelta(days=366)


@dataclass(frozen=True, slots=True)
class HoursValue:
    """An opening-hours value as found (`raw`) and as OSM syntax (`osm`, None when not understood)."""

    raw: str
    osm: str | None
    ok: bool


def _parse_osm(text: str, country: str | None = None) -> opening_hours.OpeningHours | None:
    """Return the parsed expression, or None when `text` is not valid OSM opening_hours syntax."""
    import opening_hours

    try:
        return opening_hours.OpeningHours(text, country=country.upper() if country else None)
    except opening_hours.UnknownCountryError:  # type: ignore[attr-defined]  # missing from its stub
        return opening_hours.OpeningHours(text) if country else None  # no holiday calendar for it
    except (SyntaxError, ValueError, opening_hours.ParserError):  # type: ignore[attr-defined]
        return None


def parse_opening_hours(raw: str) -> HoursValue:
    """Return `raw` checked as OSM opening_hours, or converted from common French/English free text.

    Valid OSM syntax is kept as written; free text such as "Du lundi au vendredi de 9h à 17h",
    "Mon-Fri 9am-5pm" or "lundi : 9h-12h / 14h-18h" is converted; anything else gives ok=False, osm=None.
    """
    text = " ".join(raw.split())
    if not text:
        return HoursValue(raw, None, False)
    if _parse_osm(text) is not None:
        return HoursValue(raw, text, True)
    converted = free_text_to_osm(text)
    if converted is not None and _parse_osm(converted) is not None:
        return HoursValue(raw, converted, True)
    return HoursValue(raw, None, False)


def _timeline(expression: opening_hours.OpeningHours) -> list[tuple[datetime, datetime, str]]:
    """Return the merged (start, end, state) intervals of `expression` over the reference year."""
    merged: list[tuple[datetime, datetime, str]] = []
    for start, end, state, _comment in expression.intervals(_REFERENCE_START, _REFERENCE_END):
        end = end or _REFERENCE_END
        label = str(state)
        if merged and merged[-1][2] == label and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end, label)
        else:
            merged.append((start, end, label))
    return merged


def same_opening_hours(a: str, b: str, *, country: str | None = None) -> bool | None:
    """Return whether two opening-hours values mean the same week, or None if either cannot be read.

    "Mo-Fr 09:00-17:00" equals "Mo,Tu,We,Th,Fr 09:00-17:00": both are compared by their open/closed
    intervals over a fixed reference year (comments ignored); free text is converted first. Public
    holidays ("PH off") count only with `country` (ISO code), which gives their calendar.
    """
    first, second = parse_opening_hours(a), parse_opening_hours(b)
    if first.osm is None or second.osm is None:
        return None
    if first.osm == second.osm:
        return True
    parsed_a, parsed_b = _parse_osm(first.osm, country), _parse_osm(second.osm, country)
    if parsed_a is None or parsed_b is None:
        return None
    if str(parsed_a.normalize()) == str(parsed_b.normalize()):
        return True
    return _timeline(parsed_a) == _timeline(parsed_b)
