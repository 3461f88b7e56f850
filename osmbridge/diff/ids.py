"""Stable difference ids: a short hash of where a difference is and what both sides say."""

from __future__ import annotations

import hashlib
import json

from osmbridge.diff.comparison import squash

ID_LENGTH = 16  # hex characters of sha256: 64 bits, collisions negligible for millions of rows


def difference_id(dataset: str, source_id: str | None, osm_key: str | None, field: str | None,
                  city_value: str | None, osm_value: str | None, kind: str) -> str:
    """Return the 16-hex-character id of a difference, stable across runs.

    The values given should already be normalised (the diff passes each comparator's key, e.g.
    E.164 phones), so that a formatting-only change keeps the id; whitespace is collapsed and
    Unicode put in NFC here as well. None and "" stay distinct from each other.
    """
    parts = [dataset, source_id, osm_key, field, kind, _squash(city_value), _squash(osm_value)]
    # JSON keeps the parts unambiguous: no separator inside a value can shift a boundary.
    payload = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:ID_LENGTH]


def _squash(value: str | None) -> str | None:
    return None if value is None else squash(value)
