"""What a run moves into the sync base: the values both sides agree on (the store only saves them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from shapely.geometry import Point

from osmbridge.diff.comparators import osm_aliases
from osmbridge.diff.geometry import display_point
from osmbridge.model import CityFeature, Difference, Match, OsmPlace, SyncBase, SyncBaseUpdate

# Differences about a tag's value: a tag without one of these agrees on both sides.
FIELD_KINDS = frozenset({"differs", "minor", "only_city", "only_osm"})


def next_sync_base(base: SyncBase, city: Sequence[CityFeature], osm: Sequence[OsmPlace],
                   matches: Sequence[Match], differences: Sequence[Difference]) -> SyncBaseUpdate:
    """Return what moves into the base: everything on a dataset's first sync, then only what both sides agree on.

    A base that followed every run would forget who changed what after one run; keeping the last
    agreed values makes "the city changed this" stay true until OSM takes the change (or rejects it).
    Positions move forward for linked pairs with no position difference; links are those of the
    pairs matched (the first run records unlinked places too, with no link).
    """
    city_links = {m.source_id: m.osm_key for m in _matched(matches) if m.source_id and m.osm_key}
    osm_links = {osm_key: source_id for source_id, osm_key in city_links.items()}
    if base.empty:
        return SyncBaseUpdate(city={f.source_id: dict(f.tags) for f in city},
                              osm={p.key: dict(p.tags) for p in osm},
                              city_closed={f.source_id: f.closed for f in city},
                              city_positions={f.source_id: _lon_lat(display_point(f.geometry)) for f in city},
                              osm_positions={p.key: _lon_lat(p.center) for p in osm},
                              city_links=city_links, osm_links=osm_links)
    moved_apart = {(d.source_id, d.osm_key) for d in differences if d.kind == "position"}
    disagreeing = {(d.source_id, d.osm_key, d.field) for d in differences if d.kind in FIELD_KINDS}
    # No lifecycle difference: both sides agree on whether the place is open.
    lifecycle_disputed = {(d.source_id, d.osm_key) for d in differences if d.kind == "lifecycle"}
    by_id = {f.source_id: f for f in city}
    by_key = {p.key: p for p in osm}
    city_tags: dict[str, dict[str, str | None]] = {}
    osm_tags: dict[str, dict[str, str | None]] = {}
    closed: dict[str, bool] = {}
    city_positions: dict[str, tuple[float, float]] = {}
    osm_positions: dict[str, tuple[float, float]] = {}
    for match in _matched(matches):
        feature, place = by_id.get(match.source_id or ""), by_key.get(match.osm_key or "")
        if feature is None or place is None:
            continue
        # OSM may hold a mapped tag under an alias (contact:phone for phone); the difference names the alias.
        keys = {tag: (tag, *osm_aliases(tag)) for tag in feature.tags}
        agreed = [tag for tag in feature.tags
                  if not any((match.source_id, match.osm_key, key) in disagreeing for key in keys[tag])]
        city_tags.setdefault(feature.source_id, {}).update({tag: feature.tags.get(tag) for tag in agreed})
        osm_tags.setdefault(place.key, {}).update({key: place.tags.get(key) for tag in agreed for key in keys[tag]})
        if (match.source_id, match.osm_key) not in lifecycle_disputed:
            closed[feature.source_id] = feature.closed
        if (match.source_id, match.osm_key) not in moved_apart:
            city_positions[feature.source_id] = _lon_lat(display_point(feature.geometry))
            osm_positions[place.key] = _lon_lat(place.center)
    return SyncBaseUpdate(city=city_tags, osm=osm_tags, city_closed=closed, city_positions=city_positions,
                          osm_positions=osm_positions, city_links=city_links, osm_links=osm_links)


def _lon_lat(point: Point) -> tuple[float, float]:
    return (point.x, point.y)


def _matched(matches: Iterable[Match]) -> Iterable[Match]:
    return (m for m in matches if m.status == "matched" and m.source_id and m.osm_key)
