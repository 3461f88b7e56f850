"""Opendatasoft Explore v2.1 through a loopback portal serving the real Nantes equipment records."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from shared_data import require_shared
from emulators.opendatasoft import OpendatasoftEmulator, ods_record, records_from_geojson
from shapely.geometry import Point

from osmbridge.errors import SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources import read_city_places
from osmbridge.sources.download import USER_AGENT

RECORDS_PATH = "/api/explore/v2.1/catalog/datasets/{}/records"


@pytest.fixture(scope="module")
def culture() -> tuple[Path, list[dict]]:
    path = require_shared("nantes-equipements-2014/culture.geo.json")
    return path, records_from_geojson(path)


def read(portal: OpendatasoftEmulator, dataset_id: str = "culture", **spec: object):
    source = SourceSpec("opendatasoft", portal.base_url, dataset_id=dataset_id, **spec)
    return read_city_places(source, dataset="nantes-culture", id_field="_IDOBJ", licence="ODbL-1.0")


def queries(portal: OpendatasoftEmulator) -> list[tuple[str, dict[str, str]]]:
    return [(urlsplit(p).path, {k: v[0] for k, v in parse_qs(urlsplit(p).query).items()}) for p in portal.requests]


def test_all_records_read_across_pages(culture: tuple[Path, list[dict]]) -> None:
    path, records = culture
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    with OpendatasoftEmulator({"culture": records}) as portal:
        places, skipped = read(portal)
    assert skipped == []
    assert len(places) == len(features) == 239  # SOURCE.md: culture 239
    assert [p.source_id for p in places] == [str(f["properties"]["_IDOBJ"]) for f in features]
    assert [q["offset"] for _, q in queries(portal)] == ["0", "100", "200"]
    assert all(q["limit"] == "100" for _, q in queries(portal))
    first = places[0]
    assert first.source_id == "11" and first.fields["geo.name"] == "Bibliothèque Breil Malville"
    assert first.fields["ADRESSE"] == "37B Rue des Plantes" and first.fields["CODE_POSTAL"] == 44100
    assert first.geometry.equals(Point(-1.58610757121275, 47.2330348517548))
    base = portal.base_url + RECORDS_PATH.format("culture")
    assert first.origin == f"{base}#record 1" and places[238].origin == f"{base}#record 239"
    assert {p.licence for p in places} == {"ODbL-1.0"}


def test_small_pages_and_where_filter(culture: tuple[Path, list[dict]]) -> None:
    path, records = culture
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    wanted = [str(f["properties"]["_IDOBJ"]) for f in features if f["properties"]["LIBCATEGORIE"] == "Médiathèque"]
    with OpendatasoftEmulator({"culture": records}) as portal:
        places, _ = read(portal, where='LIBCATEGORIE = "Médiathèque"', page_size=25)
    assert [p.source_id for p in places] == wanted and len(wanted) > 50
    assert [q["offset"] for _, q in queries(portal)] == [str(n) for n in range(0, len(wanted), 25)]
    assert {q["where"] for _, q in queries(portal)} == {'LIBCATEGORIE = "Médiathèque"'}


def test_geo_shape_kept_as_geometry() -> None:
    square = {"type": "Polygon", "coordinates": [[[-1.56, 47.21], [-1.55, 47.21], [-1.55, 47.22], [-1.56, 47.21]]]}
    records = [ods_record({"_IDOBJ": 1, "name": "Parc"}, square),
               {"_IDOBJ": 2, "name": "Sans forme", "geo_point_2d": {"lon": -1.5, "lat": 47.2}, "geo_shape": None}]
    with OpendatasoftEmulator({"parcs": records}) as portal:
        park, point = read(portal, dataset_id="parcs")[0]
    assert park.geometry.geom_type == "Polygon" and park.geometry.area == pytest.approx(0.00005)
    assert point.geometry.equals(Point(-1.5, 47.2))


def test_beyond_the_paging_window_the_json_export_is_used(culture: tuple[Path, list[dict]]) -> None:
    _, records = culture
    many = [dict(record, _IDOBJ=n) for n, record in enumerate(records * 42, start=1)]  # 10,038 records
    with OpendatasoftEmulator({"big": many}) as portal:
        places, _ = read(portal, dataset_id="big")
    assert len(places) == len(many) > 10_000
    assert [path.rsplit("/", 2)[-2:] for path, _ in queries(portal)] == [["big", "records"], ["exports", "json"]]
    assert places[-1].source_id == str(len(many)) and places[-1].origin.endswith("/exports/json#record 10038")


def test_unknown_dataset_is_a_source_error_naming_the_url() -> None:
    with OpendatasoftEmulator({}) as portal:
        with pytest.raises(SourceError) as error:
            read(portal, dataset_id="nope")
    message = str(error.value)
    assert portal.base_url + RECORDS_PATH.format("nope") + "?limit=100&offset=0" in message
    assert "HTTP 404" in message and "Check dataset_id 'nope'" in message


def test_server_error_and_bad_where(culture: tuple[Path, list[dict]]) -> None:
    with OpendatasoftEmulator({"culture": culture[1]}) as portal:
        portal.inject(500, json.dumps({"error_code": "InternalError", "message": "Boom"}))
        with pytest.raises(SourceError, match=r"HTTP 500 Internal Server Error \(InternalError: Boom\)\. "
                                              r"The server failed; retry later"):
            read(portal)
        with pytest.raises(SourceError, match=r"HTTP 400 .*ODSQLError.*check the where filter"):
            read(portal, where="LIBTHEME like 'CULT%'")


def test_error_in_a_later_page_names_its_offset(culture: tuple[Path, list[dict]]) -> None:
    with OpendatasoftEmulator({"culture": culture[1]}) as portal:
        original = portal.answer
        # The third page fails: the message must name that request, not the first.
        portal.answer = lambda path: (500, {}) if "offset=200" in path else original(path)  # type: ignore
        with pytest.raises(SourceError, match=r"records\?limit=100&offset=200: HTTP 500"):
            read(portal)
    assert len(portal.requests) == 3


def test_transient_unavailability_is_retried(culture: tuple[Path, list[dict]]) -> None:
    with OpendatasoftEmulator({"culture": culture[1]}) as portal:
        portal.inject(503, "busy", "text/plain")
        places, _ = read(portal)
    assert len(places) == 239 and len(portal.requests) == 4


def test_answer_that_is_not_json() -> None:
    with OpendatasoftEmulator({"culture": []}) as portal:
        portal.inject(200, "<html><body>Maintenance</body></html>", "text/html")
        with pytest.raises(SourceError, match=r"HTTP 200 but the answer is not JSON \(text/html\)"):
            read(portal)
        portal.inject(200, '{"total_count": 239, "results": [{"_IDOBJ": 11, ')  # cut short
        with pytest.raises(SourceError, match=r"records\?limit=100&offset=0: HTTP 200 but the answer is not JSON "
                                              r"\(application/json\)"):
            read(portal)
        portal.inject(200, json.dumps({"unexpected": True}))
        with pytest.raises(SourceError, match="no total_count and results"):
            read(portal)


def test_empty_result_is_refused(culture: tuple[Path, list[dict]]) -> None:
    with OpendatasoftEmulator({"culture": culture[1]}) as portal:
        with pytest.raises(SourceError, match="holds no records.*where"):
            read(portal, where='LIBTHEME = "NOTHING"')


def test_timeout_and_refused_connection() -> None:
    with OpendatasoftEmulator({"culture": []}) as portal:
        portal.delay_s = 1.0
        with pytest.raises(SourceError, match=r"no answer within 0.2 s.*raise timeout_s"):
            read(portal, timeout_s=0.2)
        closed = portal.base_url
    with pytest.raises(SourceError, match=r"cannot connect"):
        read_city_places(SourceSpec("opendatasoft", closed, dataset_id="culture", timeout_s=2),
                         dataset="x", id_field="id", licence="ODbL-1.0")


def test_user_agent_names_osmbridge_and_location_may_include_the_api_path(culture) -> None:
    with OpendatasoftEmulator({"culture": culture[1][:5]}) as portal:
        pasted = portal.base_url + "/api/explore/v2.1/catalog/datasets/culture/records/"
        places, _ = read_city_places(SourceSpec("opendatasoft", pasted, dataset_id="culture"),
                                     dataset="x", id_field="_IDOBJ", licence="ODbL-1.0")
    assert len(places) == 5
    assert portal.user_agents == [USER_AGENT] and USER_AGENT.startswith("osmbridge/")


def test_missing_dataset_id_or_bad_location() -> None:
    with pytest.raises(SourceError, match="needs dataset_id"):
        read_city_places(SourceSpec("opendatasoft", "https://data.example.org"), dataset="x", id_field="id",
                         licence="ODbL-1.0")
    with pytest.raises(SourceError, match="must be the portal's http"):
        read_city_places(SourceSpec("opendatasoft", "data.example.org", dataset_id="d"), dataset="x",
                         id_field="id", licence="ODbL-1.0")


def test_a_portal_geojson_export_read_as_a_geojson_url(culture: tuple[Path, list[dict]]) -> None:
    _, records = culture
    with OpendatasoftEmulator({"culture": records}) as portal:
        url = portal.base_url + "/api/explore/v2.1/catalog/datasets/culture/exports/geojson"
        places, _ = read_city_places(SourceSpec("geojson", url), dataset="c", id_field="_IDOBJ", licence="ODbL-1.0")
    assert len(places) == 239 and places[0].origin == f"{url}#feature 1"
    assert places[0].geometry.equals(Point(-1.58610757121275, 47.2330348517548))
    assert places[0].fields["geo_point_2d"] == {"lon": -1.58610757121275, "lat": 47.2330348517548}


def test_exactly_the_paging_window_is_paged_with_a_short_last_page() -> None:
    records = [{"_IDOBJ": n, "geo_point_2d": {"lon": -1.5, "lat": 47.2}} for n in range(1, 10_001)]
    with OpendatasoftEmulator({"window": records}) as portal:
        places, _ = read(portal, dataset_id="window", page_size=90)
    assert len(places) == 10_000 and places[-1].source_id == "10000"
    assert queries(portal)[-1][1] == {"limit": "10", "offset": "9990"}  # offset + limit may not pass 10,000
    assert all(path.endswith("/records") for path, _ in queries(portal))


def test_page_size_is_capped_at_what_the_api_accepts(culture: tuple[Path, list[dict]]) -> None:
    with OpendatasoftEmulator({"culture": culture[1]}) as portal:
        places, _ = read(portal, page_size=500)
    assert len(places) == 239 and [q["limit"] for _, q in queries(portal)] == ["100", "100", "100"]
