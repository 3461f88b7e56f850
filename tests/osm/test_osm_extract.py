"""Local extracts read with osmium: formats, tag filters, geometry rules, real extracts."""

from __future__ import annotations

import bz2
import gzip
import shutil
from pathlib import Path

import osmium
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from shared_data import TEST_DATA, require_shared
from osmbridge.errors import OsmSourceError
from osmbridge.model import OsmPlace, TagFilter
from osmbridge.osm import extract, read_osm_file

SMALL = TEST_DATA / "osm" / "small.osm"
SCHOOL = TagFilter("amenity", "school")


def by_key(places: list[OsmPlace]) -> dict[str, OsmPlace]:
    return {place.key: place for place in places}


def test_hand_made_extract_schools() -> None:
    places = by_key(read_osm_file(SMALL, [SCHOOL]))
    assert set(places) == {"n1", "w10", "w50", "r20", "r30"}  # r40 has no member: left out
    node = places["n1"]
    assert node.version == 3 and node.timestamp == "2021-05-01T10:00:00Z"
    assert node.tags == {"amenity": "school", "name": 'École du Nœud "A"', "ref:UAI": "0750001A"}
    assert node.geometry.equals(Point(2.0, 48.0)) and node.center.equals(node.geometry)
    assert places["w10"].geometry.equals(box(2.001, 48.001, 2.002, 48.002))
    assert places["w10"].version == 2 and places["w10"].timestamp == "2020-02-02T02:02:02Z"


def test_multipolygon_with_hole_and_centre_inside() -> None:
    ring = by_key(read_osm_file(SMALL, [SCHOOL]))["r20"]
    assert isinstance(ring.geometry, Polygon) and len(ring.geometry.interiors) == 1
    assert ring.geometry.area == pytest.approx(0.004**2 - 0.002**2)
    assert ring.geometry.contains(ring.center)  # the centroid would be in the courtyard
    assert ring.version == 5


def test_multipolygon_from_two_open_ways_and_line_rules() -> None:
    places = by_key(read_osm_file(SMALL, [TagFilter("leisure"), TagFilter("highway"), TagFilter("barrier")]))
    assert places["r23"].geometry.equals(box(2.020, 48.0, 2.022, 48.002))
    assert isinstance(places["w11"].geometry, LineString)
    assert isinstance(places["w12"].geometry, LineString) and places["w12"].geometry.is_closed  # highway ring
    assert isinstance(places["w13"].geometry, LineString)  # a fence around nothing
    assert places["w11"].center.equals(Point(2.0035, 48.0005))


def test_other_relations_take_their_members_geometry() -> None:
    site = by_key(read_osm_file(SMALL, [SCHOOL]))["r30"]
    assert site.geometry.geom_type == "GeometryCollection"
    assert {g.geom_type for g in site.geometry.geoms} == {"Point", "LineString"}
    assert site.geometry.intersects(site.center)


def test_way_with_a_missing_node_keeps_the_located_part() -> None:
    cut = by_key(read_osm_file(SMALL, [SCHOOL]))["w50"]
    assert cut.geometry.equals(LineString([(2.003, 48.0), (2.004, 48.001)]))


def test_filters_key_only_and_empty() -> None:
    assert set(by_key(read_osm_file(SMALL, [TagFilter("ref:UAI")]))) == {"n1"}
    assert by_key(read_osm_file(SMALL, [TagFilter("amenity", "hospital")])) == {}
    everything = by_key(read_osm_file(SMALL, []))
    assert "n2" not in everything  # only created_by/source: not a place
    assert {"n1", "w10", "w11", "w12", "w13", "w50", "r20", "r23", "r30"} <= set(everything)
    assert not {"n101", "n205", "w21", "w24"} & set(everything)  # untagged members are not places


def test_bbox_keeps_what_intersects() -> None:
    # south, west, north, east: the square school, the cut way crossing it, the ring's west edge
    places = by_key(read_osm_file(SMALL, [SCHOOL], bbox=(48.0005, 2.0009, 48.0035, 2.0105)))
    assert set(places) == {"w10", "w50", "r20"}


