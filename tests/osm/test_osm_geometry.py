"""Area rules, ring assembly and display points."""

from __future__ import annotations

from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from osmbridge.osm.geometry import display_point, is_area, members_geometry, polygon_from_lines, way_geometry

SQUARE = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]


def test_closed_ways_of_feature_keys_are_areas() -> None:
    assert is_area({"amenity": "school"})
    assert is_area({"building": "yes"})
    assert is_area({"highway": "pedestrian", "area": "yes"})
    assert is_area({"railway": "platform"})


def test_closed_ways_that_stay_lines() -> None:
    assert not is_area({"highway": "pedestrian"})
    assert not is_area({"barrier": "fence"})
    assert not is_area({"natural": "coastline"})
    assert not is_area({"amenity": "school", "area": "no"})
    assert not is_area({"name": "Ring road"})


def test_way_geometry_polygon_line_and_repair() -> None:
    assert isinstance(way_geometry(SQUARE, {"amenity": "school"}), Polygon)
    assert isinstance(way_geometry(SQUARE, {"barrier": "fence"}), LineString)
    assert isinstance(way_geometry(SQUARE[:3], {"amenity": "school"}), LineString)  # open
    bow_tie = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)]
    repaired = way_geometry(bow_tie, {"building": "yes"})
    assert repaired is not None and repaired.is_valid and repaired.area > 0.4


def test_ring_made_of_two_ways_with_a_hole() -> None:
    outer_a = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)]
    outer_b = [(4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    inner = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0), (1.0, 1.0)]
    polygon = polygon_from_lines([outer_a, outer_b, inner])
    assert isinstance(polygon, Polygon)
    assert polygon.area == 16 - 4
    assert len(polygon.interiors) == 1


def test_island_in_a_hole_and_two_outers() -> None:
    outer = [(0.0, 0.0), (6.0, 0.0), (6.0, 6.0), (0.0, 6.0), (0.0, 0.0)]
    hole = [(1.0, 1.0), (5.0, 1.0), (5.0, 5.0), (1.0, 5.0), (1.0, 1.0)]
    island = [(2.0, 2.0), (4.0, 2.0), (4.0, 4.0), (2.0, 4.0), (2.0, 2.0)]
    far = [(10.0, 0.0), (11.0, 0.0), (11.0, 1.0), (10.0, 1.0), (10.0, 0.0)]
    result = polygon_from_lines([outer, hole, island, far])
    assert isinstance(result, MultiPolygon)
    assert result.area == 36 - 16 + 4 + 1
    assert not result.contains(Point(1.5, 3.0)) and result.contains(Point(3.0, 3.0))


def test_segments_drawn_twice_cancel_like_osmium() -> None:
    left = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    right = [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.0)]
    merged = polygon_from_lines([left, right])  # two outers sharing a wall: one building
    assert isinstance(merged, Polygon) and merged.equals(Polygon([(0, 0), (2, 0), (2, 1), (0, 1)]))
    assert polygon_from_lines([left, left]) is None  # an inner drawn over its outer: nothing left
    outer = [(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    hole_a = [(1.0, 0.5), (2.0, 0.5), (2.0, 1.5), (1.0, 1.5), (1.0, 0.5)]
    hole_b = [(2.0, 0.5), (3.0, 0.5), (3.0, 1.5), (2.0, 1.5), (2.0, 0.5)]
    courtyard = polygon_from_lines([outer, hole_a, hole_b])  # touching inners: one hole
    assert isinstance(courtyard, Polygon) and len(courtyard.interiors) == 1 and courtyard.area == 8 - 2


def test_broken_rings_give_no_area() -> None:
    assert polygon_from_lines([[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]]) is None
    assert polygon_from_lines([]) is None


def test_display_point_is_inside_a_polygon_with_a_hole() -> None:
    ring = Polygon(SQUARE, holes=[[(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.1, 0.9)]])
    point = display_point(ring)
    assert ring.contains(point)
    assert not ring.contains(ring.centroid)  # why a centroid would not do


def test_display_point_of_lines_is_on_the_line() -> None:
    line = LineString([(0.0, 0.0), (2.0, 0.0)])
    assert display_point(line).equals(Point(1.0, 0.0))
    assert display_point(Point(3.0, 4.0)).equals(Point(3.0, 4.0))


def test_members_geometry_kinds() -> None:
    assert members_geometry([], []) is None
    assert members_geometry([(0.0, 0.0)], []).geom_type == "Point"
    assert members_geometry([(0.0, 0.0), (1.0, 1.0)], []).geom_type == "MultiPoint"
    assert members_geometry([], [[(0.0, 0.0), (1.0, 0.0)], [(2.0, 0.0), (3.0, 0.0)]]).geom_type == "MultiLineString"
    assert members_geometry([(0.0, 0.0)], [[(0.0, 0.0), (1.0, 0.0)]]).geom_type == "GeometryCollection"
