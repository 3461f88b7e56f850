"""The OSM API emulator speaks the protocol the real osmapi expects: versions, 409/412/410, changesets."""

from __future__ import annotations

import osmapi
import pytest
import requests
from osmapi import errors

from emulators.osm_api import MAPPER, OsmApiEmulator
from push.conftest import TOKEN


@pytest.fixture
def osm(api: OsmApiEmulator) -> osmapi.OsmApi:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    return osmapi.OsmApi(api=api.url, session=session)


def test_reads_with_versions_members_and_capabilities(osm, api):
    assert osm.capabilities()["changesets"]["maximum_elements"] == 10000
    assert osm.node_get(1)["version"] == 1
    assert osm.way_get(100)["nd"] == [10, 11, 12, 13, 10]
    assert osm.relation_get(200)["member"] == [{"type": "way", "ref": 201, "role": "outer"}]
    full = osm.relation_full(200)
    assert {(e["type"], e["data"]["id"]) for e in full} >= {("relation", 200), ("way", 201), ("node", 20)}
    api.mapper_edit("n1", set_tags={"wheelchair": "yes"})
    assert osm.node_get(1)["version"] == 2 and osm.node_get(1, 1)["tag"].get("wheelchair") is None
    assert osm.node_get(1)["user"] == MAPPER


def test_writes_need_the_bearer_token(api):
    anonymous = osmapi.OsmApi(api=api.url, session=requests.Session())
    with pytest.raises(errors.UnauthorizedApiError):
        anonymous.changeset_create({"comment": "x"})
    assert api.writes[-1].status == 401 and api.changesets == []


def test_version_mismatch_precondition_and_gone(osm, api):
    with osm.changeset({"comment": "test"}):
        node = osm.node_get(1)
        api.mapper_edit("n1", set_tags={"phone": "+33 1"})
        with pytest.raises(errors.VersionMismatchApiError):
            osm.node_update(node)
        with pytest.raises(errors.PreconditionFailedApiError):
            osm.node_delete(osm.node_get(10))  # still in way 100
        # Inside a diff upload the same refusal is a plain ApiError carrying the status.
        with pytest.raises(errors.ApiError) as refused:
            osm.changeset_upload([{"type": "node", "action": "delete", "data": [osm.node_get(10)]}])
        assert refused.value.status == 412 and "still used by ways 100" in refused.value.payload_str
    api.mapper_edit("n3", delete=True)
    with pytest.raises(errors.ElementDeletedApiError):
        osm.node_get(3)
    with pytest.raises(errors.ElementNotFoundApiError):
        osm.node_get(999999)


def test_an_upload_is_atomic_and_read_back_from_the_changeset(osm, api):
    changeset = osm.changeset_create({"comment": "test"})
    node = osm.node_get(1)
    node["tag"]["phone"] = "+33 2"
    way = osm.way_get(100)
    way["nd"] = [10, 11, 999, 10]  # a node that does not exist: 412, and nothing of the upload applied
    with pytest.raises(errors.ApiError) as refused:
        osm.changeset_upload([{"type": "node", "action": "modify", "data": [node]},
                              {"type": "way", "action": "modify", "data": [way]}])
    assert refused.value.status == 412
    assert api.element("n1").version == 1 and osm.changeset_download(changeset) == []
    osm.changeset_upload([{"type": "node", "action": "modify", "data": [node]}])
    [written] = osm.changeset_download(changeset)
    assert written["action"] == "modify" and written["data"]["version"] == 2
    osm.changeset_close()
    assert not osm.changeset_get(changeset)["open"]
    late = requests.post(f"{api.url}/api/0.6/changeset/{changeset}/upload", data=b"<osmChange/>",
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert late.status_code == 409 and f"The changeset {changeset} was closed at" in late.text
