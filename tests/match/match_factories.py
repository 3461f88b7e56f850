"""Builders of hand-made city features and OSM places for the matcher tests."""

from __future__ import annotations

import math

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from osmbridge.model import CityFeature, CityPlace, OsmPlace

_EARTH_RADIUS_M = 6_371_008.8
# Near rue Lamartine, Paris 9e.
ORIGIN = (2.3485, 48.8782)


def at(east_m: float, north_m: float, origin: tuple[float, float] = ORIGIN) -> Point:
    """Return the WGS84 point that many metres east and north of the origin."""
    lon, lat = origin
    dlat = math.degrees(north_m / _EARTH_RADIUS_M)
    dlon = math.degrees(east_m / (_EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return Point(lon + dlon, lat + dlat)


def city(
    source_id: str,
    geometry: BaseGeometry,
    name: str | None,
    primary: tuple[str, str] = ("amenity", "library"),
    *,
    match_tags: tuple[tuple[str, str], ...] | None = None,
    distance_m: float = 50.0,
    extra: dict[str, str] | None = None,
    ref_tag: str | None = "ref:city",
    dataset: str = "test",
) -> CityFeature:
    """Return a city feature as a tag mapping would produce it (its id in `ref_tag`)."""
    tags = {primary[0]: primary[1]}
    if name:
        tags["name"] = name
    if ref_tag:
        tags[ref_tag] = source_id
    tags.update(extra or {})
    place = CityPlace(dataset, source_id, geometry, {"name": name}, "ODbL-1.0", f"test.csv:{source_id}")
    return CityFeature(
        place=place,
        mapping="test",
        category=primary[1],
        name=name,
        tags=tags,
        match_tags=match_tags if match_tags is not None else (primary,),
        match_distance_m=distance_m,
        ref_tag=ref_tag,
    )


def osm(key: str, geometry: BaseGeometry, tags: dict[str, str], version: int = 1) -> OsmPlace:
    """Return an OSM place from a short key ("n1", "w2") and its geometry."""
    center = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return OsmPlace(key[0], int(key[1:]), version, geometry, tags, center)  # type: ignore[arg-type]


def by_city(matches: list) -> dict:
    """Return the matches of city features by source id."""
    return {m.source_id: m for m in matches if m.source_id is not None}


def by_osm(matches: list) -> dict:
    """Return the OSM-side matches (osm_only / duplicate) by OSM key."""
    return {m.osm_key: m for m in matches if m.source_id is None}
