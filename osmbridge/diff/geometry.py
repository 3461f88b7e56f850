"""Distances in metres between WGS84 geometries, and display positions."""

from __future__ import annotations

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

_GEOD = Geod(ellps="WGS84")


def display_point(geometry: BaseGeometry) -> Point:
    """Return a point to show `geometry` at: itself for a point, else a point inside or on it."""
    if isinstance(geometry, Point):
        return geometry
    return geometry.representative_point()


def distance_m(city: BaseGeometry, osm: BaseGeometry) -> float:
    """Return the distance in metres between two geometries; 0 when they touch or overlap.

    Two points: geodesic distance on the WGS84 ellipsoid. Otherwise both geometries are projected
    to an azimuthal equidistant projection centred on the city geometry, where distances from
    the centre are true and distances nearby are accurate to well under a metre at city scale.
    """
    if isinstance(city, Point) and isinstance(osm, Point):
        _, _, metres = _GEOD.inv(city.x, city.y, osm.x, osm.y)
        return float(metres)
    centre = display_point(city)
    local = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m", always_xy=True
    )
    city_m, osm_m = (shapely.transform(g, local.transform, interleaved=False) for g in (city, osm))
    return float(city_m.distance(osm_m))
