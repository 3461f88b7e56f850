"""fetch_overpass end to end: generated QL -> overpy -> loopback Overpass emulator -> OsmPlaces."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from shapely.geometry import Point, box

from shared_data import TEST_DATA, require_shared
from emulators.overpass import OverpassEmulator
from osmbridge import __version__
from osmbridge.errors import OsmSourceError
from osmbridge.model import Area, OsmPlace, TagFilter
from osmbridge.osm import fetch_overpass, read_osm_file

SMALL = TEST_DATA / "osm" / "small.osm"
SCHOOL = TagFilter("amenity", "school")
SMALL_BBOX = (47.99, 1.99, 48.01, 2.04)
FAST = {"backoff_s": 0.001}


def by_key(places: list[OsmPlace]) -> dict[str, OsmPlace]:
    return {place.key: place for place in places}


def assert_same_places(fetched: list[OsmPlace], read: list[OsmPlace]) -> None:
    got, expected = by_key(fetched), by_key(read)
    assert got.keys() == expected.keys()
    for key, place in expected.items():
        other = got[key]
        assert other.geometry.equals(place.geometry), key
        assert (other.tags, other.version, other.timestamp) == (place.tags, place.version, place.timestamp), key
        assert other.center.distance(place.center) < 1e-9, key


@pytest.fixture
def overpass() -> Iterator[OverpassEmulator]:
    # relation 1 is the hand-made extract's whole area; relation 2 only its west part
    with OverpassEmulator(SMALL, areas={1: SMALL_BBOX, 2: box(1.99, 47.99, 2.005, 48.01)}) as emulator:
        yield emulator


def test_same_places_as_the_extract(overpass: OverpassEmulator) -> None:
    fetched = fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), **FAST)
    assert_same_places(fetched, read_osm_file(SMALL, [SCHOOL]))
    assert {p.key for p in fetched} == {"n1", "w10", "w50", "r20", "r30"}


def test_no_filter_same_places_as_the_extract(overpass: OverpassEmulator) -> None:
    fetched = fetch_overpass(overpass.url, [], Area(relation_id=1), **FAST)
    assert_same_places(fetched, read_osm_file(SMALL, [], bbox=SMALL_BBOX))
    assert "n2" not in {p.key for p in fetched}  # only created_by/source: fetched, then left out
    assert '[~"."~"."]' in overpass.requests[-1].query


def test_area_limits_the_answer(overpass: OverpassEmulator) -> None:
    west = by_key(fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=2), **FAST))
    assert set(west) == {"n1", "w10", "w50", "r30"}  # the ring school r20 starts east of 2.005
    nothing = fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=404), **FAST)  # area unknown to Overpass
    assert nothing == []
    bbox = (48.0005, 2.0009, 48.0035, 2.0105)
    assert_same_places(fetch_overpass(overpass.url, [SCHOOL], Area(bbox=bbox), **FAST),
                       read_osm_file(SMALL, [SCHOOL], bbox=bbox))
    both = fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=2, bbox=bbox), **FAST)  # area AND bbox
    assert {p.key for p in both} == {"w10", "w50"}


def test_center_output_gives_points(overpass: OverpassEmulator) -> None:
    places = by_key(fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), output="center", **FAST))
    assert places["w10"].geometry.equals(Point(2.0015, 48.0015))
    assert places["r20"].geometry.equals(Point(2.012, 48.002))
    assert "out meta center;" in overpass.requests[-1].query


def test_user_agent_and_query_reach_the_server(overpass: OverpassEmulator) -> None:
    fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), **FAST)
    request = overpass.requests[-1]
    assert request.method == "POST" and request.status == 200
    assert request.user_agent.startswith(f"osmbridge/{__version__}")
    assert 'nwr["amenity"="school"](area.searchArea);' in request.query
    fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), user_agent="city-sync/2 (ops@example.org)", **FAST)
    assert overpass.requests[-1].user_agent == "city-sync/2 (ops@example.org)"


def test_retries_after_429_and_504(overpass: OverpassEmulator) -> None:
    overpass.fail_next(429, times=2)
    overpass.fail_next(504)
    overpass.fail_next(503)  # an overloaded proxy in front of the server
    places = fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), retries=4, **FAST)
    assert len(places) == 5
    assert [r.status for r in overpass.requests] == [429, 429, 504, 503, 200]
    assert len({r.query for r in overpass.requests}) == 1


def test_gives_up_after_the_retries_with_url_and_status(overpass: OverpassEmulator) -> None:
    overpass.fail_next(429, times=2)
    overpass.fail_next(504, times=2)
    with pytest.raises(OsmSourceError) as error:
        fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), retries=3, **FAST)
    assert overpass.url in str(error.value) and "504" in str(error.value) and "4 attempts" in str(error.value)
    assert len(overpass.requests) == 4


def test_rejected_query_is_not_retried(overpass: OverpassEmulator) -> None:
    overpass.fail_next(400, times=5)
    with pytest.raises(OsmSourceError, match="rejected the query") as error:
        fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), **FAST)
    assert "HTTP 400" in str(error.value)  # the server's own message, as overpy extracted it
    assert len(overpass.requests) == 1


def test_query_over_its_time_limit_is_reported_not_retried(overpass: OverpassEmulator) -> None:
    overpass.time_out_next(times=3)
    with pytest.raises(OsmSourceError, match="Query timed out") as error:
        fetch_overpass(overpass.url, [SCHOOL], Area(relation_id=1), timeout_s=25, **FAST)
    assert "raise the timeout" in str(error.value) and "after 25 seconds" in str(error.value)
    assert len(overpass.requests) == 1


def test_wrong_url_path(overpass: OverpassEmulator) -> None:
    url = overpass.url.replace("/api/interpreter", "/api/nowhere")
    with pytest.raises(OsmSourceError, match="404"):
        fetch_overpass(url, [SCHOOL], Area(relation_id=1), **FAST)


def test_html_answer_is_not_data() -> None:
    class Portal(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = b"<html>captive portal</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/api/interpreter"
        with pytest.raises(OsmSourceError, match="text/html"):
            fetch_overpass(url, [SCHOOL], Area(relation_id=1), **FAST)
    finally:
        server.shutdown()
        server.server_close()


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/interpreter"
    with pytest.raises(OsmSourceError, match="connection failed") as error:
        fetch_overpass(url, [SCHOOL], Area(relation_id=1), retries=1, **FAST)
    assert url in str(error.value) and "2 attempts" in str(error.value)


def test_silent_server_times_out() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/api/interpreter"
        with pytest.raises(OsmSourceError, match="timed out"):
            fetch_overpass(url, [SCHOOL], Area(relation_id=1), timeout_s=1, retries=0, **FAST)


# --- real extracts ------------------------------------------------------------------------------


def test_paris_same_places_through_overpass() -> None:
    path = require_shared("paris-9e-osm-2021/map.osm")
    bounds = (48.87717, 2.3432, 48.88119, 2.3541)  # the export's <bounds>
    filters = [SCHOOL, TagFilter("ref:UAI"), TagFilter("amenity", "pharmacy")]
    with OverpassEmulator(path, areas={71525: bounds}) as overpass:
        fetched = fetch_overpass(overpass.url, filters, Area(name="Paris", relation_id=71525), **FAST)
    read = read_osm_file(path, filters, bbox=bounds)
    assert_same_places(fetched, read)
    assert sum(1 for p in fetched if p.tags.get("amenity") == "school") == 14
    assert any(p.osm_type == "r" for p in fetched) and any(p.osm_type == "w" for p in fetched)


def test_poland_police_through_overpass() -> None:
    path = require_shared("poland-offices/policja/osm_overpass.json")
    poland = (49.0, 14.1, 54.9, 24.2)
    police = [TagFilter("amenity", "police")]
    with OverpassEmulator(path, areas={49715: poland}) as overpass:
        fetched = fetch_overpass(overpass.url, police, Area(name="Polska", relation_id=49715), **FAST)
    assert_same_places(fetched, read_osm_file(path, police))
    assert len(fetched) == 1876  # one police node is repeated in the file (also a way's vertex)


def test_helsinki_every_tagged_feature_through_overpass() -> None:
    # A clipped extract: ways and multipolygons cut at its edge must come out the same both ways.
    path = require_shared("helsinki-osm/Helsinki.osm.pbf")
    bounds = (60.1642, 24.9352, 60.1791, 24.9534)  # SOURCE.md
    with OverpassEmulator(path, areas={34914: bounds}) as overpass:
        fetched = fetch_overpass(overpass.url, [], Area(name="Helsinki", relation_id=34914), **FAST)
    assert_same_places(fetched, read_osm_file(path, [], bbox=bounds))
    kinds = {(p.osm_type, p.geometry.geom_type) for p in fetched}
    assert {("w", "Polygon"), ("w", "LineString"), ("r", "Polygon"), ("r", "MultiLineString")} <= kinds
