"""Overpass answer files (JSON, XML) and overpass-turbo GeoJSON: every geometry style, real exports."""

from __future__ import annotations

import bz2
import json
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point, Polygon

from shared_data import TEST_DATA, require_shared
from emulators.overpass import OverpassEmulator
from osmbridge.errors import OsmSourceError
from osmbridge.model import OsmPlace, TagFilter
from osmbridge.osm import read_osm_file

SMALL = TEST_DATA / "osm" / "small.osm"
SCHOOL = TagFilter("amenity", "school")
HEADER = {"version": 0.6, "generator": "Overpass API 0.7.61.5 4133829e",
          "osm3s": {"timestamp_osm_base": "2024-03-01T23:14:46Z", "copyright": "ODbL"}}


def by_key(places: list[OsmPlace]) -> dict[str, OsmPlace]:
    return {place.key: place for place in places}


def write_json(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def overpass_export(tmp_path: Path, output: str) -> Path:
    """An Overpass JSON answer for the hand-made extract, as an export saved from Overpass."""
    with OverpassEmulator(SMALL) as overpass:
        status, content_type, body = overpass.answer(
            f'[out:json];nwr["amenity"="school"](47.9,1.9,48.1,2.1);out meta {output};')
    assert (status, content_type) == (200, "application/json")
    path = tmp_path / f"export-{output}.json"
    path.write_bytes(body)
    return path


def test_out_geom_export_gives_the_same_places_as_the_extract(tmp_path: Path) -> None:
    from_json = by_key(read_osm_file(overpass_export(tmp_path, "geom"), [SCHOOL]))
    from_osm = by_key(read_osm_file(SMALL, [SCHOOL]))
    assert from_json.keys() == from_osm.keys()
    for key, place in from_osm.items():
        other = from_json[key]
        assert other.geometry.equals(place.geometry), key
        assert (other.tags, other.version, other.timestamp) == (place.tags, place.version, place.timestamp)
        assert other.center.distance(place.center) < 1e-9


def test_out_center_export_gives_points(tmp_path: Path) -> None:
    places = by_key(read_osm_file(overpass_export(tmp_path, "center"), [SCHOOL]))
    assert places["w10"].geometry.equals(Point(2.0015, 48.0015))
    assert places["r20"].geometry.equals(Point(2.012, 48.002))  # bbox centre, in the courtyard: all Overpass says
    assert "r40" not in places  # no member in the extract, no centre


def test_ways_resolved_against_nodes_in_the_file(tmp_path: Path) -> None:
    nodes = [{"type": "node", "id": i, "lat": lat, "lon": lon}
             for i, (lon, lat) in enumerate([(2.0, 48.0), (2.1, 48.0), (2.1, 48.1), (2.0, 48.1)], start=1)]
    data = dict(HEADER, elements=[
        {"type": "way", "id": 7, "version": 2, "timestamp": "2023-01-01T00:00:00Z", "nodes": [1, 2, 3, 4, 1],
         "tags": {"amenity": "police", "name": "Komenda"}},
        {"type": "way", "id": 8, "nodes": [1, 2, 99, 1], "tags": {"amenity": "police"}},  # node 99 not in the file
        {"type": "way", "id": 9, "nodes": [1, 99], "center": {"lat": 48.05, "lon": 2.05},
         "tags": {"amenity": "police"}},
        {"type": "area", "id": 3600000001, "tags": {"amenity": "police"}},
        *nodes,
    ])
    places = by_key(read_osm_file(write_json(tmp_path, "police.json", data), [TagFilter("amenity", "police")]))
    assert set(places) == {"w7", "w8", "w9"}
    assert places["w7"].geometry.equals(Polygon([(2.0, 48.0), (2.1, 48.0), (2.1, 48.1), (2.0, 48.1)]))
    # What is there of a way cut by the export, as a line: closing it would invent an area.
    assert places["w8"].geometry.equals(LineString([(2.0, 48.0), (2.1, 48.0), (2.0, 48.0)]))
    assert places["w7"].version == 2 and places["w7"].timestamp == "2023-01-01T00:00:00Z"
    assert places["w9"].geometry.equals(Point(2.05, 48.05)) and places["w9"].version == 0


def test_malformed_overpass_json(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.json"
    truncated.write_text('{"version": 0.6, "elements": [{"type": "node", "id": 1,')
    other = write_json(tmp_path, "other.json", {"results": []})
    bad_element = write_json(tmp_path, "bad.json", dict(HEADER, elements=[{"type": "node", "id": "x", "lat": 1}]))
    for path, words in ((truncated, "line 1"), (other, "neither"), (bad_element, "element 0")):
        with pytest.raises(OsmSourceError) as error:
            read_osm_file(path, [SCHOOL])
        assert str(path) in str(error.value) and words in str(error.value)


def test_turbo_geojson_ids_tags_and_meta(tmp_path: Path) -> None:
    square = [[[2.0, 48.0], [2.1, 48.0], [2.1, 48.1], [2.0, 48.1], [2.0, 48.0]]]
    data = {"type": "FeatureCollection", "generator": "overpass-turbo", "features": [
        {"type": "Feature", "id": "node/5", "geometry": {"type": "Point", "coordinates": [2.0, 48.0]},
         "properties": {"@id": "node/5", "amenity": "bicycle_parking", "capacity": 8, "@version": 3,
                        "@timestamp": "2022-02-02T00:00:00Z", "@relations": [{"role": "", "rel": 1}]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square},
         "properties": {"@id": "way/6", "amenity": "bicycle_parking"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.2, 48.2]},  # osmtogeojson < 2.2
         "properties": {"type": "node", "id": 7, "tags": {"amenity": "bicycle_parking"}, "meta": {"version": 5}}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.3, 48.3]},
         "properties": {"amenity": "bicycle_parking"}},  # no OSM id: left out
        {"type": "Feature", "id": "node/8", "geometry": None, "properties": {"amenity": "bicycle_parking"}},
    ]}
    path = write_json(tmp_path, "racks.geojson", data)
    places = by_key(read_osm_file(path, [TagFilter("amenity", "bicycle_parking")]))
    assert set(places) == {"n5", "w6", "n7"}
    assert places["n5"].tags == {"amenity": "bicycle_parking", "capacity": "8"}  # no @-keys, values as text
    assert places["n5"].version == 3 and places["n5"].timestamp == "2022-02-02T00:00:00Z"
    assert isinstance(places["w6"].geometry, Polygon) and places["w6"].geometry.contains(places["w6"].center)
    assert places["w6"].version == 0 and places["n7"].version == 5


