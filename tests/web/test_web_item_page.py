"""The item page: a refused decision shows why and changes nothing; a decision gone stale after a run shows
what was decided on which values, and can be taken again."""

from __future__ import annotations

import json
import re

from review_demo import DATASET, ReviewDemo, store_state
from web_fixtures import client, log_in

from osmbridge.demo.run import CURRENT_RUN_AT
from osmbridge.pipeline import run
from osmbridge.review import ItemFilter
from osmbridge.store import Store


def _item(demo: ReviewDemo, **where: object):
    store = Store(demo.config.store_url)
    try:
        [found] = store.review_items(ItemFilter(dataset=DATASET, **where))  # type: ignore[arg-type]
        return found
    finally:
        store.close()


def test_a_rejection_without_reason_is_shown_and_changes_nothing(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    token = log_in(anne, "anne")
    item = _item(demo, source_id="BSL-0119", field="ref:FR:BSL")
    before = store_state(demo.config)
    page = anne.post(f"/d/{DATASET}/items/{item.id}?queue=to_osm",
                     data={"csrf_token": token, "action": "reject", "reason": " ", "revision": str(item.revision)})
    assert page.status_code == 400
    assert "a rejection needs a reason" in page.text and f'id="item-{item.id}"' in page.text
    assert store_state(demo.config) == before


def test_a_decision_made_stale_by_a_run_is_shown_with_the_values_it_was_made_on(demo: ReviewDemo) -> None:
    anne = client(demo.config)
    token = log_in(anne, "anne")
    item = _item(demo, source_id="BSL-0119", field="opening_hours")
    response = anne.post(f"/d/{DATASET}/items/{item.id}?queue=to_osm",
                         data={"csrf_token": token, "action": "accept", "revision": str(item.revision)},
                         follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/d/{DATASET}/items/{item.id}?queue=to_osm&saved={item.id}"
    # The city changes the opening hours again; the next run reports the new value.
    city = json.loads(demo.files.city_current.read_text(encoding="utf-8"))
    record = next(f for f in city["features"] if f["properties"]["identifiant"] == "BSL-0119")
    record["properties"]["horaires"] = "du lundi au vendredi de 9h à 12h"
    demo.files.city_current.write_text(json.dumps(city, ensure_ascii=False), encoding="utf-8")
    assert run(demo.config, trigger="test", clock=lambda: CURRENT_RUN_AT.replace("2024-11-04", "2024-11-11")).ok

    stale = _item(demo, source_id="BSL-0119", field="opening_hours")
    assert stale.state == "stale" and stale.previous is not None
    page = anne.get(f"/d/{DATASET}/items/{stale.id}?queue=to_osm").text
    block = page[page.index(f'id="item-{stale.id}"'):]
    block = block[:block.index("</article>")]
    assert "Decided before either side changed" in block
    assert item.difference.city_value in block  # the value the decision was about
    assert stale.difference.city_value in block and stale.difference.city_value != item.difference.city_value
    assert re.search(r'data-key="accept"', block)  # it can be decided again
