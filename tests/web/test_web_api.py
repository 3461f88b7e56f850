"""The JSON API: the same decisions as the pages, revisions against lost updates, GeoJSON for other tools."""

from __future__ import annotations

from review_demo import DATASET, ReviewDemo, store_state
from web_fixtures import client, log_in

from osmbridge.review import ItemFilter
from osmbridge.store import Store


def _first(demo: ReviewDemo, **where: object):
    store = Store(demo.config.store_url)
    try:
        return store.review_items(ItemFilter(dataset=DATASET, **where))[0]  # type: ignore[arg-type]
    finally:
        store.close()


def _anne(demo: ReviewDemo):
    anne = client(demo.config)
    token = log_in(anne, "anne")
    return anne, {"X-CSRF-Token": token}


def test_session_and_openapi(demo: ReviewDemo) -> None:
    anne, headers = _anne(demo)
    session = anne.get("/api/session").json()
    assert session == {"user": {"username": "anne", "display_name": "Anne", "role": "mapper", "decides": "to_osm",
                                "producer": None},
                       "csrf_token": headers["X-CSRF-Token"]}
    spec = anne.get("/api/openapi.json").json()
    assert {"/api/datasets/{dataset}/items/{item_id}/decision", "/api/datasets/{dataset}/open.geojson",
            "/api/datasets/{dataset}/queues/{queue}/bulk-accept"} <= set(spec["paths"])
    body = spec["components"]["schemas"]["DecisionIn"]["properties"]
    assert {"action", "value", "reason", "osm_key", "source_id", "revision"} <= set(body)


def test_edit_reject_and_a_decision_made_on_an_old_revision(demo: ReviewDemo) -> None:
    anne, headers = _anne(demo)
    item = _first(demo, kinds=("differs",), directions=("to_osm",))
    url = f"/api/datasets/{DATASET}/items/{item.id}/decision"
    assert anne.post(url, json={"action": "reject"}, headers=headers).status_code == 400  # no reason
    edited = anne.post(url, json={"action": "edit", "value": "Mo-Fr 09:00-12:00", "revision": item.revision},
                       headers=headers)
    assert edited.status_code == 200
    assert (edited.json()["state"], edited.json()["decision"]["value"]) == ("edited", "Mo-Fr 09:00-12:00")
    before = store_state(demo.config)
    stale_page = anne.post(url, json={"action": "accept", "revision": item.revision}, headers=headers)
    assert stale_page.status_code == 409 and "changed since you read it" in stale_page.json()["detail"]
    assert store_state(demo.config) == before
    history = anne.get(f"/api/datasets/{DATASET}/items/{item.id}").json()["history"]
    assert [(h["action"], h["new_state"], h["author"]) for h in history][-1] == ("edit", "edited", "anne")


def test_choose_a_candidate_and_no_counterpart(demo: ReviewDemo) -> None:
    anne, headers = _anne(demo)
    first, second = (_first(demo, source_id=s) for s in ("BSL-9001", "BSL-9002"))
    chosen = anne.post(f"/api/datasets/{DATASET}/items/{first.id}/decision",
                       json={"action": "choose", "osm_key": "n9100000999002"}, headers=headers).json()
    assert (chosen["state"], chosen["decision"]["match_verdict"]) == ("match_decided", "same")
    wrong = anne.post(f"/api/datasets/{DATASET}/items/{second.id}/decision",
                      json={"action": "choose", "osm_key": "n42"}, headers=headers)
    assert wrong.status_code == 400 and "not a candidate" in wrong.json()["detail"]
    none = anne.post(f"/api/datasets/{DATASET}/items/{second.id}/decision",
                     json={"action": "no_counterpart", "reason": "the bin was removed"}, headers=headers).json()
    assert (none["state"], none["decision"]["match_verdict"]) == ("match_decided", "no_counterpart")
    store = Store(demo.config.store_url)
    verdicts = {(d.source_id, d.verdict, d.osm_key) for d in store.decisions(DATASET) if d.author == "anne"}
    store.close()
    assert verdicts == {("BSL-9001", "same", "n9100000999002"), ("BSL-9001", "not_same", "n9100000999001"),
                        ("BSL-9002", "no_counterpart", None)}


def test_bulk_accept_needs_the_count_the_caller_saw(demo: ReviewDemo) -> None:
    anne, headers = _anne(demo)
    url = f"/api/datasets/{DATASET}/queues/to_osm/bulk-accept"
    listed = anne.get(f"/api/datasets/{DATASET}/queues/to_osm/items?kind=only_city&state=open&per_page=500").json()
    count = listed["total"]
    before = store_state(demo.config)
    assert anne.post(url, json={"kind": "only_city", "expected_count": count + 1}, headers=headers).status_code == 409
    assert anne.post(url, json={"kind": "position", "expected_count": 0}, headers=headers).status_code == 400
    assert store_state(demo.config) == before
    done = anne.post(url, json={"kind": "only_city", "expected_count": count}, headers=headers).json()
    assert done["accepted"] == count and set(done["items"]) == {i["id"] for i in listed["items"]}


def test_open_items_as_geojson(demo: ReviewDemo) -> None:
    anne, headers = _anne(demo)
    item = _first(demo, kinds=("only_city",))
    anne.post(f"/api/datasets/{DATASET}/items/{item.id}/decision", json={"action": "accept"}, headers=headers)
    response = anne.get(f"/api/datasets/{DATASET}/open.geojson")
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    ids = {f["id"] for f in collection["features"]}
    store = Store(demo.config.store_url)
    waiting = {i.id for i in store.review_items(ItemFilter(dataset=DATASET, states=("open", "stale")))}
    store.close()
    assert ids == waiting and item.id not in ids
    feature = collection["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert -2.0 < lon < -1.9 and 47.3 < lat < 47.4  # the demo town
    assert feature["properties"]["links"]["review"] == f"http://testserver/d/{DATASET}/items/{feature['id']}"
    only_matches = anne.get(f"/api/datasets/{DATASET}/open.geojson?queue=matches").json()
    assert {f["properties"]["kind"] for f in only_matches["features"]} == {"ambiguous", "duplicate"}
