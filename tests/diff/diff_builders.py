"""Hand-made city features, OSM places and matches for the diff tests."""

from __future__ import annotations

from collections.abc import Mapping

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from osmbridge.model import CityFeature, CityPlace, Match, OsmPlace

LIBRARY = (("amenity", "library"),)


def feature(source_id: str, tags: Mapping[str, str], *, lon: float = -1.5536, lat: float = 47.2173,
            geometry: BaseGeometry | None = None, category: str = "Bibliothèque", name: str | None = None,
            match_tags: tuple[tuple[str, str], ...] = LIBRARY, match_distance_m: float = 80.0,
            osm_only: frozenset[str] = frozenset(), field_of_tag: Mapping[str, str] | None = None,
            closed: bool = False, mapping: str = "libraries",
            city_authoritative: frozenset[str] = frozenset(),
            category_tags: Mapping[str, str] | None = None) -> CityFeature:
    """Return a city feature of dataset "libraries" at (lon, lat) asserting `tags`."""
    place = CityPlace("libraries", source_id, geometry or Point(lon, lat), {}, "ODbL-1.0", f"test.csv:{source_id}")
    return CityFeature(place=place, mapping=mapping, category=category, name=name or tags.get("name"),
                       tags=dict(tags), match_tags=match_tags, match_distance_m=match_distance_m,
                       ref_tag="ref:FR:NM", city_authoritative=city_authoritative, osm_only=osm_only,
                       field_of_tag=dict(field_of_tag if field_of_tag is not None else {k: k.upper() for k in tags}),
                       closed=closed, category_tags=dict(category_tags or {}))


def osm_place(key: str, tags: Mapping[str, str], *, lon: float = -1.5536, lat: float = 47.2173,
              geometry: BaseGeometry | None = None, version: int = 3) -> OsmPlace:
    """Return an OSM place "n12"/"w34"/"r5" with `tags` at (lon, lat) or on `geometry`."""
    shape = geometry or Point(lon, lat)
    center = shape if isinstance(shape, Point) else shape.representative_point()
    return OsmPlace(key[0], int(key[1:]), version, shape, dict(tags), center)  # type: ignore[arg-type]


def matched(source_id: str, osm_key: str) -> Match:
    """Return a confident link between a city place and an OSM place."""
    return Match(source_id, osm_key, "matched", "geometry+name", 0.95)
