"""The producers page and JSON of a dataset with several producers, and the queues filtered by producer."""

from __future__ import annotations

import io
import re

import pytest
from review_demo import ReviewDemo
from web_fixtures import client, log_in

from osmbridge.cli import main
from osmbridge.review import ItemFilter
from osmbridge.review.directions import allowed_directions
from osmbridge.store import Accounts, Store

DAE = "demo-defibrillateurs"
PAUL_PASSWORD = "paul-password-321"


def _routed(demo: ReviewDemo, producer: str, **where: object) -> set[str]:
    store = Store(demo.config.store_url)
    try:
        return {i.id for i in store.review_items(ItemFilter(dataset=DAE, producer=producer, **where))}  # type: ignore[arg-type]
    finally:
        store.close()


def test_the_producers_page_shows_each_producers_freshness_and_waiting_items(demo: ReviewDemo) -> None:
    marc = client(demo.config)
    log_in(marc, "marc")
    page = marc.get(f"/d/{DAE}/producers")
    assert page.status_code == 200
    rows = dict(re.findall(r'<tr data-producer="([a-z]+)">(.*?)</tr>', page.text, re.S))
    assert list(rows) == ["sante", "secouristes"]  # the most trusted first
    assert "Ville de Bourg-sur-Lune, direction de la santé publique" in rows["sante"]
    assert "2024-03-15" in rows["sante"] and "2024-10-28" in rows["secouristes"]
    assert "Holds: defibrillator:location, opening_hours" in rows["secouristes"]
    # Each queue count links to the queue filtered on the producer, and lists exactly those items.
    waiting = _routed(demo, "secouristes", states=("open", "stale"), directions=("to_osm",))
    link = re.search(r'href="(/d/demo-defibrillateurs/to_osm\?producer=secouristes)" data-queue="to_osm">[^<]*'
                     r'<span class="count">(\d+)</span>', rows["secouristes"])
    assert link and int(link.group(2)) == len(waiting) > 0
    queue = marc.get(link.group(1))
    assert set(re.findall(r'<tr data-item="([0-9a-f]+)"', queue.text)) == waiting
    assert '<option value="secouristes" selected>' in queue.text and "For: Association des secouristes" in queue.text
    french = marc.get(f"/d/{DAE}/producers?lang=fr")
    assert "Producteurs et fraîcheur des données" in french.text and "Éléments qui l’attendent" in french.text


