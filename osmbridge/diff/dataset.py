"""The diff of one dataset: every disagreement between the city and OSM, in a stable order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

from osmbridge.diff.build import DiffContext, mapped_fields_by_mapping
from osmbridge.diff.creations import guard_creations
from osmbridge.diff.pair import diff_pair
from osmbridge.diff.places import missing_in_city, missing_in_osm, needs_review, rules_of
from osmbridge.diff.region import infer_region
from osmbridge.model import CityFeature, Difference, DroppedOsmObject, Match, OsmPlace, SyncBase

T = TypeVar("T")


def diff_dataset(dataset: str, city: Sequence[CityFeature], osm: Sequence[OsmPlace], matches: Sequence[Match],
                 base: SyncBase, *, area: BaseGeometry | None = None, region: str | None = None,
                 report_osm_only: bool = True, dropped: Sequence[DroppedOsmObject] = ()) -> list[Difference]:
    """Every disagreement between the city and OSM for one dataset, with stable ids and proposals.

    `matches` come from the matcher; `base` holds both sides' tags at the last sync (empty on the
    first run). OSM-only places are reported only when they intersect `area` (WGS84), when given,
    and not at all without `report_osm_only` (a dataset that lists only some places of its types).
    `region` is the ISO 3166 country for national phone numbers; by default it is inferred from
    the data (addr:country tags and international numbers). City features without a match are
    not looked at: the matcher reports every city place. A city-only place is proposed for
    creation only when OSM has nothing of its kind nearby (see `creations`); `dropped` are the OSM
    objects the reader could not place, which block creations next to them too.
    """
    # Built from the end so that, should an id occur twice, the first occurrence wins.
    features = {f.source_id: f for f in reversed(city)}
    places = {p.key: p for p in reversed(osm)}
    ctx = DiffContext(dataset, base, region or infer_region(city, osm), mapped_fields_by_mapping(city),
                      city_ids=frozenset(features), osm_keys=frozenset(places))
    rules = rules_of(city)
    shown_keys = frozenset(key for f in city for key in (*f.tags, *f.field_of_tag, *(k for k, _ in f.match_tags)))
    # Prepared once: an admin boundary has thousands of vertices and is tested against every OSM-only place.
    inside = prep(area) if area is not None else None
    differences: list[Difference] = []
    creations: list[tuple[CityFeature, Difference]] = []
    for match in matches:
        feature = features.get(match.source_id) if match.source_id is not None else None
        place = places.get(match.osm_key) if match.osm_key is not None else None
        if match.status == "matched":
            differences += diff_pair(ctx, _need(feature, match, "source_id"), _need(place, match, "osm_key"))
        elif match.status == "city_only":
            feature = _need(feature, match, "source_id")
            created = missing_in_osm(ctx, feature)
            creations += [(feature, created)] if created else []
        elif match.status == "osm_only":
            place = _need(place, match, "osm_key")
            if report_osm_only and (inside is None or inside.intersects(place.geometry)):
                differences.append(missing_in_city(ctx, place, rules, shown_keys))
        else:  # ambiguous, duplicate
            differences.append(needs_review(ctx, match, feature, place, rules))
    linked = frozenset(m.osm_key for m in matches if m.status == "matched" and m.osm_key)
    differences += guard_creations(ctx, creations, osm, linked, dropped)
    unique = {d.id: d for d in reversed(differences)}  # a match listed twice gives one difference
    return sorted(unique.values(), key=_order)


def _need(found: T | None, match: Match, key: str) -> T:
    # A match pointing at a place the caller did not pass is a pipeline bug, not a user mistake.
    if found is None:
        raise ValueError(f"match {match!r}: its {key} is not among the places given to diff_dataset")
    return found


def _natural(value: str | None) -> tuple[bool, tuple[tuple[int, int | str], ...]]:
    """Sort key putting None last and "9" before "10"."""
    if value is None:
        return (True, ())
    return (False, tuple((0, int(part)) if part.isdigit() else (1, part)
                         for part in re.split(r"(\d+)", value) if part))


def _order(difference: Difference) -> tuple[Any, ...]:
    # By place, then field (place-level kinds first), then kind and id for full determinism.
    return (_natural(difference.source_id), _natural(difference.osm_key),
            difference.field is not None, difference.field or "", difference.kind, difference.id)
