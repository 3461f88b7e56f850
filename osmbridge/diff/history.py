"""Which side changed a place since the last sync: the three-way diff of place-level kinds.

Field kinds compare tag values with the base (`threeway`); places compare what the base keeps of
them: whether each side had the place, what it was linked to, and where it was. Every answer is
either a side or "unknown" with a note saying why; "unknown" without a note means the first sync.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyproj import Geod
from shapely.geometry import Point

from osmbridge.diff.build import DiffContext
from osmbridge.diff.notes import note
from osmbridge.model import ChangedSide, Note

# A position that moved less than this since the last sync did not move: exports round coordinates,
# and a city re-geocoding an address lands a few metres off.
MOVED_M = 5.0
_GEOD = Geod(ellps="WGS84")


def city_only_side(ctx: DiffContext, source_id: str) -> tuple[ChangedSide, Note | None]:
    """Return who changed since the last sync that a city place has no OSM counterpart, and why.

    "city": the record is new; "none": it had no counterpart at the last sync either; "osm": it was
    linked to an OSM object that is gone now (deleted, or no longer of the mapped kind).
    """
    base = ctx.base
    if base.empty:
        return "unknown", None
    if source_id not in base.city_tags:
        return "city", None
    linked = base.city_links.get(source_id)
    if linked is None:
        return "none", None
    if linked not in ctx.osm_keys:
        return "osm", note("link_lost", key=linked)
    return "unknown", note("link_changed", key=linked)


def osm_only_side(ctx: DiffContext, osm_key: str) -> tuple[ChangedSide, Note | None]:
    """Return who changed since the last sync that an OSM place has no city record, and why."""
    base = ctx.base
    if base.empty:
        return "unknown", None
    if osm_key not in base.osm_tags:
        return "osm", None
    linked = base.osm_links.get(osm_key)
    if linked is None:
        return "none", None
    if linked not in ctx.city_ids:
        return "city", note("link_lost", key=linked)
    return "unknown", note("link_changed", key=linked)


def places_side(ctx: DiffContext, source_ids: Iterable[str], osm_keys: Iterable[str]) -> ChangedSide:
    """Return which side brought places new since the last sync into a review item (ambiguous, duplicate)."""
    base = ctx.base
    if base.empty:
        return "unknown"
    city_new = any(s not in base.city_tags for s in source_ids)
    osm_new = any(k not in base.osm_tags for k in osm_keys)
    return "both" if city_new and osm_new else "city" if city_new else "osm" if osm_new else "none"


def position_side(ctx: DiffContext, source_id: str, city_point: Point, osm_key: str,
                  osm_point: Point) -> tuple[ChangedSide, Note | None]:
    """Return which side moved its place since the last sync (more than MOVED_M), and why when unknown."""
    base = ctx.base
    if base.empty:
        return "unknown", None
    city_then, osm_then = base.city_positions.get(source_id), base.osm_positions.get(osm_key)
    if city_then is None or osm_then is None:
        return "unknown", note("base_no_position")
    city_moved = _metres(city_then, city_point) > MOVED_M
    osm_moved = _metres(osm_then, osm_point) > MOVED_M
    return ("both" if city_moved and osm_moved else "city" if city_moved else "osm" if osm_moved else "none"), None


def _metres(then: tuple[float, float], now: Point) -> float:
    return float(_GEOD.inv(then[0], then[1], now.x, now.y)[2])