def test_geojson_without_osm_ids_is_refused(tmp_path: Path) -> None:
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.3, 48.3]}, "properties": {"a": "b"}}]}
    path = write_json(tmp_path, "city.geojson", data)
    with pytest.raises(OsmSourceError, match="OSM id"):
        read_osm_file(path, [])


# --- real exports -------------------------------------------------------------------------------


def test_poland_police_overpass_json() -> None:
    path = require_shared("poland-offices/policja/osm_overpass.json")
    places = read_osm_file(path, [TagFilter("amenity", "police")])
    ways = [p for p in places if p.osm_type == "w"]
    nodes = [p for p in places if p.osm_type == "n"]
    # 2,189 tagged elements in the file; 1,877 are amenity=police (the rest are entrances and such),
    # and node 5007005813 is written twice (a police node that is also a police way's vertex).
    assert (len(nodes), len(ways)) == (814, 1062)
    assert len({p.key for p in places}) == len(places)
    # The ways come with node lists resolved against the file's untagged nodes: all closed, all polygons.
    assert all(isinstance(w.geometry, Polygon) and w.geometry.is_valid for w in ways)
    assert all(w.geometry.contains(w.center) for w in ways)
    grochowska = next(w for w in ways if w.osm_id == 28287786)
    assert grochowska.version == 7 and grochowska.tags["addr:street"] == "Grochowska"
    assert len(grochowska.geometry.exterior.coords) == 7
    assert all(48.9 < p.center.y < 55 and 14 < p.center.x < 24.2 for p in places)  # inside Poland


def test_grenoble_bicycle_parking_turbo_geojson() -> None:
    path = require_shared("grenoble-arceaux/arceaux-overpass-2023-03-05.geojson")
    places = read_osm_file(path, [TagFilter("amenity", "bicycle_parking")])
    assert len(places) == 1812  # SOURCE.md
    kinds = {(p.osm_type, p.geometry.geom_type) for p in places}
    assert kinds == {("n", "Point"), ("w", "Polygon")}
    assert sum(1 for p in places if p.osm_type == "w") == 7
    assert not any(key.startswith("@") for p in places for key in p.tags)
    assert all(p.version == 0 for p in places)  # exported without meta
    covered = next(p for p in places if p.key == "w85388328")
    assert covered.tags["covered"] == "yes" and covered.geometry.contains(covered.center)


# --- Overpass XML -------------------------------------------------------------------------------


def test_overpass_xml_with_inline_geometry_matches_the_extract(tmp_path: Path) -> None:
    fixture = TEST_DATA / "osm" / "overpass-geom.osm"  # osmium refuses <nd lat lon> in <member>
    from_xml = by_key(read_osm_file(fixture, [SCHOOL]))
    from_osm = by_key(read_osm_file(SMALL, [SCHOOL]))
    assert set(from_xml) == {"n1", "w10", "r20", "r30"}
    for key, place in from_xml.items():
        assert place.geometry.equals(from_osm[key].geometry), key
        assert (place.tags, place.version, place.timestamp) == (from_osm[key].tags, from_osm[key].version,
                                                                from_osm[key].timestamp)
    compressed = tmp_path / "answer.osm.bz2"
    compressed.write_bytes(bz2.compress(fixture.read_bytes()))
    assert by_key(read_osm_file(compressed, [SCHOOL])).keys() == from_xml.keys()


def test_overpass_xml_with_centres_only() -> None:
    places = by_key(read_osm_file(TEST_DATA / "osm" / "overpass-center.osm", [SCHOOL]))
    assert places["w10"].geometry.equals(Point(2.0015, 48.0015)) and places["w10"].version == 0
    assert places["r20"].geometry.equals(Point(2.012, 48.002))


def test_truncated_overpass_xml(tmp_path: Path) -> None:
    cut = tmp_path / "cut.osm"
    cut.write_bytes((TEST_DATA / "osm" / "overpass-geom.osm").read_bytes()[:1500])
    with pytest.raises(OsmSourceError, match="invalid XML") as error:
        read_osm_file(cut, [SCHOOL])
    assert str(cut) in str(error.value)
