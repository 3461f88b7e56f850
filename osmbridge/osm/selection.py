"""Which OSM features a run keeps: the tag filters of the mappings, and what counts as a real tag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np

from osmbridge.model import OsmPlace, TagFilter

_TYPE_CODE = {"n": 0, "w": 1, "r": 2}
_ID_SPAN = 1 << 52  # OSM ids (negative ones too, in editor files) stay far below

# Tags that describe the edit, not the feature: a node carrying only these is not a place.
META_KEYS = frozenset({
    "created_by", "source", "note", "fixme", "FIXME", "comment", "attribution", "converted_by",
    "odbl", "odbl:note",
})
_META_PREFIXES = ("source:", "note:")
_EPOCH = dt.datetime(1970, 1, 1)


def is_meta_key(key: str) -> bool:
    """Return whether a tag key records editing metadata rather than describing the feature."""
    return key in META_KEYS or key.startswith(_META_PREFIXES)


def accepts(tags: Mapping[str, str], filters: Sequence[TagFilter]) -> bool:
    """Return whether a feature is kept: a filter accepts its tags, or (no filters) it has a real tag."""
    if filters:
        return any(f.accepts(tags) for f in filters)
    return any(not is_meta_key(key) for key in tags)


def filter_keys(filters: Sequence[TagFilter]) -> list[str]:
    """Return the distinct keys the filters look at, for a fast key pre-filter."""
    return sorted({f.key for f in filters})


def iso_timestamp(value: dt.datetime | None) -> str | None:
    """Return an OSM-style ISO 8601 UTC timestamp ("2021-07-07T10:00:00Z"), None when unknown."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if value <= _EPOCH:
        return None  # osmium reports a missing timestamp as the epoch
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def unique_places(places: Sequence[OsmPlace]) -> list[OsmPlace]:
    """Return the places once each, keeping the newest version of a repeated id, in first-seen order.

    Overpass answers written as `out; >; out;` repeat a tagged node that is also a way's vertex.
    """
    # Most files hold each object once: told in one vectorised pass, the places are returned as they are.
    codes = np.fromiter((_TYPE_CODE[place.osm_type] * _ID_SPAN + place.osm_id for place in places), np.int64,
                        len(places))
    codes.sort()  # sorted, a repeat sits next to itself (np.unique hashes: slower, and it loads numpy.ma)
    if not (codes[1:] == codes[:-1]).any():
        return list(places)
    kept: dict[tuple[str, int], OsmPlace] = {}
    for place in places:
        key = (place.osm_type, place.osm_id)
        seen = kept.get(key)
        if seen is None or place.version > seen.version:
            kept[key] = place
    return list(kept.values())
