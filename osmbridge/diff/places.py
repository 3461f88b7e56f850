"""Place-level differences: missing on one side, ambiguous links, duplicates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from osmbridge.diff.build import DiffContext, render_tags, tags_key
from osmbridge.diff.comparators import comparator_for
from osmbridge.diff.geometry import display_point
from osmbridge.diff.ids import difference_id
from osmbridge.diff.notes import join_notes, note
from osmbridge.diff.region import pair_region
from osmbridge.model import ChangedSide, CityFeature, Difference, DiffKind, Match, OsmPlace, SyncBase

_OSM_KEY = re.compile(r"^[nwr]\d+$")
Rule = tuple[str, tuple[tuple[str, str], ...]]  # (category, match tags)


def missing_in_osm(ctx: DiffContext, feature: CityFeature) -> Difference | None:
    """Return the proposal to create in OSM a city place that has no OSM counterpart.

    None for a place the city marks closed: a closed place is not worth creating.
    """
    if feature.closed:
        return None
    region = pair_region(feature.tags, {}, ctx.region)
    tags, notes = {}, []
    for key, value in feature.tags.items():
        if key in feature.osm_only or not value or not value.strip():
            continue
        tags[key], value_note = comparator_for(key).present_city(value.strip())
        notes.append(note("tag_note", key=key, note=value_note) if value_note else None)
    # A record new since the last sync is a city change; otherwise it may have been missing then.
    side: ChangedSide = "city" if _new_since_base(feature.source_id, ctx.base.city_tags, ctx.base) else "unknown"
    point = display_point(feature.geometry)
    return Difference(
        id=difference_id(ctx.dataset, feature.source_id, None, None, tags_key(tags, region), None, "missing_in_osm"),
        dataset=ctx.dataset, kind="missing_in_osm", source_id=feature.source_id, osm_key=None, field=None,
        city_value=render_tags(tags), osm_value=None, changed_side=side, proposal="to_osm",
        lon=point.x, lat=point.y, category=feature.category, name=feature.name,
        note=join_notes(note("create"), *notes),
    )


def missing_in_city(ctx: DiffContext, osm: OsmPlace, rules: Sequence[Rule], shown_keys: frozenset[str]) -> Difference:
    """Return an OSM place with no city record, as a candidate for the city dataset.

    `rules` are the dataset's (category, match tags) pairs, to name the place's category;
    `shown_keys` are the tag keys the dataset's mappings deal with: the OSM value lists only
    those (plus name), so that unrelated OSM edits do not change the difference's id.
    """
    tags = {key: value for key, value in osm.tags.items() if key in shown_keys or key == "name"}
    if not tags:
        tags = dict(osm.tags)
    region = pair_region({}, osm.tags, ctx.region)
    side: ChangedSide = "osm" if _new_since_base(osm.key, ctx.base.osm_tags, ctx.base) else "unknown"
    return Difference(
        id=difference_id(ctx.dataset, None, osm.key, None, None, tags_key(tags, region), "missing_in_city"),
        dataset=ctx.dataset, kind="missing_in_city", source_id=None, osm_key=osm.key, field=None,
        city_value=None, osm_value=render_tags(tags), changed_side=side, proposal="to_city",
        lon=osm.center.x, lat=osm.center.y, category=_category_of(osm, rules), name=osm.tags.get("name"),
        osm_version=osm.version or None, note=join_notes(note("candidate_for_city")),
    )


def needs_review(ctx: DiffContext, match: Match, feature: CityFeature | None, osm: OsmPlace | None,
                 rules: Sequence[Rule]) -> Difference:
    """Return an ambiguous or duplicate match as a difference a person must review.

    The note is the matcher's explanation when it gave one, else a generic one.
    """
    candidates = ", ".join(sorted(match.candidates))
    kind: DiffKind
    city_value: str | None
    osm_value: str | None
    if match.status == "ambiguous":
        kind, city_value, osm_value = "ambiguous", None, candidates
        text = note("ambiguous", candidates=candidates or "?")
    else:
        kind = "duplicate"
        # The twin is on the OSM side when it is an OSM key, else it is another city record.
        on_osm_side = bool(match.candidates) and all(_OSM_KEY.match(c) for c in match.candidates)
        city_value, osm_value = (None, candidates) if on_osm_side else (candidates, None)
        text = note("duplicate", candidates=candidates or "?")
    if feature is not None:
        point, category, name = display_point(feature.geometry), feature.category, feature.name
    elif osm is not None:
        point, category, name = osm.center, _category_of(osm, rules), osm.tags.get("name")
    else:
        raise ValueError(f"match {match!r} names no city feature and no OSM place")
    return Difference(
        id=difference_id(ctx.dataset, match.source_id, match.osm_key, None, city_value, osm_value, kind),
        dataset=ctx.dataset, kind=kind, source_id=match.source_id, osm_key=match.osm_key, field=None,
        city_value=city_value, osm_value=osm_value, changed_side="unknown", proposal="review",
        lon=point.x, lat=point.y, category=category, name=name or (osm.tags.get("name") if osm else None),
        osm_version=(osm.version or None) if osm else None, note=match.note or join_notes(text),
    )


def rules_of(city: Sequence[CityFeature]) -> list[Rule]:
    """Return the distinct (category, match tags) pairs of the city features, sorted."""
    return sorted({(f.category, f.match_tags) for f in city})


def _new_since_base(key: str, synced: Mapping[str, Mapping[str, str]], base: SyncBase) -> bool:
    # With no sync yet everything is "new": that says nothing about who changed.
    return not base.empty and key not in synced


def _category_of(osm: OsmPlace, rules: Sequence[Rule]) -> str:
    """Return the category of the first rule whose match tags accept the OSM place."""
    for category, match_tags in rules:
        if any(k in osm.tags and (v == "*" or osm.tags[k] == v) for k, v in match_tags):
            return category
    return ""
