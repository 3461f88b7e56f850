"""Nothing changes without a session, a CSRF token and the role for the direction; no secret leaks."""

from __future__ import annotations

import logging

import pytest
from review_demo import DATASET, ReviewDemo, store_state
from web_fixtures import PASSWORDS, client, log_in

from osmbridge.review import ItemFilter
from osmbridge.store import Store


def _items(demo: ReviewDemo, **where: object) -> list:
    store = Store(demo.config.store_url)
    try:
        return store.review_items(ItemFilter(dataset=DATASET, **where))  # type: ignore[arg-type]
    finally:
        store.close()


def _ids(demo: ReviewDemo) -> dict[str, str]:
    to_city = _items(demo, kinds=("only_osm",), proposals=("to_city",)) or _items(demo, kinds=("missing_in_city",))
    return {"to_osm": _items(demo, kinds=("only_city",))[0].id,
            "to_city": to_city[0].id,
            "either": _items(demo, kinds=("differs",), proposals=("to_osm",))[0].id,
            "ambiguous": _items(demo, kinds=("ambiguous",))[0].id}


def _form(item: str, action: str = "accept", **extra: str) -> tuple[str, dict[str, str]]:
    return f"/d/{DATASET}/items/{item}", {"action": action, **extra}


def _api(item: str) -> str:
    return f"/api/datasets/{DATASET}/items/{item}/decision"


