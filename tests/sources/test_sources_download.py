"""CSV and GeoJSON sources given as http(s) URLs, fetched from a loopback static file server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from shapely.geometry import Point

from osmbridge.errors import SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources import read_city_places

DATA = Path(__file__).resolve().parent.parent / "data" / "sources"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def file_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(DATA)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_csv_from_a_url_keeps_line_origins(file_server: str) -> None:
    url = f"{file_server}/offices_semicolon.csv"
    places, _ = read_city_places(SourceSpec("csv", url), dataset="pl", id_field="L.p.", licence="CC0-1.0")
    assert [p.origin for p in places] == [f"{url}:2", f"{url}:3", f"{url}:5"]
    assert places[0].fields["MIEJSCOWOŚĆ"] == "Łódź" and places[0].geometry.equals(Point(19.456, 51.7592))


def test_geojson_from_a_url(file_server: str) -> None:
    url = f"{file_server}/mixed.geojson"
    places, _ = read_city_places(SourceSpec("geojson", url), dataset="nm", id_field="ref", licence="ODbL-1.0")
    assert [p.source_id for p in places] == ["11", "12", "13", "14"]
    assert places[0].origin == f"{url}#feature 1"


def test_missing_file_on_the_server(file_server: str) -> None:
    url = f"{file_server}/gone.csv"
    with pytest.raises(SourceError, match=rf"{url}: HTTP 404 .*Check the address in the source spec"):
        read_city_places(SourceSpec("csv", url), dataset="x", id_field="id", licence="ODbL-1.0")
