"""Reading the notes near places: boxes under the API's maximum area, only where places are, full answers split
and asked again, every note near a place read once."""

from __future__ import annotations

from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import client

from osmbridge.osm_notes.read import read_notes_near
from osmbridge.osm_notes.tiles import around, plan_tiles, split_tile

# Places spread over 10 degrees of longitude: one box around them all would be too large for the API.
PLACES = [(-4.48, 48.39), (-1.55, 47.21), (2.35, 48.85), (5.37, 43.30), (5.36, 43.31)]


def test_tiles_stay_under_the_maximum_and_cover_every_place() -> None:
    tiles = plan_tiles(PLACES, 50, 4.0)
    assert all(tile.area_deg2 <= 4.0 for tile in tiles)
    for lon, lat in PLACES:
        assert any(west <= lon <= east and south <= lat <= north for west, south, east, north in
                   (tile.bbox for tile in tiles))
    # Only where places are: five places in four spots need four small boxes, not the whole of France.
    assert len(tiles) == 4 and sum(tile.area_deg2 for tile in tiles) < 0.01


def test_a_split_tile_keeps_its_places_and_shrinks() -> None:
    [tile] = plan_tiles(PLACES[3:], 50, 25.0)
    parts = split_tile(tile, 50)
    assert sorted(p for part in parts for p in part.points) == sorted(PLACES[3:])
    assert all(part.area_deg2 < tile.area_deg2 for part in parts)
    assert split_tile(plan_tiles([(5.37, 43.30)], 50, 25.0)[0], 50) == []  # one spot: nothing to split


def test_every_note_near_a_place_is_read_once_with_boxes_the_api_accepts(osm: OsmNotesEmulator) -> None:
    osm.max_area = 4.0  # a small server maximum: the reader must tile
    expected = set()
    for lon, lat in PLACES:
        expected.add(osm.add_note(lon + 0.0002, lat, f"near {lon}"))
    osm.add_note(0.0, 46.0, "far from every place")
    read = read_notes_near(client(osm), PLACES, distance_m=50, max_area_deg2=4.0, limit=100)
    assert {n.id for n in read.notes} >= expected and read.truncated == 0
    assert read.requests == len([r for r in osm.requests if r[0] == "GET"])
    for _, _, params in osm.requests:  # each box within the server's maximum (it answers 400 otherwise)
        west, south, east, north = (float(v) for v in params["bbox"].split(","))
        assert (east - west) * (north - south) <= 4.0


def test_a_full_answer_is_split_until_nothing_is_missing(osm: OsmNotesEmulator) -> None:
    places = [(-1.55 + i * 0.01, 47.21) for i in range(8)]
    expected = {osm.add_note(lon, lat + 0.0001, f"note {i}") for i, (lon, lat) in enumerate(places)}
    read = read_notes_near(client(osm), places, distance_m=50, limit=3)
    assert {n.id for n in read.notes} == expected
    assert read.requests > 1 and read.truncated == 0
    assert len(read.notes) == len(expected)  # each once


def test_notes_on_one_spot_beyond_the_limit_are_reported_truncated(osm: OsmNotesEmulator) -> None:
    for i in range(5):
        osm.add_note(-1.55, 47.21, f"same spot {i}")
    read = read_notes_near(client(osm), [(-1.55, 47.21)], distance_m=50, limit=3)
    assert len(read.notes) == 3 and read.truncated == 1


def test_around_widens_by_the_distance() -> None:
    west, south, east, north = around([(-1.55, 47.21)], 111.32)
    assert abs((north - south) / 2 - 0.001) < 1e-9 and east - west > north - south  # a degree of longitude is shorter
