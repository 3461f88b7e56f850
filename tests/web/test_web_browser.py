"""A mapper and a city staff member work through their queues in Chromium, against `osmbridge serve`.

Each logs in, filters, opens an item, accepts one field and rejects another with a reason, settles an
ambiguous match, bulk-accepts a filtered set and logs out; then the store and the audit log must hold
exactly those decisions, and the server's log no password or token.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from review_demo import AMBIGUOUS, DATASET, build_review_demo, store_state
from web_browser import chromium
from web_fixtures import PASSWORDS
from web_server import SECRET_KEY, free_port, running_server

from osmbridge.cli import main
from osmbridge.config import Config
from osmbridge.review import ItemFilter, ReviewItem
from osmbridge.store import Store
from osmbridge.web.queues import order_key

REJECT_ANNE = "The city's ref will change next month (mail of 2 Nov)"
REJECT_MARC = "Ce site est celui de l'académie, pas de l'école"


def _items(config: Config, **where: Any) -> list[ReviewItem]:
    store = Store(config.store_url)
    try:
        return store.review_items(ItemFilter(dataset=DATASET, **where))
    finally:
        store.close()


def _one(items: list[ReviewItem], **fields: Any) -> ReviewItem:
    found = [i for i in items if all(getattr(i.difference, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, found)
    return found[0]


def _add_users(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, role in (("anne", "mapper"), ("marc", "city_staff")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS[name] + "\n"))
        assert main(["users", "add", name, "--role", role, "--display-name", name.capitalize(), "--password-stdin",
                     "--config", str(config_path)]) == 0


def _log_in(page: Any, url: str, name: str) -> None:
    page.goto(f"{url}/")
    assert "/login" in page.url
    page.fill("#username", name)
    page.fill("#password", PASSWORDS[name])
    page.click("#login-submit")
    page.wait_for_url(f"{url}/")
    assert page.inner_text("#whoami") == name.capitalize()


def _markers(page: Any) -> str:
    """How many markers the item's map drew (once its script ran, with Leaflet served by the app)."""
    page.wait_for_selector("#map[data-markers]")
    return str(page.get_attribute("#map", "data-markers"))


def _decided(page: Any, item: ReviewItem, state: str) -> None:
    page.wait_for_selector(f"#item-{item.id} [data-state={state}]")
    assert page.is_visible("#saved")


def _choose(page: Any, url: str, item: ReviewItem, osm_key: str) -> None:
    page.click("#tab-matches")
    page.click(f"tr[data-item='{item.id}'] a.item-link")
    page.wait_for_selector(f"#item-{item.id}")
    assert _markers(page) == "3"  # the city record and both candidates
    page.click(f"#item-{item.id} li[data-candidate='{osm_key}'] button.choose")
    _decided(page, item, "match_decided")


def _bulk(page: Any, queue: str, kind: str, count: int, **filters: str) -> None:
    page.click("#back-link")  # from the item page to its queue, then to the queue wanted
    page.click(f"#tab-{queue}")
    page.select_option("#filter-kind", kind)
    for name, value in filters.items():
        page.select_option(f"#filter-{name}", value)
    page.click("#filter-apply")
    page.wait_for_url(re.compile(f"kind={kind}"))
    page.click("#bulk-link")
    page.wait_for_selector("#bulk-count")
    assert page.inner_text("#bulk-count") == str(count)
    assert page.locator("#bulk-items tbody tr").count() == count
    page.click("#bulk-confirm")
    page.wait_for_selector(".flash")
    assert str(count) in page.inner_text(".flash")


