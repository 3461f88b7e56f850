"""Type compatibility: whether an OSM place is the same kind of thing as a city feature."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from osmbridge.model import CityFeature, OsmPlace

# Keys that say what a place is; used when a feature has no match_tags, and in fingerprints.
PRIMARY_KEYS: tuple[str, ...] = (
    "amenity", "shop", "leisure", "tourism", "office", "craft", "healthcare", "emergency",
    "man_made", "historic", "public_transport", "highway", "railway", "landuse", "natural",
    "club", "sport", "building", "place", "power", "military", "aeroway", "waterway", "barrier",
)
INCOMPATIBLE, COMPATIBLE, SAME = 0, 1, 2
TYPE_CHECK_LABEL = {COMPATIBLE: "compatible", SAME: "same"}

TypeKey = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


def type_key(feature: CityFeature) -> TypeKey:
    """Return what decides a feature's type check: its accepted tag pairs, and its own primary tags."""
    accepted = tuple(feature.match_tags) or tuple(
        (key, feature.tags[key]) for key in PRIMARY_KEYS if key in feature.tags
    )
    own = tuple((key, feature.tags[key]) for key, _ in accepted if key in feature.tags)
    return accepted, own


def classify(key: TypeKey, osm_tags: Mapping[str, str]) -> int:
    """Return SAME when OSM carries the feature's own primary tag, COMPATIBLE when it carries an
    accepted one, else INCOMPATIBLE."""
    accepted, own = key
    if any(osm_tags.get(k) == v for k, v in own):
        return SAME
    for k, v in accepted:
        value = osm_tags.get(k)
        if value is not None and (v == "*" or value == v):
            return COMPATIBLE
    return INCOMPATIBLE


def classify_all(keys: Sequence[TypeKey], osm: Sequence[OsmPlace]) -> tuple[np.ndarray, np.ndarray]:
    """Return a (len(keys), len(osm)) int8 array of type checks, one column pass per tag key, and
    a kind code per OSM place: equal codes mean equal values for every key the features ask for."""
    result = np.zeros((len(keys), len(osm)), dtype=np.int8)
    wanted = sorted({k for accepted, _ in keys for k, _ in accepted})
    codes: dict[str, np.ndarray] = {}
    code_of: dict[str, dict[str | None, int]] = {}
    kind = np.zeros(len(osm), dtype=np.int64)
    tags = [place.tags for place in osm]
    for k in wanted:
        # Code each value as an integer once: comparisons below are then plain array compares.
        values = [t.get(k) for t in tags]
        table: dict[str | None, int] = {None: 0}
        for value in dict.fromkeys(values):  # first-seen order: the same codes every run
            table.setdefault(value, len(table))
        column = np.array([table[value] for value in values], dtype=np.int64)
        codes[k], code_of[k] = column, table
        kind = kind * len(table) + column
    if len(osm):
        kind = np.unique(kind, return_inverse=True)[1].ravel()
    for row, (accepted, own) in enumerate(keys):
        compatible = np.zeros(len(osm), dtype=bool)
        for k, v in accepted:
            compatible |= codes[k] > 0 if v == "*" else codes[k] == code_of[k].get(v, -1)
        same = np.zeros(len(osm), dtype=bool)
        for k, v in own:
            same |= codes[k] == code_of[k].get(v, -1)
        result[row] = np.where(same, SAME, np.where(compatible, COMPATIBLE, INCOMPATIBLE))
    return result, kind
