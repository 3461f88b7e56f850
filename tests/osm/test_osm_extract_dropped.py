"""Objects of the mapped types that osmium cannot place are kept, with what is known of their position."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from shapely.geometry import Point

from shared_data import TEST_DATA, require_shared
from osmbridge.model import TagFilter
from osmbridge.osm.files import read_osm_places

SMALL = TEST_DATA / "osm" / "small.osm"
SCHOOL = TagFilter("amenity", "school")

# A multipolygon whose outer ring does not close (a member way is cut short): osmium cannot build
# its area, yet its member ways are located.
BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" version="1" lat="47.2000" lon="-1.5500"/>
 <node id="2" version="1" lat="47.2000" lon="-1.5480"/>
 <node id="3" version="1" lat="47.2015" lon="-1.5480"/>
 <node id="4" version="1" lat="47.2015" lon="-1.5500"/>
 <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
 <way id="11" version="1"><nd ref="3"/><nd ref="4"/></way>
 <relation id="20" version="3">
  <member type="way" ref="10" role="outer"/>
  <member type="way" ref="11" role="outer"/>
  <tag k="type" v="multipolygon"/>
  <tag k="amenity" v="school"/>
  <tag k="name" v="Lycée ouvert"/>
 </relation>
</osm>
"""


def test_an_unassembled_multipolygon_is_kept_with_its_member_ways(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm"
    path.write_text(BROKEN, encoding="utf-8")
    read = read_osm_places(path, [SCHOOL])
    assert read.places == []
    [dropped] = read.dropped
    assert (dropped.key, dropped.reason, dropped.tags["name"]) == ("r20", "multipolygon_not_assembled", "Lycée ouvert")
    assert dropped.geometry is not None and dropped.geometry.distance(Point(-1.5490, 47.2000)) < 1e-9
    # Outside the bbox it is left out like any place; inside it is kept.
    assert read_osm_places(path, [SCHOOL], bbox=(48.0, 2.0, 48.1, 2.1)).dropped == []
    assert len(read_osm_places(path, [SCHOOL], bbox=(47.1, -1.6, 47.3, -1.5)).dropped) == 1


def test_a_multipolygon_without_any_member_in_the_extract_is_kept_without_position() -> None:
    read = read_osm_places(SMALL, [SCHOOL])
    assert [(d.key, d.reason, d.geometry) for d in read.dropped] == [("r40", "multipolygon_not_assembled", None)]
    assert "r40" not in {place.key for place in read.places}


def test_helsinki_dropped_relations_are_all_listed() -> None:
    path = require_shared("helsinki-osm/Helsinki.osm.pbf")
    read = read_osm_places(path, [])
    kept = {place.key for place in read.places}
    reasons = Counter(d.reason for d in read.dropped)
    # The extract cuts through 54 relations: until now only a log line said so.
    assert reasons == {"multipolygon_not_assembled": 26, "relation_without_locations": 28}
    assert not {d.key for d in read.dropped} & kept
    # Those with members inside the extract say where they are.
    assert any(d.geometry is not None for d in read.dropped)
