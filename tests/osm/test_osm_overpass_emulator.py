"""The loopback Overpass emulator itself: protocol details other tests rely on."""

from __future__ import annotations

import html
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import overpy
import pytest

from shared_data import TEST_DATA
from emulators.overpass import OverpassEmulator

SMALL = TEST_DATA / "osm" / "small.osm"


@pytest.fixture
def overpass() -> Iterator[OverpassEmulator]:
    with OverpassEmulator(SMALL, areas={1: (47.99, 1.99, 48.01, 2.04)}) as emulator:
        yield emulator


def post(url: str, body: bytes) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST")) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_answer_is_overpass_json(overpass: OverpassEmulator) -> None:
    status, content_type, body = post(overpass.url, b'[out:json];way["building"](area:1);out;')
    assert status == 400  # `(area:1)` is not QL: Overpass refuses it too
    status, content_type, body = post(overpass.url, b'[out:json];way["building"](47.99,1.99,48.01,2.04);out meta geom;')
    assert (status, content_type) == (200, "application/json")
    document = json.loads(body)
    assert document["version"] == 0.6 and document["generator"].startswith("Overpass API")
    assert "copyright" in document["osm3s"] and "timestamp_osm_base" in document["osm3s"]
    (way,) = document["elements"]
    assert way["type"] == "way" and way["id"] == 10 and way["nodes"] == [101, 102, 103, 104, 101]
    assert way["geometry"][0] == {"lat": 48.001, "lon": 2.001} and way["version"] == 2
    assert way["bounds"] == {"minlat": 48.001, "minlon": 2.001, "maxlat": 48.002, "maxlon": 2.002}


def test_form_post_and_get(overpass: OverpassEmulator) -> None:
    query = 'node["ref:UAI"="0750001A"](47.99,1.99,48.01,2.04);out;'
    form = urllib.parse.urlencode({"data": "[out:json];" + query}).encode()
    status, _, body = post(overpass.url, form)
    assert status == 200 and [e["id"] for e in json.loads(body)["elements"]] == [1]
    with urllib.request.urlopen(overpass.url + "?" + urllib.parse.urlencode({"data": "[out:json];" + query})) as answer:
        assert [e["id"] for e in json.loads(answer.read())["elements"]] == [1]
    assert [r.method for r in overpass.requests] == ["POST", "GET"]


def test_tag_filter_operators_and_sets(overpass: OverpassEmulator) -> None:
    def ids(query: str) -> list[str]:
        status, _, body = post(overpass.url, ("[out:json];area(id:3600000001)->.a;" + query).encode())
        assert status == 200, body
        return [f"{e['type'][0]}{e['id']}" for e in json.loads(body)["elements"]]

    assert ids('nwr["amenity"="school"]["name"~"^Lyc"](area.a);out;') == ["r20"]
    assert ids('nwr["amenity"="school"]["name"!~"^(Lyc|Coll|Cit)"](area.a);out;') == ["n1", "w50"]
    assert ids('way[highway][!name](area.a);out;') == ["w12"]
    assert ids('nwr[~"^ref:"~"."](area.a);out;') == ["n1"]
    assert ids('nwr["name"~"école",i](area.a);out;') == ["n1", "w50"]
    assert ids('(node["amenity"="school"](area.a);rel["leisure"](area.a););out;') == ["n1", "r23"]
    assert ids('way["barrier"](area.a)->.fences;.fences out ids;') == ["w13"]


def test_relation_members_carry_geometry(overpass: OverpassEmulator) -> None:
    status, _, body = post(overpass.url, b'[out:json];rel["type"="site"](47.99,1.99,48.01,2.04);out geom;')
    (site,) = json.loads(body)["elements"]
    node_member, way_member = site["members"]
    assert node_member == {"type": "node", "ref": 1, "role": "", "lat": 48.0, "lon": 2.0}
    assert way_member["geometry"] == [{"lat": 48.0, "lon": 2.03}, {"lat": 48.0, "lon": 2.031}]
    assert "version" not in site  # `out geom` without `meta`


@pytest.mark.parametrize("query, words", [
    ("[out:json];nodee[amenity];out;", 'Unknown type "nodee"'),
    ("[out:json];node[amenity](1,2,3);out;", "expected"),
    ("[out:xml];node[amenity](1,2,3,4);out;", "[out:json] only"),
    ('[out:json];node["amenity"="school"(1,2,3,4);out;', "expected"),
    ("[out:json];node[amenity];out fancy;", 'Unknown output mode "fancy"'),
])
def test_unknown_ql_gets_overpass_errors_that_overpy_reads(overpass: OverpassEmulator, query: str, words: str) -> None:
    api = overpy.Overpass(url=overpass.url)
    with pytest.raises(overpy.exception.OverpassBadRequest) as error:
        api.query(query)
    # Overpass escapes its messages as HTML (&quot;); overpy hands them over as they are.
    assert any(words in html.unescape(message) for message in error.value.msgs), error.value.msgs
    assert overpass.requests[-1].status == 400


def test_injected_failures_are_counted(overpass: OverpassEmulator) -> None:
    overpass.fail_next(429)
    api = overpy.Overpass(url=overpass.url)
    with pytest.raises(overpy.exception.OverpassTooManyRequests):
        api.query('[out:json];node["amenity"](47.99,1.99,48.01,2.04);out;')
    result = api.query('[out:json];node["amenity"](47.99,1.99,48.01,2.04);out;')
    assert [n.id for n in result.nodes] == [1]