def test_mapper_and_city_staff_walk_through_their_queues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    demo = build_review_demo(tmp_path / "demo", web=f'public_url = "http://127.0.0.1:{port}"\n'
                                                    'neighbourhoods = "neighbourhoods.geojson"')
    _add_users(demo.files.config, monkeypatch)
    config = demo.config
    items = _items(config)
    # What the two people will decide, read from the store before they start.
    hours = _one(items, source_id="BSL-0119", field="opening_hours")
    ref = _one(items, source_id="BSL-0119", field="ref:FR:BSL")
    bins = [i for i in items
            if i.difference.kind == "only_city" and i.difference.category == "Point d'apport volontaire"]
    city_hours = _one(items, source_id="BSL-0050", field="opening_hours")
    city_website = _one(items, source_id="BSL-0052", field="website")
    only_osm = [i for i in items
                if i.difference.kind == "only_osm" and i.difference.proposal in ("conflict", "disagreement")]
    ambiguous = {i.difference.source_id: i for i in items if i.difference.kind == "ambiguous"}
    assert len(bins) == 5 and len(only_osm) == 2 and set(ambiguous) == set(AMBIGUOUS)
    items_before, _, verdicts_before = store_state(config)

    with running_server(demo.files.config, port, tmp_path / "server.log") as server, chromium() as person:
        url = server.url
        # --- the mapper -------------------------------------------------------------------------
        anne = person()
        _log_in(anne, url, "anne")
        anne.click(f"a[href='/d/{DATASET}/to_osm']")
        anne.select_option("#filter-category", "Mairie annexe")
        anne.click("#filter-apply")
        anne.wait_for_url(re.compile(r"category=Mairie\+annexe"))
        shared_view = anne.url  # the filtered view, shareable as is
        assert anne.locator(f"tr[data-item='{hours.id}']").count() == 1
        assert all(cell == "Mairie annexe" for cell in
                   (t.split(" · ")[0] for t in anne.locator("tr[data-item] .sub").all_inner_texts()))
        anne.click(f"tr[data-item='{hours.id}'] a.item-link")
        anne.wait_for_selector(f"#item-{hours.id}")
        assert anne.inner_text(f"#item-{hours.id} .city-value") == hours.difference.city_value
        assert anne.inner_text(f"#item-{hours.id} .osm-value") == hours.difference.osm_value
        assert anne.get_attribute("#link-osm", "href") == f"https://www.openstreetmap.org/node/{hours.difference.osm_key[1:]}"
        assert anne.get_attribute("#link-history", "href").endswith("/history")
        assert anne.get_attribute("#link-josm", "href").startswith("http://127.0.0.1:8111/load_object?")
        assert anne.get_attribute("#link-city", "href") == "https://data.bourg-sur-lune.example/equipements/BSL-0119"
        assert _markers(anne) == "2"  # city record and OSM place
        anne.keyboard.press("a")  # accept the first open field: opening_hours
        _decided(anne, hours, "accepted")
        anne.fill(f"#item-{ref.id} input.reason", REJECT_ANNE)
        anne.click(f"#item-{ref.id} button[data-key=reject]")
        _decided(anne, ref, "rejected")
        assert REJECT_ANNE in anne.inner_text(f"#item-{ref.id} .decided")
        anne.click("#back-link")
        assert anne.url == shared_view
        _choose(anne, url, ambiguous["BSL-9001"], "n9100000999001")
        _bulk(anne, "to_osm", "only_city", 5, category="Point d'apport volontaire")
        anne.click("#logout")
        anne.wait_for_url(re.compile("/login"))
        assert anne.is_visible("text=You are logged out.")
        assert not [c for c in anne.context.cookies() if c["name"] == "osmbridge_session"]
        assert anne.errors == []

        # --- the city staff member, in French ----------------------------------------------------
        marc = person(locale="fr-FR")
        _log_in(marc, url, "marc")
        assert marc.inner_text("#logout") == "Se déconnecter"  # the browser asks for French
        marc.click(f"a[href='/d/{DATASET}/to_city']")
        marc.select_option("#filter-changed", "osm")
        marc.click("#filter-apply")
        marc.wait_for_url(re.compile("changed=osm"))
        marc.click(f"tr[data-item='{city_hours.id}'] a.item-link")
        marc.wait_for_selector(f"#item-{city_hours.id}")
        assert "Accepter" in marc.inner_text(f"#item-{city_hours.id} button[data-key=accept]")
        credit = marc.inner_text("#map .leaflet-control-attribution")  # the map's credit in French too
        assert "contributeurs" in credit and "contributors" not in credit
        marc.click(f"#item-{city_hours.id} button[data-key=accept]")
        _decided(marc, city_hours, "accepted")
        # "Next" walks the filtered queue in its order (category, name, place, field) to the website item.
        queue_order = sorted((i for i in items if i.direction == "to_city" and i.difference.changed_side == "osm"),
                             key=order_key)
        following = queue_order[queue_order.index(city_hours) + 1:]
        assert city_website in following
        for step in following[:following.index(city_website) + 1]:
            marc.click("#next-link")
            marc.wait_for_selector(f"#item-{step.id}")
        marc.fill(f"#item-{city_website.id} input.reason", REJECT_MARC)
        marc.keyboard.press("Enter")  # Enter in the reason box rejects
        _decided(marc, city_website, "rejected")
        marc.click("#lang-switch")  # English, kept in a cookie
        marc.wait_for_url(re.compile("lang=en"))
        assert "contributors" in marc.inner_text("#map .leaflet-control-attribution")
        marc.click("#back-link")
        assert marc.inner_text("#tab-matches").startswith("Matches to confirm")
        _choose(marc, url, ambiguous["BSL-9002"], "n9100000999004")
        _bulk(marc, "conflicts", "only_osm", 2)
        marc.click("#logout")
        marc.wait_for_url(re.compile("/login"))
        assert marc.errors == []

        log = server.log_text()

    # --- exactly those decisions, in the store and in the audit log ---------------------------------
    store = Store(config.store_url)
    try:
        audit = [e for e in store.audit_log(dataset=DATASET) if e.author in ("anne", "marc")]
        after = {i.id: i for i in store.review_items(ItemFilter(dataset=DATASET, present=None))}
        verdicts = {(d.source_id, d.verdict, d.osm_key, d.author) for d in store.decisions(DATASET)}
    finally:
        store.close()
    expected = [("anne", "accept", hours.id, "accepted", ""), ("anne", "reject", ref.id, "rejected", REJECT_ANNE),
                ("anne", "choose", ambiguous["BSL-9001"].id, "match_decided", ""),
                *(("anne", "accept", i.id, "accepted", "") for i in sorted(bins, key=lambda i: i.id)),
                ("marc", "accept", city_hours.id, "accepted", ""),
                ("marc", "reject", city_website.id, "rejected", REJECT_MARC),
                ("marc", "choose", ambiguous["BSL-9002"].id, "match_decided", ""),
                *(("marc", "accept", i.id, "accepted", "") for i in sorted(only_osm, key=lambda i: i.id))]
    got = [(e.author, e.action, e.item_id, e.new_state, e.reason) for e in reversed(audit)]
    # Bulk acceptances are one transaction: their order inside it is the store's, not the page's.
    assert sorted(got) == sorted(expected) and len(got) == len(expected)
    assert [g[:2] for g in got][:3] == [("anne", "accept"), ("anne", "reject"), ("anne", "choose")]
    directions = {hours.id: "to_osm", **{i.id: "to_osm" for i in bins}, city_hours.id: "to_city",
                  **{i.id: "to_city" for i in only_osm}}
    for item_id, direction in directions.items():
        assert (after[item_id].state, after[item_id].decision.direction) == ("accepted", direction)
    assert after[hours.id].decision.value == hours.difference.city_value
    assert after[city_hours.id].decision.value == city_hours.difference.osm_value
    decided = set(directions) | {ref.id, city_website.id, ambiguous["BSL-9001"].id, ambiguous["BSL-9002"].id}
    untouched = [row for row in items_before if row[0] not in decided]
    assert all(after[row[0]].state == row[1] and after[row[0]].revision == row[2] for row in untouched)
    assert {v for v in verdicts if v[3] in ("anne", "marc")} == {
        ("BSL-9001", "same", "n9100000999001", "anne"), ("BSL-9001", "not_same", "n9100000999002", "anne"),
        ("BSL-9002", "same", "n9100000999004", "marc"), ("BSL-9002", "not_same", "n9100000999003", "marc")}
    assert len(verdicts) == len(verdicts_before) + 4

    # --- and the server's log holds no secret ------------------------------------------------------
    assert "login: anne (mapper)" in log and "login: marc (city_staff)" in log
    for secret in (PASSWORDS["anne"], PASSWORDS["marc"], SECRET_KEY):
        assert secret not in log
    assert "csrf_token=" not in log


def test_the_static_report_links_to_the_item_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    demo = build_review_demo(tmp_path / "demo", web=f'public_url = "http://127.0.0.1:{port}"')
    _add_users(demo.files.config, monkeypatch)
    item = _one(_items(demo.config), source_id="BSL-0119", field="opening_hours")
    report = demo.files.config.parent / "reports" / DATASET / "latest" / "report.html"
    with running_server(demo.files.config, port, tmp_path / "server.log") as server, chromium() as person:
        page = person()
        page.goto(report.resolve().as_uri())
        link = page.locator(f"a.review-link[href$='/items/{item.id}']")
        assert link.count() == 1
        href = link.get_attribute("href")
        assert href == f"{server.url}/d/{DATASET}/items/{item.id}"
        page.goto(href)  # not logged in yet: the login page, then back to the item
        page.fill("#username", "anne")
        page.fill("#password", PASSWORDS["anne"])
        page.click("#login-submit")
        page.wait_for_selector(f"#item-{item.id}")
        assert page.inner_text("#place-name") == item.difference.name
