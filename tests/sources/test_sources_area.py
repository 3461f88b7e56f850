"""check_area: records outside the dataset's area are left out one by one, or stop the run naming the cause."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, box

from osmbridge.errors import ConfigError, SourceError
from osmbridge.model import CityPlace
from osmbridge.sources.area import DatasetArea, check_area

GRENOBLE = (45.10, 5.60, 45.30, 5.85)  # south, west, north, east


def place(n: int, lon: float, lat: float) -> CityPlace:
    return CityPlace("racks", str(n), Point(lon, lat), {}, "ODbL-1.0", f"racks.csv:{n + 1}")


def racks(count: int = 20) -> list[CityPlace]:
    return [place(n, 5.70 + n * 0.005, 45.15 + n * 0.005) for n in range(count)]


def test_records_inside_the_area_all_pass() -> None:
    places = racks()
    inside, outside = check_area(places, DatasetArea.from_config(GRENOBLE, "racks", "config.toml"), crs="EPSG:4326")
    assert inside == places and outside == []


def test_a_few_records_outside_are_left_out_and_listed_with_the_reason() -> None:
    places = racks()
    places[3] = place(3, 45.17, 5.71)  # this record's latitude and longitude swapped
    places[7] = place(7, 2.35, 48.85)  # in Paris
    inside, outside = check_area(places, DatasetArea.from_config(GRENOBLE, "racks", "config.toml"), crs="EPSG:4326")
    assert len(inside) == 18 and [s.origin for s in outside] == ["racks.csv:4", "racks.csv:8"]
    assert outside[0].problem.startswith("lies outside the area of dataset racks (datasets.racks.area.bbox = "
                                         "[45.1, 5.6, 45.3, 5.85]), at lat 5.71, lon 45.17; left out")
    assert outside[0].problem.endswith("with latitude and longitude swapped it would lie inside: check the record's "
                                       "coordinates")
    assert "swapped" not in outside[1].problem and "lat 48.85, lon 2.35" in outside[1].problem


def test_all_records_swapped_stop_naming_the_swap() -> None:
    """All of Grenoble at lat 5.7 / lon 45.2: valid degrees, in Somalia. Without a config bbox only the swap fits."""
    swapped = [place(n, p.geometry.y, p.geometry.x) for n, p in enumerate(racks())]
    extent = DatasetArea.from_osm_extent([Point(5.72, 45.18), Point(5.74, 45.19)], "racks")
    assert extent is not None
    with pytest.raises(SourceError) as raised:
        check_area(swapped, extent, crs="EPSG:4326")
    message = str(raised.value)
    assert message.startswith("20 of the 20 records lie outside the extent of the OSM data read for dataset racks")
    assert "20 of them would lie inside with latitude and longitude swapped (e.g. racks.csv:1 at lat 5.7, lon 45.15)" \
        in message
    assert "swap lat_field and lon_field in the source spec" in message


def test_with_a_config_bbox_a_swap_names_both_the_bbox_and_the_records() -> None:
    """A bbox written [west, south, east, north] and swapped records look the same: the message offers both."""
    places = racks()
    written_lon_lat = (5.60, 45.10, 5.85, 45.30)
    with pytest.raises(ConfigError) as raised:
        check_area(places, DatasetArea.from_config(written_lon_lat, "racks", "/etc/osmbridge/config.toml"),
                   crs="EPSG:4326")
    error = raised.value
    assert (error.path, error.key) == ("/etc/osmbridge/config.toml", "datasets.racks.area.bbox")
    assert "would lie inside if the bbox were written [west, south, east, north]" in error.problem
    assert "write it [south, west, north, east]: [45.1, 5.6, 45.3, 5.85]" in error.problem
    assert "swap lat_field and lon_field" in error.problem


def test_records_far_away_name_the_crs_and_the_bbox() -> None:
    """Lambert-93 read as the wrong projected CRS lands somewhere valid but far: the crs and the bbox are named."""
    far = [place(n, -60.0 + n * 0.001, -10.0) for n in range(15)] + racks(5)
    with pytest.raises(SourceError) as raised:
        check_area(far, DatasetArea.from_config(GRENOBLE, "racks", "config.toml"), crs="EPSG:27572")
    message = str(raised.value)
    assert message.startswith("15 of the 20 records lie outside the area of dataset racks")
    assert "they lie around lat -10.0000, lon -59.9930" in message
    assert "Check the crs of the source spec ('EPSG:27572'" in message
    assert "datasets.racks.area.bbox in config.toml" in message


def test_a_polygon_crossing_the_edge_is_inside() -> None:
    park = CityPlace("parks", "1", box(5.84, 45.20, 5.90, 45.22), {}, "ODbL-1.0", "parks.geojson#feature 1")
    inside, outside = check_area([park], DatasetArea.from_config(GRENOBLE, "parks", "c.toml"), crs="EPSG:4326")
    assert inside == [park] and outside == []


def test_the_osm_extent_is_widened_and_none_without_osm() -> None:
    area = DatasetArea.from_osm_extent([Point(5.70, 45.15), Point(5.80, 45.25)], "racks")
    assert area is not None and area.config_file is None
    assert area.bbox == pytest.approx((44.90, 5.45, 45.50, 6.05))  # 0.25 degree at least on each side
    wide = DatasetArea.from_osm_extent([Point(14.1, 49.0), Point(24.2, 54.9)], "policja")
    assert wide is not None and wide.bbox == pytest.approx((46.05, 9.05, 57.85, 29.25))  # half the span
    assert DatasetArea.from_osm_extent([], "racks") is None
