"""The producers page and JSON of a dataset with several producers, and the queues filtered by producer."""

from __future__ import annotations

import re

from review_demo import ReviewDemo
from web_fixtures import client, log_in

from osmbridge.review import ItemFilter
from osmbridge.store import Store

DAE = "demo-defibrillateurs"


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
