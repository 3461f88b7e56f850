"""Differences of one matched pair: tag by tag, position drift, and lifecycle."""

from __future__ import annotations

from dataclasses import replace

from shapely.geometry import Point

from osmbridge.diff.build import DiffContext, city_value_problem, present, render_tags
from osmbridge.diff.comparators import comparator_for, osm_aliases
from osmbridge.diff.geometry import display_point, distance_m
from osmbridge.diff.history import position_side
from osmbridge.diff.ids import difference_id
from osmbridge.diff.notes import join_notes, note
from osmbridge.diff.region import pair_region
from osmbridge.diff.threeway import three_way, with_authority
from osmbridge.model import ChangedSide, CityFeature, Difference, DiffKind, Note, Notes, OsmPlace, Proposal, TagEdit

# A matched pair further apart than this share of the mapping's match distance is reported as a
# position drift: close enough to be the same place, far enough that one position is off.
DRIFT_FRACTION = 0.5
# Below this no drift is reported, whatever the mapping: OSM and city positions both carry a few
# metres of GPS/digitising noise.
MIN_DRIFT_M = 5.0
# Lifecycle prefix proposed for a place the city marks closed (OSM wiki: Lifecycle prefix), and
# the prefixes that say OSM already treats the feature as no longer active.
LIFECYCLE_PREFIX = "disused:"
LIFECYCLE_PREFIXES = ("disused:", "abandoned:", "was:", "closed:", "removed:", "demolished:", "razed:")
# The main keys that say what a place is used for and move under the prefix when it closes; a
# building, an address or a name stays where it is (OSM wiki: Lifecycle prefix, Key:disused:).
LIFECYCLE_KEYS = frozenset({"amenity", "shop", "leisure", "office", "craft", "tourism", "healthcare",
                            "emergency", "club", "man_made", "historic", "military"})


# A position a side moved since the last sync: the city's move is not proposed to OSM as a node
# move (a city geocode is seldom better than a mapper's node), OSM's is offered to the city.
_POSITION_PROPOSAL: dict[ChangedSide, Proposal] = {"city": "disagreement", "osm": "to_city", "both": "conflict",
                                                   "none": "disagreement", "unknown": "disagreement"}


def drift_threshold_m(feature: CityFeature) -> float:
    """Return the distance above which a matched pair is reported as a position drift."""
    return max(MIN_DRIFT_M, DRIFT_FRACTION * feature.match_distance_m)


def diff_pair(ctx: DiffContext, feature: CityFeature, osm: OsmPlace) -> list[Difference]:
    """Return every difference between a city feature and the OSM place it was matched with.

    A place the city marks closed yields only its lifecycle difference (if OSM still has it
    active): comparing the phone of a closed library would only add noise.
    """
    if feature.closed:
        lifecycle = _lifecycle(ctx, feature, osm)
        return [lifecycle] if lifecycle else []
    keys = ctx.keys_of(feature)
    taken = set(keys)  # a key the mapping maps itself, or one already borrowed, is no alias
    differences = [d for tag in sorted(keys) if (d := _diff_tag(ctx, feature, osm, tag, taken))]
    drift = _position(ctx, feature, osm)
    return differences + ([drift] if drift else [])


