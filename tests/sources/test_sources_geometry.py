"""Numbers, geometry values, CRS conversion and coordinate-column detection, piece by piece."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from osmbridge.sources.columns import find_lat_lon, normalise
from osmbridge.sources.geometry import parse_geometry, parse_lat_lon_pair, parse_number, projector_for


@pytest.mark.parametrize(("text", "number"), [
    ("47.2133", 47.2133), ("47,2133", 47.2133), (" -1,5536 ", -1.5536), ("+3", 3.0), (".5", 0.5),
    ("6 776 558,9", 6776558.9), ("6\u00a0776\u00a0558,9", 6776558.9), ("1.234.567,89", 1234567.89),
    ("1,234,567.89", 1234567.89), ("19. 4768", 19.4768), ("1.5e3", 1500.0), (12, 12.0), (-1.25, -1.25),
])
def test_numbers_read(text: object, number: float) -> None:
    assert parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["", "abc", "50.0539,04", "1,2,3", "nan", "inf", "1_000", "47°12'", "12.3.4",
                                  True, None, [47.2]])
def test_numbers_refused(text: object) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_geometry_values() -> None:
    assert parse_geometry("POINT (2.35 48.85)") == (Point(2.35, 48.85), None)
    assert parse_geometry("SRID=2154;POINT (700000 6600000)")[1] == "EPSG:2154"
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}
    assert parse_geometry(feature)[0].equals(Point(2.35, 48.85))
    assert parse_geometry('{"type": "LineString", "coordinates": [[0, 1], [1, 2]]}')[0].length > 0


def test_lat_lon_pairs_in_the_opendatasoft_order() -> None:
    assert parse_lat_lon_pair({"lon": 4.8, "lat": 45.7}) == (45.7, 4.8)
    assert parse_lat_lon_pair([45.7, 4.8]) == (45.7, 4.8)
    assert parse_lat_lon_pair("45.7, 4.8") == (45.7, 4.8)
    assert parse_lat_lon_pair("45,7;4,8") == (45.7, 4.8)
    with pytest.raises(ValueError):
        parse_lat_lon_pair("45.7 4.8 12")


def test_projector_converts_known_points() -> None:
    lambert = projector_for("EPSG:2154")
    origin = lambert.to_wgs84(Point(700000, 6600000))
    assert (origin.x, origin.y) == pytest.approx((3.0, 46.5), abs=1e-9)
    # Web Mercator: x = R * lon in radians, so lon 90°E is a quarter of the 40,075,016.686 m equator.
    mercator = projector_for("EPSG:3857").to_wgs84(Point(40075016.68557849 / 4, 0.0001))
    assert mercator.x == pytest.approx(90.0)
    wgs84 = projector_for("EPSG:4326")
    assert wgs84.to_wgs84(Point(-1.5, 47.2)).equals(Point(-1.5, 47.2))
    assert projector_for("urn:ogc:def:crs:OGC:1.3:CRS84").crs == "EPSG:4326"


def test_projected_point_outside_its_area() -> None:
    with pytest.raises(ValueError, match="outside the area where EPSG:2154 is used"):
        projector_for("EPSG:2154").to_wgs84(Point(2000000, 9000000))


@pytest.mark.parametrize(("columns", "found"), [
    (["id", "Latitude", "Longitude"], ("Latitude", "Longitude")),
    (["SZEROKOŚĆ GEOGRAFICZNA", "DŁUGOŚĆ GEOGRAFICZNA"], ("SZEROKOŚĆ GEOGRAFICZNA", "DŁUGOŚĆ GEOGRAFICZNA")),
    (["Breitengrad", "Längengrad"], ("Breitengrad", "Längengrad")),
    (["geo_lat", "geo_lng", "nom_long"], ("geo_lat", "geo_lng")),
    (["latitude", "longitude", "coordonnee_X", "coordonnee_Y"], ("latitude", "longitude")),
    (["coordonnee_X", "coordonnee_Y"], ("coordonnee_Y", "coordonnee_X")),
    (["X", "Y", "nom"], ("Y", "X")),
    (["lat", "long"], ("lat", "long")),
    (["nom_long", "adresse"], None),
])
def test_coordinate_columns_detected(columns: list[str], found: tuple[str, str] | None) -> None:
    assert find_lat_lon(columns) == found


def test_names_are_compared_without_case_accents_or_punctuation() -> None:
    assert normalise("DŁUGOŚĆ  GEOGRAFICZNA") == "dlugosc geograficzna"
    assert normalise("Coordonnée_X (Lambert-93)") == "coordonnee x lambert 93"