def test_the_producers_json_says_the_same(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    found = anne.get(f"/api/datasets/{DAE}/producers").json()
    assert [row["name"] for row in found] == ["sante", "secouristes"]
    sante = found[0]
    assert sante["trust"] == 80 and sante["records"] == 10 and sante["last_change"] == "2024-06-01"
    assert 0 < sante["share_agreed"] <= 100 and len(sante["history"]) == 2
    for row in found:
        for queue in ("to_osm", "to_city"):
            assert row["waiting"][queue] == len(_routed(demo, row["name"], states=("open", "stale"),
                                                         directions=(queue,)))


def test_a_dataset_with_one_source_has_no_producers_to_show(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    assert "a single source" in anne.get("/d/demo-equipements/producers").text
    assert anne.get("/api/datasets/demo-equipements/producers").json() == []
    assert anne.get("/d/nowhere/producers").status_code == 404
    assert client(demo.config).get(f"/d/{DAE}/producers", follow_redirects=False).status_code == 303  # log in first


def test_an_item_page_shows_what_each_producer_says_and_who_it_is_for(demo: ReviewDemo) -> None:
    store = Store(demo.config.store_url)
    try:
        (item,) = store.review_items(ItemFilter(dataset=DAE, kinds=("producers_disagree",), proposals=("to_city",)))
    finally:
        store.close()
    marc = client(demo.config)
    log_in(marc, "marc")
    page = marc.get(f"/d/{DAE}/items/{item.id}").text
    holder, other = item.difference.producer_values
    assert re.search(rf'<tr data-producer="sante"><th>Direction de la santé publique ★</th><td class="value">'
                     rf'{re.escape(holder[1])}</td>', page)
    assert f'<tr data-producer="secouristes"><th>Secouristes de la Lune</th><td class="value">{other[1]}' in page
    assert ("For: Ville de Bourg-sur-Lune, direction de la santé publique · "
            "Association des secouristes de Bourg-sur-Lune") in page
    # The record's link is its producer's, under the id the producer writes (the association has none).
    assert item.difference.source_id.startswith("secouristes:")
    assert "data.bourg-sur-lune.example/dae/" not in page
    listed = marc.get(f"/api/datasets/{DAE}/queues/to_city/items?producer=sante").json()["items"]
    assert listed and all("sante" in i["producers"] for i in listed)
    (health_item,) = [i for i in listed if i["kind"] == "differs"]
    assert health_item["producers"] == ["sante"] and health_item["producer_values"] == []
    assert health_item["links"]["city"] == (
        "https://data.bourg-sur-lune.example/dae/" + health_item["source_id"].split(":")[1])


def _tie(demo: ReviewDemo, username: str, producer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Add `username` as city staff answering for `producer`, through the users command."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PAUL_PASSWORD + "\n"))
    assert main(["users", "add", username, "--role", "city_staff", "--producer", producer, "--password-stdin",
                 "--config", str(demo.files.config)]) == 0


def test_someone_answering_for_a_producer_decides_only_for_its_data(demo: ReviewDemo,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _tie(demo, "paul", "secouristes", monkeypatch)
    store = Store(demo.config.store_url)
    try:
        (between,) = store.review_items(ItemFilter(dataset=DAE, kinds=("producers_disagree",), proposals=("to_city",)))
        theirs = next(i for i in store.review_items(ItemFilter(dataset=DAE, states=("open",)))
                      if "to_city" in allowed_directions(i.difference) and i.difference.producers == ("sante",))
    finally:
        store.close()
    paul = client(demo.config)
    token = log_in(paul, "paul", PAUL_PASSWORD)
    # The dataset opens on the association's items.
    start = paul.get(f"/d/{DAE}", follow_redirects=False)
    assert start.headers["location"] == f"/d/{DAE}/to_city?producer=secouristes"
    assert paul.get("/api/session").json()["user"]["producer"] == "secouristes"
    # The department's record is not the association's to change, nor to reject: refused, nothing changed.
    for action in ("accept", "reject"):
        refused = paul.post(f"/d/{DAE}/items/{theirs.id}", data={
            "csrf_token": token, "action": action, "reason": "pas chez nous", "revision": str(theirs.revision)})
        assert refused.status_code == 403 and "about another producer" in refused.text
    assert 'data-key="accept"' not in paul.get(f"/d/{DAE}/items/{theirs.id}").text
    # The department's number for the association's own record: the association takes it.
    done = paul.post(f"/d/{DAE}/items/{between.id}", data={
        "csrf_token": token, "action": "accept", "revision": str(between.revision)}, follow_redirects=False)
    assert done.status_code == 303
    store = Store(demo.config.store_url)
    try:
        assert store.review_item(theirs.id).state == "open"
        assert (store.review_item(between.id).state, store.review_item(between.id).decision.author) == (
            "accepted", "paul")
    finally:
        store.close()
    # City staff answering for no producer decide for every producer, as before.
    marc = client(demo.config)
    marc_token = log_in(marc, "marc")
    assert marc.post(f"/d/{DAE}/items/{theirs.id}", data={
        "csrf_token": marc_token, "action": "reject", "reason": "vérifié", "revision": str(theirs.revision)},
        follow_redirects=False).status_code == 303


def test_a_user_is_tied_only_to_a_producer_the_config_names(demo: ReviewDemo, capsys) -> None:
    assert main(["users", "add", "zoe", "--role", "city_staff", "--producer", "pompiers", "--no-password",
                 "--osm-name", "Zoe", "--config", str(demo.files.config)]) != 0
    assert "no dataset has a producer 'pompiers'; known: sante, secouristes" in capsys.readouterr().err
    assert main(["users", "add", "zoe", "--role", "city_staff", "--no-password", "--osm-name", "Zoe",
                 "--config", str(demo.files.config)]) == 0
    assert main(["users", "producer", "zoe", "sante", "--config", str(demo.files.config)]) == 0
    assert main(["users", "list", "--config", str(demo.files.config)]) == 0
    assert "zoe\tcity_staff" in (listed := capsys.readouterr().out) and "producer sante" in listed
    assert main(["users", "producer", "zoe", "--config", str(demo.files.config)]) == 0
    store = Store(demo.config.store_url)
    try:
        assert Accounts(store.engine).user("zoe").producer is None
    finally:
        store.close()


def test_bulk_acceptance_offers_someone_answering_for_a_producer_only_its_records(
        demo: ReviewDemo, monkeypatch: pytest.MonkeyPatch) -> None:
    from osmbridge.web.operations import bulk_candidates

    _tie(demo, "paul", "secouristes", monkeypatch)
    store = Store(demo.config.store_url)
    try:
        items = store.review_items(ItemFilter(dataset=DAE, states=("open",)))
        paul, marc = (Accounts(store.engine).user(name) for name in ("paul", "marc"))
    finally:
        store.close()
    kinds = {i.difference.kind for i in items if "to_city" in allowed_directions(i.difference)}
    offered = {kind: bulk_candidates(items, paul, kind) for kind in kinds if kind in ("differs", "minor", "only_osm")}
    everyone = {kind: bulk_candidates(items, marc, kind) for kind in offered}
    assert any(everyone.values())  # the department's records are offered to city staff answering for no producer
    for kind, chosen in offered.items():
        assert {i.id for i in chosen} == {i.id for i in everyone[kind]
                                          if (i.difference.source_id or "").startswith("secouristes:")}
