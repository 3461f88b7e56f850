"""Convert common French/English free-text opening hours to OSM syntax; give up on anything unclear.

Understood: day names and abbreviations, day ranges ("du lundi au vendredi", "Mon-Fri"), day lists
("lundi, mardi et jeudi"), time ranges ("de 9h à 12h", "9h30-17h", "09:00-17:00", "9am-5pm", "midi"),
several ranges ("9h-12h / 14h-18h", "et de 14h à 18h"), closed days ("fermé", "closed"),
"tous les jours"/"daily" and "24h/24". Any other word makes the conversion fail (None), because a
wrong conversion proposed to OSM is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from osmbridge.normalize.text import fold

_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_WORDS = {
    0: "lundis? lun monday mondays mon mo",
    1: "mardis? tuesdays? tues tue tu",
    2: "mercredis? mer wednesdays? wed we",
    3: "jeudis? jeu thursdays? thurs thur thu th",
    4: "vendredis? ven fridays? fri fr",
    5: "samedis? sam saturdays? sat sa",
    6: "dimanches? dim sundays? sun su",
}
_DAY_PATTERNS = [(day, re.compile(rf"(?:{'|'.join(words.split())})\.?$")) for day, words in _DAY_WORDS.items()]

_TOKEN = re.compile(
    r"""
    (?P<every>tous\ les\ jours|7\s*j(?:ours)?\s*/\s*7|7\s*/\s*7|daily|every\ day|everyday)
  | (?P<time>(?:[01]?\d|2[0-4])\s*(?:h|:|\.)\s*(?:[0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?
           |(?:[01]?\d|2[0-4])\s*(?:am|pm|a\.m\.|p\.m\.)
           |midi|minuit|noon|midnight)
  | (?P<number>\d{1,2})(?!\d)
  | (?P<word>[a-z]+\.?)
  | (?P<range>-|–|—)
  | (?P<list>[,&+/])
  | (?P<clause>[;|\n]|\.(?=\s|$))
  | (?P<colon>:)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE,
)
_RANGE_WORDS = {"a", "au", "to", "till", "until", "through", "thru", "jusqu'a", "jusqua"}
_LIST_WORDS = {"et", "and"}
_FILLER_WORDS = {"de", "du", "from", "le", "les", "on", "the", "h", "ouvert", "open", "horaires", "hours", "l"}
_OFF_WORDS = {"ferme", "fermee", "fermes", "fermees", "closed"}


@dataclass(slots=True)
class _Token:
    kind: str  # day, time, number, range, list, clause, off, every
    value: Any = None


def _day_of(word: str) -> int | None:
    for day, pattern in _DAY_PATTERNS:
        if pattern.match(word):
            return day
    return None


def _minutes(text: str) -> int | None:
    """Return minutes since midnight of a time token ("9h30", "17:00", "5pm", "midi"), or None."""
    text = text.replace(" ", "").replace(".m.", "m")
    named = {"midi": 720, "noon": 720, "minuit": 1440, "midnight": 1440}
    if text in named:
        return named[text]
    match = re.fullmatch(r"(\d{1,2})(?:[h:.](\d{2})?)?(am|pm)?", text)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    total = hour * 60 + minute
    return total if total <= 1440 else None


def _tokens(text: str) -> list[_Token] | None:
    """Return the tokens of folded `text`, or None when a word is not understood."""
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup or "other", match.group(0)
        if kind in {"space", "colon"}:
            continue
        if kind == "other":
            return None
        if kind == "word":
            word = value.rstrip(".") if _day_of(value) is None else value
            day = _day_of(value)
            if day is not None:
                tokens.append(_Token("day", day))
            elif word in _RANGE_WORDS:
                tokens.append(_Token("range"))
            elif word in _LIST_WORDS:
                tokens.append(_Token("list"))
            elif word in _OFF_WORDS:
                tokens.append(_Token("off"))
            elif word in _FILLER_WORDS:
                continue
            else:
                return None
        elif kind == "time":
            minutes = _minutes(value)
            if minutes is None:
                return None
            tokens.append(_Token("time", (minutes, value)))
        elif kind == "number":
            tokens.append(_Token("number", int(value)))
        else:
            tokens.append(_Token(kind))
    return tokens


def _time_range(tokens: list[_Token], index: int, bare_ok: bool) -> tuple[tuple[int, int], int] | None:
    """Read "T - T" at `index`; return ((start, end) in minutes, next index), or None.

    Two bare numbers ("9-17") are hours only when `bare_ok` (the text names days); alone they could be dates.
    """
    if index + 2 >= len(tokens) or tokens[index + 1].kind != "range":
        return None
    first, second = tokens[index], tokens[index + 2]
    if first.kind not in {"time", "number"} or second.kind not in {"time", "number"}:
        return None
    if first.kind == "number" and second.kind == "number" and not bare_ok:
        return None
    if second.kind == "number":
        end = second.value * 60 if second.value <= 24 else None
    else:
        end = second.value[0]
    if end is None:
        return None
    if first.kind == "number":
        start = first.value * 60
        end_text = str(second.value[1]) if second.kind == "time" else ""
        if "pm" in end_text and first.value < 12 and first.value * 60 + 720 <= end:
            start += 720  # "1-5pm": the start shares the end's afternoon
    else:
        start = first.value[0]
    if start > 1440:
        return None
    return (start, end), index + 3


def _format_minutes(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def _format_days(days: list[int]) -> str:
    """Return "Mo-Fr", "Mo,We", "Sa,Su" for a sorted list of day numbers."""
    parts: list[str] = []
    run: list[int] = []
    for day in days + [99]:
        if run and day == run[-1] + 1:
            run.append(day)
            continue
        if run:
            if len(run) >= 3:
                parts.append(f"{_OSM_DAYS[run[0]]}-{_OSM_DAYS[run[-1]]}")
            else:
                parts.extend(_OSM_DAYS[d] for d in run)
        run = [day]
    return ",".join(parts)


def free_text_to_osm(text: str) -> str | None:
    """Return OSM opening_hours for free-text hours, or None when the text is not clearly understood."""
    folded = fold(text).replace("’", "'")
    if re.fullmatch(r"(?:7\s*j(?:ours)?\s*/\s*7\s*,?\s*)?24\s*h?\s*/\s*24(?:\s*,?\s*7\s*j?\s*/\s*7)?|24/7", folded):
        return "24/7"
    tokens = _tokens(folded)
    if not tokens:
        return None
    schedule: dict[int, list[tuple[int, int]] | None] = {}  # day -> ranges, None = closed
    days: list[int] = []
    ranges: list[tuple[int, int]] = []
    off = False
    times_first = False  # "de 8h à 12h du lundi au vendredi": the times came before their days
    bare_ok = any(token.kind in {"day", "every"} for token in tokens)

    def flush() -> bool:
        nonlocal days, ranges, off, times_first
        times_first = False
        if not days and not ranges and not off:
            return True
        if not days or (not ranges and not off) or (ranges and off):
            return False
        for day in days:
            if off:
                schedule[day] = None
            else:
                existing = schedule.get(day) or []
                schedule[day] = existing + [r for r in ranges if r not in existing]
        days, ranges, off = [], [], False
        return True

    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "day":
            if (ranges or off) and days and not times_first:
                if not flush():
                    return None
            elif (ranges or off) and not days:
                times_first = True
            if index + 2 < len(tokens) and tokens[index + 1].kind == "range" and tokens[index + 2].kind == "day":
                first, last = token.value, tokens[index + 2].value
                span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
                days.extend(d for d in span if d not in days)
                index += 3
                continue
            if token.value not in days:
                days.append(token.value)
            index += 1
        elif token.kind == "every":
            if (ranges or off) and days and not times_first:
                if not flush():
                    return None
            elif (ranges or off) and not days:
                times_first = True
            days.extend(d for d in range(7) if d not in days)
            index += 1
        elif token.kind in {"time", "number"}:
            if times_first and days and not flush():
                return None
            read = _time_range(tokens, index, bare_ok)
            if read is None:
                return None
            ranges.append(read[0])
            index = read[1]
        elif token.kind == "off":
            off = True
            index += 1
        elif token.kind == "clause":
            if not flush():
                return None
            index += 1
        elif token.kind in {"list", "range"}:
            index += 1  # separators between days or ranges; "-" between clauses
        else:
            return None
    if not flush() or not schedule:
        return None
    open_days = {day: tuple(sorted(r)) for day, r in schedule.items() if r}
    if not open_days:
        return None
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day in sorted(open_days):
        groups.setdefault(open_days[day], []).append(day)
    rules = []
    for times, group_days in sorted(groups.items(), key=lambda item: item[1][0]):
        spans = ",".join(f"{_format_minutes(a)}-{_format_minutes(b)}" for a, b in times)
        rules.append(f"{_format_days(group_days)} {spans}")
    return "; ".join(rules)
