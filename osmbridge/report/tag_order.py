"""Tags in the order a mapper reads them: name, then what the place is, then the rest by key."""

from __future__ import annotations

import re
from collections.abc import Mapping

from osmbridge.match.kinds import PRIMARY_KEYS

_LIFECYCLE = re.compile(r"^(disused|abandoned|was|closed|demolished|removed|razed|construction|proposed):")
_TAG_LINE = re.compile(r"^[^=\s][^=]*=")


def _rank(key: str) -> tuple[int, int, str]:
    if key == "name":
        return 0, 0, key
    base = _LIFECYCLE.sub("", key)
    if base in PRIMARY_KEYS:
        return 1, PRIMARY_KEYS.index(base), key
    return 2, 0, key


def ordered_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Return the tags with `name` first, then the main tag(s) (amenity, shop...), then the rest by key."""
    return {key: tags[key] for key in sorted(tags, key=_rank)}


def ordered_tag_lines(value: str | None) -> str | None:
    """Reorder a whole-object value ("key=value" lines) the same way; any other value is returned as is."""
    if not value or "\n" not in value:
        return value
    lines = value.split("\n")
    if not all(_TAG_LINE.match(line) for line in lines):
        return value
    return "\n".join(sorted(lines, key=lambda line: _rank(line.split("=", 1)[0])))