@pytest.mark.parametrize("suffix, opener", [(".osm.bz2", bz2.open), (".osm.gz", gzip.open)])
def test_compressed_xml(tmp_path: Path, suffix: str, opener) -> None:
    target = tmp_path / f"extract{suffix}"
    with opener(target, "wb") as out:
        out.write(SMALL.read_bytes())
    assert by_key(read_osm_file(target, [SCHOOL])).keys() == by_key(read_osm_file(SMALL, [SCHOOL])).keys()


def test_format_sniffed_when_the_name_does_not_say(tmp_path: Path) -> None:
    pbf = tmp_path / "extract.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(SMALL)):
            writer.add(obj)
    unnamed = tmp_path / "download.bin"
    shutil.copy(pbf, unnamed)
    bz = tmp_path / "download2"
    bz.write_bytes(bz2.compress(SMALL.read_bytes()))
    expected = by_key(read_osm_file(SMALL, [SCHOOL]))
    for path in (pbf, unnamed, bz):
        places = by_key(read_osm_file(path, [SCHOOL]))
        assert places.keys() == expected.keys()
        assert all(places[k].geometry.equals(expected[k].geometry) for k in places)


def test_unknown_unreadable_and_missing_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    empty = tmp_path / "empty.osm"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.osm"
    broken.write_text('<?xml version="1.0"?><osm version="0.6"><node id="1" lat="48" lon=')
    for path in (text, empty, broken, tmp_path / "missing.osm.pbf"):
        with pytest.raises(OsmSourceError) as error:
            read_osm_file(path, [SCHOOL])
        assert str(path) in str(error.value)


# --- real extracts ------------------------------------------------------------------------------


def test_paris_schools() -> None:
    path = require_shared("paris-9e-osm-2021/map.osm")
    places = by_key(read_osm_file(path, [SCHOOL]))
    kinds = {k: sum(1 for key in places if key[0] == k) for k in "nwr"}
    assert len(places) == 14 and kinds == {"n": 5, "w": 8, "r": 1}  # SOURCE.md: amenity=school 14
    assert all(isinstance(p.geometry, Polygon) for k, p in places.items() if k[0] == "w")
    assert all(p.geometry.contains(p.center) for k, p in places.items() if k[0] != "n")
    # Hand-checked in map.osm: way 143296750, version 6, ref:UAI 0751042A
    belzunce = places["w143296750"]
    assert belzunce.version == 6
    assert belzunce.tags["name"] == "École Élémentaire Belzunce" and belzunce.tags["ref:UAI"] == "0751042A"
    assert len(belzunce.geometry.exterior.coords) == 30
    assert places["r1796435"].tags["ref:UAI"] == "0753885R"
    assert isinstance(places["r1796435"].geometry, (Polygon, MultiPolygon))
    with_uai = by_key(read_osm_file(path, [TagFilter("ref:UAI")]))
    assert len(with_uai) == 11  # SOURCE.md: ref:UAI 11


def test_helsinki_libraries() -> None:
    path = require_shared("helsinki-osm/Helsinki.osm.pbf")
    places = by_key(read_osm_file(path, [TagFilter("amenity", "library")]))
    assert len(places) == 7  # SOURCE.md: library 7
    oodi = places["w596937289"]  # Helsinki Central Library Oodi, mapped as its building
    assert oodi.tags["name"] == "Helsingin keskustakirjasto Oodi" and "building" in oodi.tags
    assert isinstance(oodi.geometry, Polygon) and oodi.geometry.contains(oodi.center)
    assert 60.17 < oodi.center.y < 60.18 and 24.93 < oodi.center.x < 24.94


def test_disk_backed_location_index_gives_the_same_places(monkeypatch: pytest.MonkeyPatch) -> None:
    path = require_shared("helsinki-osm/Helsinki.osm.pbf")
    libraries = [TagFilter("amenity", "library")]
    in_memory = by_key(read_osm_file(path, libraries))
    monkeypatch.setattr(extract, "IN_MEMORY_LIMIT_BYTES", 0)  # as for a country-sized PBF
    on_disk = by_key(read_osm_file(path, libraries))
    assert on_disk.keys() == in_memory.keys()
    assert all(on_disk[k].geometry.equals(in_memory[k].geometry) for k in on_disk)