def _diff_tag(ctx: DiffContext, feature: CityFeature, osm: OsmPlace, tag: str,
              taken: set[str]) -> Difference | None:
    city_raw = present(feature.tags.get(tag))
    osm_tag = _osm_key_for(tag, osm, taken)
    osm_value = present(osm.tags.get(osm_tag))
    if city_raw is None and osm_value is None:
        return None
    taken.add(osm_tag)
    comparator = comparator_for(tag)
    region = pair_region(feature.tags, osm.tags, ctx.region)
    kind: DiffKind
    city_value, city_note = comparator.present_city(city_raw) if city_raw is not None else (None, None)
    value_notes = join_notes(city_note)
    if city_raw is not None and osm_value is not None:
        comparison = comparator.compare(city_raw, osm_value, region)
        if comparison.verdict == "equal":
            return None
        kind = "minor" if comparison.verdict == "minor" else "differs"
        value_notes = join_notes(comparison.note) or value_notes
    else:
        kind = "only_city" if city_raw is not None else "only_osm"
        if city_raw is not None:
            value_notes = join_notes(value_notes, _lifecycle_note(osm, tag))
    if osm_tag != tag:
        value_notes = join_notes(value_notes, note("osm_alias", key=osm_tag))
    tw = three_way(tag, comparator, region, city_raw, osm_value,
                   ctx.base.city_tags.get(feature.source_id), ctx.base.osm_tags.get(osm.key), osm_tag=osm_tag)
    if tw.changed_side == "unknown" and not ctx.base.empty and not tw.note:
        tw = replace(tw, note=(note("base_new_pair"),))  # neither place was in the last sync
    tw = with_authority(tw, kind, tag in feature.city_authoritative or tag == feature.ref_tag)
    proposal = tw.proposal
    # A city value unfit for OSM (an Excel date as house number, a mail-system name as e-mail) is
    # shown with its reason and left to a person; it is never proposed to OSM.
    problem = city_value_problem(feature, tag, city_value, region) if city_value is not None else None
    if problem:
        value_notes = join_notes(problem, value_notes)
        proposal = "review" if proposal == "to_osm" else proposal
    city_key = comparator.key(city_raw, region) if city_raw is not None else None
    osm_key = comparator.key(osm_value, region) if osm_value is not None else None
    # `field` is the key OSM holds the value under, so that a change sent to OSM edits that key;
    # `city_field` still names the city column behind the mapped tag.
    return _difference(ctx, feature, osm, kind, osm_tag, city_value, osm_value, tw.changed_side, proposal,
                       id_values=(city_key, osm_key), base=(tw.base_city_value, tw.base_osm_value),
                       text=join_notes(value_notes, tw.note), city_field=ctx.city_field(feature, tag))


def _lifecycle_note(osm: OsmPlace, tag: str) -> Note | None:
    """Return a note when OSM has `tag` under a lifecycle prefix (the city says open, OSM not)."""
    for prefix in LIFECYCLE_PREFIXES:
        value = present(osm.tags.get(prefix + tag))
        if value is not None:
            return note("osm_lifecycle", tag=f"{prefix}{tag}={value}")
    return None


def _osm_key_for(tag: str, osm: OsmPlace, taken: set[str]) -> str:
    """Return the key OSM keeps `tag`'s information under: `tag` itself, else a used alias."""
    if present(osm.tags.get(tag)) is not None:
        return tag
    for alias in osm_aliases(tag):
        if alias not in taken and present(osm.tags.get(alias)) is not None:
            return alias
    return tag


def _position(ctx: DiffContext, feature: CityFeature, osm: OsmPlace) -> Difference | None:
    metres = distance_m(feature.geometry, osm.geometry)
    threshold = drift_threshold_m(feature)
    if metres <= threshold:
        return None
    return _position_difference(ctx, feature, osm, metres, note("position", distance_m=metres, threshold_m=threshold))


def _position_difference(ctx: DiffContext, feature: CityFeature, osm: OsmPlace, metres: float,
                         text: Note) -> Difference:
    city_point = display_point(feature.geometry)
    # The id rounds to about 10 m, so that a nudge of a metre or two does not drop a reviewer's decision.
    id_values = (_coordinates(city_point, 4), _coordinates(osm.center, 4))
    side, why = position_side(ctx, feature.source_id, city_point, osm.key, osm.center)
    return _difference(ctx, feature, osm, "position", None, _coordinates(city_point), _coordinates(osm.center),
                       side, _POSITION_PROPOSAL[side], id_values=id_values, distance_m=round(metres, 1),
                       text=join_notes(text, why))


def far_twin(ctx: DiffContext, feature: CityFeature, osm: OsmPlace) -> Difference:
    """Return the position disagreement between a city place the matcher left alone and the OSM
    object of its kind, name and address found too far away to be linked.

    One of the two positions is wrong (a register point 10 km off, a node dragged): creating the
    place again would make a duplicate.
    """
    metres = distance_m(feature.geometry, osm.geometry)
    return _position_difference(ctx, feature, osm, metres, note("twin_far", key=osm.key, distance_m=metres))


