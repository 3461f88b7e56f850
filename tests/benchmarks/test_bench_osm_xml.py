"""The OSM side written as .osm XML reads back, through osmbridge's reader, as the same places."""

from __future__ import annotations

import sys

from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from shared_data import ROOT

if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.osm_input import read_places  # noqa: E402
from benchmarks.osm_xml import write_osm_xml  # noqa: E402
from osmbridge.model import OsmPlace  # noqa: E402


def _place(osm_type, osm_id, geometry, **tags):
    center = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return OsmPlace(osm_type, osm_id, 3, geometry, tags, center)


SQUARE = Polygon([(2.0, 48.0), (2.001, 48.0), (2.001, 48.001), (2.0, 48.001)])
PLACES = [
    _place("n", 5, Point(2.3, 48.8), amenity="school", name="École Lamartine"),
    _place("w", 6, SQUARE, amenity="library", name="Bibliothèque"),
    _place("w", 7, LineString([(2.1, 48.1), (2.101, 48.1)]), leisure="track"),
    _place("r", 8, MultiPolygon([SQUARE, Polygon([(2.01, 48.0), (2.011, 48.0), (2.011, 48.001)])]),
           amenity="university", name="Campus"),
]


def test_places_read_back_with_the_same_keys_tags_and_shapes(tmp_path):
    path = tmp_path / "side.osm"
    assert write_osm_xml(PLACES, path) == 4
    back = {p.key: p for p in read_places(path)[0]}
    assert set(back) == {"n5", "w6", "w7", "r8"}
    for place in PLACES:
        got = back[place.key]
        assert got.tags.get("name") == place.tags.get("name")
        assert got.tags.items() >= {k: v for k, v in place.tags.items()}.items()
        assert got.geometry.geom_type == place.geometry.geom_type
        assert got.geometry.equals_exact(place.geometry, 1e-7) or got.geometry.normalize().equals_exact(
            place.geometry.normalize(), 1e-7)


def test_write_replaces_an_older_file(tmp_path):
    path = tmp_path / "side.osm"
    write_osm_xml(PLACES, path)
    write_osm_xml(PLACES[:1], path)
    assert [p.key for p in read_places(path)[0]] == ["n5"]
    assert list(tmp_path.iterdir()) == [path]
