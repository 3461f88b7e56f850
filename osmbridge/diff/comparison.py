"""What a comparator is: the verdict on a city value against an OSM value, and the rules behind it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from osmbridge.model import Note

Verdict = Literal["equal", "minor", "differs"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing a city value with an OSM value for one tag."""

    verdict: Verdict
    note: Note | None = None


@dataclass(frozen=True, slots=True)
class Comparator:
    """The comparison rules for one family of tags; `region` is the phone region (ISO 3166)."""

    name: str
    compare: Callable[[str, str, str | None], Comparison]  # (city, osm, region)
    key: Callable[[str, str | None], str]  # (value, region) -> normalised, for ids
    # The city value as it would be written to OSM, and a note about it (converted hours...).
    present_city: Callable[[str], tuple[str, Note | None]] = lambda value: (value, None)
    # Two values of the same side (either may be the city's raw form); default: compare().
    same_side: Callable[[str, str, str | None], bool] | None = None

    def same(self, a: str | None, b: str | None, region: str | None) -> bool:
        """Return whether two values of one side mean the same (None = absent)."""
        if a is None or b is None:
            return a is None and b is None
        if self.same_side is not None:
            return self.same_side(a, b, region)
        return self.key(a, region) == self.key(b, region) or self.compare(a, b, region).verdict == "equal"


def squash(value: str) -> str:
    """Return `value` trimmed, runs of whitespace collapsed to one space, in Unicode NFC.

    NFC because exports differ in how they encode accents ("é" as one character or as "e" plus a
    combining accent): the same text either way.
    """
    return " ".join(unicodedata.normalize("NFC", value).split())