def _lifecycle(ctx: DiffContext, feature: CityFeature, osm: OsmPlace) -> Difference | None:
    """Return the move of a closed place's main keys under the lifecycle prefix, if OSM has it active.

    `amenity=library` becomes `disused:amenity=library`: the main key is removed and the prefixed
    key added with the same value; name and every other tag stay.
    """
    active = lifecycle_keys(feature, osm)
    if not active:
        return None  # OSM already has it disused/removed, or under other tags: nothing to propose
    moved = {LIFECYCLE_PREFIX + key: osm.tags[key] for key in active}
    osm_value = render_tags({key: osm.tags[key] for key in active})
    city_value = render_tags(moved)
    # Closing a place is a city-side change when the last sync saw it open (or did not see it).
    base = ctx.base
    side: ChangedSide = ("unknown" if base.empty else "none" if feature.source_id in base.city_closed
                         else "city")
    text: Notes = (note("lifecycle"),)
    proposal: Proposal = "to_osm"
    edit: TagEdit | None = TagEdit.of(moved, active)
    # OSM already holds another value under the prefixed key: writing ours would lose it.
    clashes = sorted(key for key, value in moved.items() if present(osm.tags.get(key)) not in (None, value))
    if clashes:
        proposal, edit = "disagreement", None
        text = join_notes(text, *(note("lifecycle_key_taken", key=key, value=osm.tags[key]) for key in clashes))
    return _difference(ctx, feature, osm, "lifecycle", None, city_value, osm_value, side, proposal,
                       id_values=(city_value, osm_value), text=text, osm_edit=edit)


def lifecycle_keys(feature: CityFeature, osm: OsmPlace) -> list[str]:
    """Return the OSM keys that still say the place is active: those a closure moves under a prefix.

    These are the mapping's match tags OSM has (what made it this kind of place), and the main keys
    (amenity, shop, healthcare...) the category sets with the same value in OSM: a pharmacy has
    both amenity=pharmacy and healthcare=pharmacy to move.
    """
    keys = {key for key, value in feature.match_tags if key in osm.tags and (value == "*" or osm.tags[key] == value)}
    category = {**feature.category_tags, **{k: v for k, v in feature.tags.items() if k in LIFECYCLE_KEYS}}
    keys |= {key for key, value in category.items() if key in LIFECYCLE_KEYS and osm.tags.get(key) == value}
    return sorted(keys)


def _coordinates(point: Point, decimals: int = 5) -> str:
    """Return "lat,lon" rounded to `decimals` (5 decimals is about a metre)."""
    return f"{point.y:.{decimals}f},{point.x:.{decimals}f}"


def _difference(ctx: DiffContext, feature: CityFeature, osm: OsmPlace, kind: DiffKind, tag: str | None,
                city_value: str | None, osm_value: str | None, changed_side: ChangedSide, proposal: Proposal,
                *, id_values: tuple[str | None, str | None], base: tuple[str | None, str | None] = (None, None),
                distance_m: float | None = None, text: Note | Notes | None = None,
                city_field: str | None = None, osm_edit: TagEdit | None = None) -> Difference:
    point = display_point(feature.geometry)
    return Difference(
        id=difference_id(ctx.dataset, feature.source_id, osm.key, tag, id_values[0], id_values[1], kind),
        dataset=ctx.dataset, kind=kind, source_id=feature.source_id, osm_key=osm.key, field=tag,
        city_value=city_value, osm_value=osm_value, changed_side=changed_side, proposal=proposal,
        lon=point.x, lat=point.y, category=feature.category, name=feature.name or osm.tags.get("name"),
        osm_version=osm.version or None, city_field=city_field,
        base_city_value=base[0], base_osm_value=base[1], distance_m=distance_m, note=join_notes(text),
        osm_edit=osm_edit,
    )
