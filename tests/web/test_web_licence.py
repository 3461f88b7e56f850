"""The licence gate as reviewers see it: a queue and an item say what the gate keeps back, and why."""

from __future__ import annotations

from review_demo import ReviewDemo
from web_fixtures import client, log_in

from osmbridge.review import ItemFilter
from osmbridge.review.directions import allowed_directions
from osmbridge.store import Store

DAE = "demo-defibrillateurs"  # published under etalab-2.0: OSM's data may not go into it


def _items(demo: ReviewDemo, **where: object) -> list:  # type: ignore[type-arg]
    store = Store(demo.config.store_url)
    try:
        return store.review_items(ItemFilter(dataset=DAE, **where))  # type: ignore[arg-type]
    finally:
        store.close()


def test_the_city_queue_of_an_etalab_dataset_says_the_gate_keeps_osm_data_out(demo: ReviewDemo) -> None:
    marc = client(demo.config)
    log_in(marc, "marc")
    page = marc.get(f"/d/{DAE}/to_city").text
    assert 'id="licence-blocked"' in page and "etalab-2.0" in page
    assert "licence gate" in page.split('id="licence-blocked"')[1].split("</p>")[0]
    french = marc.get(f"/d/{DAE}/to_city?lang=fr").text
    assert "contrôle de licence" in french.split('id="licence-blocked"')[1].split("</p>")[0]
    # OSM may take the city's etalab data (flagged, allowed): no warning on that queue; nor on an ODbL dataset.
    assert 'id="licence-blocked"' not in marc.get(f"/d/{DAE}/to_osm").text
    assert 'id="licence-blocked"' not in marc.get("/d/demo-equipements/to_city").text


def test_an_item_carrying_osm_data_is_marked_and_a_producers_correction_is_not(demo: ReviewDemo) -> None:
    items = _items(demo)
    from_osm = [i for i in items if "to_city" in allowed_directions(i.difference)
                and i.difference.kind != "producers_disagree"]
    (between,) = [i for i in items if i.difference.kind == "producers_disagree" and i.difference.proposal == "to_city"]
    assert from_osm, [i.difference.kind for i in items]
    marc = client(demo.config)
    log_in(marc, "marc")
    page = marc.get(f"/d/{DAE}/items/{from_osm[0].id}").text
    assert f'id="licence-{from_osm[0].id}-to_city"' in page
    assert f'id="licence-{between.id}-to_city"' not in marc.get(f"/d/{DAE}/items/{between.id}").text
    api = marc.get(f"/api/datasets/{DAE}/items/{from_osm[0].id}").json()
    assert "etalab-2.0" in api["licence_blocked"]["to_city"] and "to_osm" not in api["licence_blocked"]
    assert marc.get(f"/api/datasets/{DAE}/items/{between.id}").json()["licence_blocked"] == {}
