"""How recent a producer's data is: the newest update date its records carry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from osmbridge.model import CityPlace

# Day first, as French and most European exports write it: 31/12/2024, 31-12-2024, 31.12.2024.
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def record_date(value: object) -> date | None:
    """Return the date a record's update column holds (ISO 8601, or day/month/year), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    found = _DAY_FIRST.match(text)
    if found:
        try:
            return date(int(found[3]), int(found[2]), int(found[1]))
        except ValueError:
            return None
    return None


def newest_update(places: Iterable[CityPlace], field: str) -> str | None:
    """Return the newest date (ISO 8601) in the records' `field`; None when no record has a readable one."""
    dates = [found for place in places if (found := record_date(place.fields.get(field))) is not None]
    return max(dates).isoformat() if dates else None