def test_without_a_session_nothing_changes(demo: ReviewDemo) -> None:
    ids = _ids(demo)
    before = store_state(demo.config)
    anonymous = client(demo.config)
    calls = [
        ("form", *_form(ids["to_osm"])),
        ("form", *_form(ids["ambiguous"], "choose", osm_key="n9100000999001")),
        ("form", f"/d/{DATASET}/to_osm/bulk", {"kind": "only_city", "digest": "x"}),
        ("form", "/logout", {}),
        ("form", "/admin/users", {"username": "eve", "role": "admin", "password": "eve-password-1"}),
        ("json", _api(ids["to_osm"]), {"action": "accept"}),
        ("json", f"/api/datasets/{DATASET}/queues/to_osm/bulk-accept", {"kind": "only_city", "expected_count": 1}),
    ]
    for kind, url, data in calls:
        response = anonymous.post(url, data=data) if kind == "form" else anonymous.post(url, json=data)
        assert response.status_code == 401, (url, response.status_code)
    assert anonymous.get(f"/api/datasets/{DATASET}/queues/to_osm/items").status_code == 401
    assert anonymous.get(f"/api/datasets/{DATASET}/open.geojson").status_code == 401
    page = anonymous.get(f"/d/{DATASET}/items/{ids['to_osm']}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    assert store_state(demo.config) == before


def test_missing_bad_or_foreign_csrf_tokens_change_nothing(demo: ReviewDemo) -> None:
    ids = _ids(demo)
    anne, marc = client(demo.config), client(demo.config)
    log_in(anne, "anne")
    marc_token = log_in(marc, "marc")
    before = store_state(demo.config)
    url, data = _form(ids["to_osm"])
    for token in (None, "", "forged-token", marc_token):
        form = dict(data) if token is None else {**data, "csrf_token": token}
        assert anne.post(url, data=form).status_code == 403
        headers = {} if token is None else {"X-CSRF-Token": token}
        assert anne.post(_api(ids["to_osm"]), json={"action": "accept"}, headers=headers).status_code == 403
    assert store_state(demo.config) == before


def test_a_post_from_another_site_is_refused_even_with_the_token(demo: ReviewDemo) -> None:
    ids = _ids(demo)
    anne = client(demo.config)
    token = log_in(anne, "anne")
    before = store_state(demo.config)
    url, data = _form(ids["to_osm"])
    response = anne.post(url, data={**data, "csrf_token": token}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert store_state(demo.config) == before


def test_a_role_cannot_decide_the_other_direction(demo: ReviewDemo) -> None:
    ids = _ids(demo)
    anne, marc, root = client(demo.config), client(demo.config), client(demo.config)
    tokens = {"anne": log_in(anne, "anne"), "marc": log_in(marc, "marc"), "root": log_in(root, "root")}
    before = store_state(demo.config)
    refused = [
        (anne, "anne", ids["to_city"], "accept", {}),  # a mapper accepting a proposal to the city
        (anne, "anne", ids["to_city"], "reject", {"reason": "no"}),  # ... or rejecting it
        (marc, "marc", ids["to_osm"], "accept", {}),  # city staff accepting a proposal to OSM
        (marc, "marc", ids["to_osm"], "defer", {}),
        (root, "root", ids["to_osm"], "accept", {}),  # an administrator reviews nothing
        (root, "root", ids["ambiguous"], "choose", {"osm_key": "n9100000999001"}),
    ]
    for test_client, name, item, action, extra in refused:
        url, data = _form(item, action, **extra)
        assert test_client.post(url, data={**data, "csrf_token": tokens[name]}).status_code == 403, (name, action)
        response = test_client.post(_api(item), json={"action": action, **extra},
                                    headers={"X-CSRF-Token": tokens[name]})
        assert response.status_code == 403 and response.json()["code"] == "error.role", (name, action)
    # Bulk: nothing of kind only_city may go to the city, so city staff find nothing to accept there.
    response = marc.post(f"/api/datasets/{DATASET}/queues/to_osm/bulk-accept",
                         json={"kind": "only_city", "expected_count": 1},
                         headers={"X-CSRF-Token": tokens["marc"]})
    assert response.status_code == 409
    assert store_state(demo.config) == before

    # A decision taken for one side is not overturned by the other.
    response = anne.post(_api(ids["either"]), json={"action": "accept"}, headers={"X-CSRF-Token": tokens["anne"]})
    assert response.status_code == 200 and response.json()["decision"]["direction"] == "to_osm"
    after_anne = store_state(demo.config)
    for action, extra in (("reopen", {}), ("reject", {"reason": "no"}), ("accept", {})):
        response = marc.post(_api(ids["either"]), json={"action": action, **extra},
                             headers={"X-CSRF-Token": tokens["marc"]})
        assert response.status_code == 403, action
    assert store_state(demo.config) == after_anne


def test_each_role_decides_its_own_direction(demo: ReviewDemo) -> None:
    ids = _ids(demo)
    anne, marc = client(demo.config), client(demo.config)
    anne_token, marc_token = log_in(anne, "anne"), log_in(marc, "marc")
    done = anne.post(_api(ids["to_osm"]), json={"action": "accept"}, headers={"X-CSRF-Token": anne_token}).json()
    assert (done["state"], done["decision"]["direction"], done["decision"]["author"]) == ("accepted", "to_osm", "anne")
    done = marc.post(_api(ids["to_city"]), json={"action": "accept"}, headers={"X-CSRF-Token": marc_token}).json()
    assert (done["state"], done["decision"]["direction"], done["decision"]["author"]) == ("accepted", "to_city", "marc")
    _, audit, _ = store_state(demo.config)
    assert [(author, action) for _, author, action in audit[:2]] == [("marc", "accept"), ("anne", "accept")]


def test_public_read_opens_reading_not_deciding(demo_template: ReviewDemo, tmp_path) -> None:
    from review_demo import copy_demo
    demo = copy_demo(demo_template, tmp_path / "public")
    text = demo.files.config.read_text(encoding="utf-8").replace("[web]\n", "[web]\npublic_read = true\n")
    demo.files.config.write_text(text, encoding="utf-8")
    from osmbridge.config import load_config
    config = load_config(demo.files.config, {})
    ids = _ids(demo)
    anonymous = client(config)
    assert anonymous.get(f"/d/{DATASET}/to_osm").status_code == 200
    assert anonymous.get(f"/api/datasets/{DATASET}/open.geojson").status_code == 200
    page = anonymous.get(f"/d/{DATASET}/items/{ids['to_osm']}")
    assert page.status_code == 200 and 'data-key="accept"' not in page.text  # no decision buttons
    before = store_state(config)
    assert anonymous.post(_api(ids["to_osm"]), json={"action": "accept"}).status_code == 401
    assert store_state(config) == before


def test_no_password_token_or_cookie_in_logs_or_pages(demo: ReviewDemo, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    anne = client(demo.config)
    token = log_in(anne, "anne")
    cookie = anne.cookies.get("osmbridge_session")
    pages = [anne.get(path).text for path in ("/", f"/d/{DATASET}/to_osm", "/api/session", "/admin")]
    ids = _ids(demo)
    pages.append(anne.get(f"/d/{DATASET}/items/{ids['to_osm']}").text)
    failed = client(demo.config)
    from web_fixtures import form_token
    refused = failed.post("/login", data={"username": PASSWORDS["marc"], "password": PASSWORDS["marc"],
                                          "csrf_token": form_token(failed.get("/login").text)})
    assert refused.status_code == 401
    pages.append(refused.text)
    assert "login: anne" in caplog.text and "login failed for an unknown user name" in caplog.text
    for secret in (PASSWORDS["anne"], PASSWORDS["marc"], cookie, cookie.split(".")[0]):
        assert secret not in caplog.text
        assert all(secret not in page for page in pages)
    assert token not in caplog.text
