"""Queues and their filters: what each lists, neighbourhoods as the party planner draws them, shareable URLs."""

from __future__ import annotations

import re

from review_demo import DATASET, ReviewDemo
from shapely.geometry import Point
from web_fixtures import client, log_in

from osmbridge.party import load_neighbourhoods
from osmbridge.review import ItemFilter
from osmbridge.store import Store


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-item="([0-9a-f]+)"', html)


def _waiting(demo: ReviewDemo, **where: object) -> list:
    store = Store(demo.config.store_url)
    try:
        return store.review_items(ItemFilter(dataset=DATASET, states=("open", "stale"), **where))  # type: ignore[arg-type]
    finally:
        store.close()


def test_each_queue_lists_its_waiting_items(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    expected = {
        "to_osm": {i.id for i in _waiting(demo, directions=("to_osm",))},
        "to_city": {i.id for i in _waiting(demo, directions=("to_city",))},
        "conflicts": {i.id for i in _waiting(demo, proposals=("conflict", "disagreement", "review"))
                      if i.difference.kind not in ("ambiguous", "duplicate")},
        "matches": {i.id for i in _waiting(demo, kinds=("ambiguous", "duplicate"))},
    }
    for queue, ids in expected.items():
        assert ids, queue
        assert set(_rows(anne.get(f"/d/{DATASET}/{queue}").text)) == ids, queue
    assert not expected["to_osm"] & expected["to_city"]
    # Every waiting item is in some queue: nothing the diff stage left to a person is out of sight.
    assert set().union(*expected.values()) == {i.id for i in _waiting(demo)}


def test_filters_narrow_the_queue_and_the_url_is_shareable(demo: ReviewDemo) -> None:
    anne, marc = client(demo.config), client(demo.config)
    log_in(anne, "anne")
    log_in(marc, "marc")
    response = anne.get(f"/d/{DATASET}/to_osm?state=&kind=only_city&category=&neighbourhood=&changed=none&q=",
                        follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/d/{DATASET}/to_osm?kind=only_city&changed=none"
    shared = response.headers["location"]
    expected = {i.id for i in _waiting(demo, directions=("to_osm",), kinds=("only_city",), changed_sides=("none",))}
    assert set(_rows(anne.get(shared).text)) == expected and expected
    assert _rows(marc.get(shared).text) == _rows(anne.get(shared).text)  # same view for whoever opens it
    searched = anne.get(f"/d/{DATASET}/to_osm?q=BSL-0119").text
    assert {i.id for i in _waiting(demo, directions=("to_osm",), source_id="BSL-0119")} == set(_rows(searched))
    category = _waiting(demo, directions=("to_osm",))[0].difference.category
    page = anne.get(f"/d/{DATASET}/to_osm", params={"category": category}).text
    assert set(_rows(page)) == {i.id for i in _waiting(demo, directions=("to_osm",), categories=(category,))}


def test_the_neighbourhood_filter_uses_the_party_planners_neighbourhoods(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    areas = load_neighbourhoods(demo.files.neighbourhoods)
    everything = _waiting(demo, directions=("to_osm",))
    seen = set()
    for area in areas:
        inside = {i.id for i in everything if area.geometry.intersects(Point(i.difference.lon, i.difference.lat))}
        listed = set(_rows(anne.get(f"/d/{DATASET}/to_osm", params={"neighbourhood": area.name}).text))
        assert listed == inside, area.name
        seen |= listed
    assert len(seen) > len(everything) / 2  # most places lie in a neighbourhood
    assert anne.get(f"/d/{DATASET}/to_osm?neighbourhood=Atlantis").status_code == 400


def test_paging_through_the_api_lists_each_item_once(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    seen: list[str] = []
    page = 1
    while True:
        body = anne.get(f"/api/datasets/{DATASET}/queues/to_osm/items?per_page=7&page={page}").json()
        if not body["items"]:
            break
        seen += [item["id"] for item in body["items"]]
        page += 1
    assert len(seen) == len(set(seen)) == body["total"] == len(_waiting(demo, directions=("to_osm",)))


def test_language_switch_is_kept_in_a_cookie_and_bad_urls_are_refused(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    assert "Vers OSM" in anne.get(f"/d/{DATASET}/to_osm?lang=fr").text
    assert "Vers OSM" in anne.get(f"/d/{DATASET}/to_city").text  # remembered
    assert "To OSM" in anne.get(f"/d/{DATASET}/to_city?lang=en").text
    assert anne.get(f"/d/{DATASET}/nowhere").status_code == 404
    assert anne.get(f"/d/{DATASET}/to_osm?kind=gossip").status_code == 400
    assert anne.get("/d/no-such-dataset/to_osm").status_code == 404
    assert anne.get(f"/d/{DATASET}/items/0123456789abcdef").status_code == 404


def test_a_place_whose_type_is_unclear_is_said_so_in_the_readers_language(demo: ReviewDemo) -> None:
    from osmbridge.diff.places import UNKNOWN_CATEGORY

    unclear = [i for i in _waiting(demo) if i.difference.category == UNKNOWN_CATEGORY]
    assert unclear, "the demo town has OSM places two of its categories fit"
    item = unclear[0]
    queue = "to_city" if item.direction == "to_city" else "to_osm" if item.direction == "to_osm" else "conflicts"
    queue = "matches" if item.difference.kind in ("ambiguous", "duplicate") else queue
    anne = client(demo.config)
    log_in(anne, "anne")
    for lang, words in (("fr", "Type incertain (plusieurs catégories possibles)"),
                        ("en", "Unclear type (several categories fit)")):
        page = anne.get(f"/d/{DATASET}/{queue}?lang={lang}").text
        assert item.id in _rows(page)
        assert f'<option value="{UNKNOWN_CATEGORY}" >{words}</option>' in page
        assert f'<div class="sub">{words}' in page
        assert f">{UNKNOWN_CATEGORY}<" not in page
        # The filter still selects by the stored value.
        filtered = anne.get(f"/d/{DATASET}/{queue}?category={UNKNOWN_CATEGORY}&lang={lang}").text
        assert item.id in _rows(filtered)
        assert words in anne.get(f"/d/{DATASET}/items/{item.id}?lang={lang}").text


def test_the_home_page_says_when_each_dataset_last_ran_in_the_readers_words(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    store = Store(demo.config.store_url)
    try:
        started = store.run_history(limit=1)[0].started_at
    finally:
        store.close()
    shown = started[:16].replace("T", " ") + " UTC"
    english, french = anne.get("/?lang=en").text, anne.get("/?lang=fr").text
    assert f'Last run: <time datetime="{started}">{shown}</time>' in english
    assert f'Dernier passage : <time datetime="{started}">{shown}</time>' in french
    assert "Last run :" not in english


def test_a_filter_value_the_page_does_not_know_is_said_so_not_called_missing(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    log_in(anne, "anne")
    for lang, words in (("en", "holds a value this page does not know"), ("fr", "une valeur que cette page ne connaît")):
        response = anne.get(f"/d/{DATASET}/to_osm?kind=no_such_kind&lang={lang}")
        assert response.status_code == 400
        assert words in response.text and "no_such_kind" in response.text
        assert "Not found" not in response.text and "Introuvable" not in response.text
    assert "Not found" in anne.get(f"/d/{DATASET}/items/0000000000000000?lang=en").text  # this one is missing


def test_bulk_acceptance_never_takes_a_case_only_difference_against_the_diffs_proposal(demo: ReviewDemo) -> None:
    from osmbridge.store import Accounts
    from osmbridge.web.operations import bulk_candidates

    store = Store(demo.config.store_url)
    try:
        items = store.review_items(ItemFilter(dataset=DATASET, states=("open",)))
        anne = Accounts(store.engine).user("anne")
    finally:
        store.close()
    minor = [i for i in items if i.difference.kind == "minor"]
    assert any(i.difference.proposal != "to_osm" for i in minor)  # the demo has case-only names OSM keeps
    offered = bulk_candidates(items, anne, "minor")
    assert {i.id for i in offered} == {i.id for i in minor if i.difference.proposal == "to_osm"}
