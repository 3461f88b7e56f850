"""Place-level differences: missing on one side, ambiguous links, duplicates."""

from __future__ import annotations

import re
from collections.abc import Sequence

from osmbridge.diff.build import DiffContext, city_value_problem, render_tags, tags_key
from osmbridge.diff.comparators import comparator_for
from osmbridge.diff.geometry import display_point
from osmbridge.diff.ids import difference_id
from osmbridge.diff.notes import join_notes, note
from osmbridge.diff.region import pair_region
from osmbridge.diff.history import city_only_side, osm_only_side, places_side
from osmbridge.model import CityFeature, Difference, DiffKind, Match, Note, OsmPlace, Proposal, TagEdit

_OSM_KEY = re.compile(r"^[nwr]\d+$")
# (category, match tags, the category's own tags)
Rule = tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
# The category of an OSM-only place whose tags fit several categories equally well.
UNKNOWN_CATEGORY = "unknown"


def missing_in_osm(ctx: DiffContext, feature: CityFeature) -> Difference | None:
    """Return the proposal to create in OSM a city place that has no OSM counterpart.

    None for a place the city marks closed: a closed place is not worth creating.
    """
    if feature.closed:
        return None
    region = pair_region(feature.tags, {}, ctx.region)
    tags: dict[str, str] = {}
    notes: list[Note | None] = []
    for key, value in feature.tags.items():
        if key in feature.osm_only or not value or not value.strip():
            continue
        shown, value_note = comparator_for(key).present_city(value.strip())
        # A value unfit for OSM stays out of the new node; the note keeps it for a person.
        problem = city_value_problem(feature, key, shown, region)
        if problem:
            notes.append(problem)
            continue
        tags[key] = shown
        notes.append(note("tag_note", key=key, note=value_note) if value_note else None)
    side, why = city_only_side(ctx, feature.source_id)
    # OSM had it at the last sync and lost it: a mapper may have removed it on purpose; a person decides.
    proposal: Proposal = "review" if side == "osm" else "to_osm"
    point = display_point(feature.geometry)
    return Difference(
        id=difference_id(ctx.dataset, feature.source_id, None, None, tags_key(tags, region), None, "missing_in_osm"),
        dataset=ctx.dataset, kind="missing_in_osm", source_id=feature.source_id, osm_key=None, field=None,
        city_value=render_tags(tags), osm_value=None, changed_side=side, proposal=proposal,
        lon=point.x, lat=point.y, category=feature.category, name=feature.name,
        note=join_notes(why, note("create"), *notes), osm_edit=TagEdit.of(tags),
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
    side, why = osm_only_side(ctx, osm.key)
    # The city had it at the last sync and dropped it: perhaps closed; a person decides.
    proposal: Proposal = "review" if side == "city" else "to_city"
    return Difference(
        id=difference_id(ctx.dataset, None, osm.key, None, None, tags_key(tags, region), "missing_in_city"),
        dataset=ctx.dataset, kind="missing_in_city", source_id=None, osm_key=osm.key, field=None,
        city_value=None, osm_value=render_tags(tags), changed_side=side, proposal=proposal,
        lon=osm.center.x, lat=osm.center.y, category=category_of(osm, rules), name=osm.tags.get("name"),
        osm_version=osm.version or None, note=join_notes(why, note("candidate_for_city")),
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
    sources = {match.source_id} if match.source_id else set()
    keys = {match.osm_key} if match.osm_key else set()
    for candidate in match.candidates:
        (keys if _OSM_KEY.match(candidate) else sources).add(candidate)
    side = places_side(ctx, sources, keys)
    if feature is not None:
        point, category, name = display_point(feature.geometry), feature.category, feature.name
    elif osm is not None:
        point, category, name = osm.center, category_of(osm, rules), osm.tags.get("name")
    else:
        raise ValueError(f"match {match!r} names no city feature and no OSM place")
    return Difference(
        id=difference_id(ctx.dataset, match.source_id, match.osm_key, None, city_value, osm_value, kind),
        dataset=ctx.dataset, kind=kind, source_id=match.source_id, osm_key=match.osm_key, field=None,
        city_value=city_value, osm_value=osm_value, changed_side=side, proposal="review",
        lon=point.x, lat=point.y, category=category, name=name or (osm.tags.get("name") if osm else None),
        osm_version=(osm.version or None) if osm else None, note=match.note or join_notes(text),
    )


def rules_of(city: Sequence[CityFeature]) -> list[Rule]:
    """Return the distinct (category, match tags, category tags) of the city features, sorted."""
    return sorted({(f.category, f.match_tags, tuple(sorted(f.category_tags.items()))) for f in city})


def category_of(osm: OsmPlace, rules: Sequence[Rule]) -> str:
    """Return the category whose tags describe the OSM place most specifically.

    Only categories whose match tags accept the place compete. The best one has the most of its own
    tags on the place (recycling:glass_bottles=yes tells a glass container from a composter), then
    the most match tags equal to the place's (a key=value match beats a key=* one), then the most
    key=* match tags present. Two categories equally good give UNKNOWN_CATEGORY: a wrong category
    would send the place to the city under the wrong type.
    """
    scores: dict[str, tuple[int, int, int]] = {}
    for category, match_tags, category_tags in rules:
        if not any(_fits(osm, key, value) for key, value in match_tags):
            continue
        score = (sum(osm.tags.get(key) == value for key, value in category_tags),
                 sum(value != "*" and osm.tags.get(key) == value for key, value in match_tags),
                 sum(value == "*" and key in osm.tags for key, value in match_tags))
        scores[category] = max(score, scores.get(category, score))
    if not scores:
        return ""
    best = max(scores.values())
    winners = [category for category, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 else UNKNOWN_CATEGORY


def _fits(osm: OsmPlace, key: str, value: str) -> bool:
    return key in osm.tags and (value == "*" or osm.tags[key] == value)
