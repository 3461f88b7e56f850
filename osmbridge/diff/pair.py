"""Differences of one matched pair: tag by tag, position drift, and lifecycle."""

from __future__ import annotations

from shapely.geometry import Point

from osmbridge.diff.build import DiffContext, present
from osmbridge.diff.comparators import comparator_for, osm_aliases
from osmbridge.diff.geometry import display_point, distance_m
from osmbridge.diff.ids import difference_id
from osmbridge.diff.notes import join_notes, note
from osmbridge.diff.region import pair_region
from osmbridge.diff.threeway import three_way, with_authority
from osmbridge.model import ChangedSide, CityFeature, Difference, DiffKind, Note, Notes, OsmPlace, Proposal

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
    tw = with_authority(tw, kind, tag in feature.city_authoritative or tag == feature.ref_tag)
    city_key = comparator.key(city_raw, region) if city_raw is not None else None
    osm_key = comparator.key(osm_value, region) if osm_value is not None else None
    # `field` is the key OSM holds the value under, so that a change sent to OSM edits that key;
    # `city_field` still names the city column behind the mapped tag.
    return _difference(ctx, feature, osm, kind, osm_tag, city_value, osm_value, tw.changed_side, tw.proposal,
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
    city_point = display_point(feature.geometry)
    # The id rounds to about 10 m, so that a nudge of a metre or two does not drop a reviewer's decision.
    id_values = (_coordinates(city_point, 4), _coordinates(osm.center, 4))
    # The base holds tags, not positions: nothing says which side moved.
    return _difference(ctx, feature, osm, "position", None, _coordinates(city_point), _coordinates(osm.center),
                       "unknown", "disagreement", id_values=id_values, distance_m=round(metres, 1),
                       text=note("position", distance_m=metres, threshold_m=threshold))


def _lifecycle(ctx: DiffContext, feature: CityFeature, osm: OsmPlace) -> Difference | None:
    active = sorted({key for key, value in feature.match_tags
                     if key in osm.tags and (value == "*" or osm.tags[key] == value)})
    if not active:
        return None  # OSM already has it disused/removed, or under other tags: nothing to propose
    osm_value = ";".join(f"{key}={osm.tags[key]}" for key in active)
    city_value = ";".join(f"{LIFECYCLE_PREFIX}{key}={osm.tags[key]}" for key in active)
    # Closing a place is a city-side change when the last sync saw it open.
    base = ctx.base
    side: ChangedSide = ("unknown" if feature.source_id not in base.city_tags
                         else "none" if feature.source_id in base.city_closed else "city")
    return _difference(ctx, feature, osm, "lifecycle", active[0], city_value, osm_value, side, "to_osm",
                       id_values=(city_value, osm_value), text=note("lifecycle"))


def _coordinates(point: Point, decimals: int = 5) -> str:
    """Return "lat,lon" rounded to `decimals` (5 decimals is about a metre)."""
    return f"{point.y:.{decimals}f},{point.x:.{decimals}f}"


def _difference(ctx: DiffContext, feature: CityFeature, osm: OsmPlace, kind: DiffKind, tag: str | None,
                city_value: str | None, osm_value: str | None, changed_side: ChangedSide, proposal: Proposal,
                *, id_values: tuple[str | None, str | None], base: tuple[str | None, str | None] = (None, None),
                distance_m: float | None = None, text: Note | Notes | None = None,
                city_field: str | None = None) -> Difference:
    point = display_point(feature.geometry)
    return Difference(
        id=difference_id(ctx.dataset, feature.source_id, osm.key, tag, id_values[0], id_values[1], kind),
        dataset=ctx.dataset, kind=kind, source_id=feature.source_id, osm_key=osm.key, field=tag,
        city_value=city_value, osm_value=osm_value, changed_side=changed_side, proposal=proposal,
        lon=point.x, lat=point.y, category=feature.category, name=feature.name or osm.tags.get("name"),
        osm_version=osm.version or None, city_field=city_field,
        base_city_value=base[0], base_osm_value=base[1], distance_m=distance_m, note=join_notes(text),
    )
