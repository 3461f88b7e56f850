"""Distances in metres between WGS84 geometries, and display positions."""

from __future__ import annotations

import math

from pyproj import Geod
from shapely.affinity import scale
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

_GEOD = Geod(ellps="WGS84")


def display_point(geometry: BaseGeometry) -> Point:
    """Return a point to show `geometry` at: itself for a point, else a point inside or on it."""
    if isinstance(geometry, Point):
        return geometry
    return geometry.representative_point()


def distance_m(city: BaseGeometry, osm: BaseGeometry) -> float:
    """Return the geodesic distance in metres between two geometries; 0 when they touch or overlap.

    Two points: the geodesic between them. Otherwise the closest points of the two geometries are
    found with longitudes scaled by cos(latitude), which makes a degree of longitude and of
    latitude the same length locally (a new pyproj projection per pair would cost milliseconds
    each); their distance is then measured on the WGS84 ellipsoid. At the scale of a match
    distance the error is far below a metre.
    """
    if isinstance(city, Point) and isinstance(osm, Point):
        return float(_GEOD.inv(city.x, city.y, osm.x, osm.y)[2])
    if city.intersects(osm):
        return 0.0
    factor = math.cos(math.radians(display_point(city).y))
    near_city, near_osm = nearest_points(*(scale(g, xfact=factor, yfact=1.0, origin=(0, 0)) for g in (city, osm)))
    _, _, metres = _GEOD.inv(near_city.x / factor, near_city.y, near_osm.x / factor, near_osm.y)
    return float(metres)
