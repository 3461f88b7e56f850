"""Enter in an item's text boxes never accepts, with or without the page's script (Chromium, `osmbridge serve`).

The browser presses a form's first button on Enter; the first visible one is "accept". A reviewer who
types a reason and presses Enter before the script has loaded (or with scripts off) must get a
rejection with that reason, never an acceptance.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from review_demo import DATASET, build_review_demo
from web_browser import chromium
from web_fixtures import PASSWORDS
from web_server import free_port, running_server

from osmbridge.cli import main
from osmbridge.review import ItemFilter
from osmbridge.store import Store


def _state(config_store: str, item_id: str) -> tuple[str, str, str | None]:
    store = Store(config_store)
    try:
        item = store.review_item(item_id)
        return item.state, item.decision.reason, item.decision.value
    finally:
        store.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["script-off", "script-on"])
def test_enter_in_the_reason_box_rejects_and_in_an_empty_box_decides_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, javascript: bool) -> None:
    port = free_port()
    demo = build_review_demo(tmp_path / "demo", web=f'public_url = "http://127.0.0.1:{port}"')
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["anne"] + "\n"))
    assert main(["users", "add", "anne", "--role", "mapper", "--password-stdin",
                 "--config", str(demo.files.config)]) == 0
    store = Store(demo.config.store_url)
    try:
        first, second, edited = [i for i in store.review_items(ItemFilter(dataset=DATASET, states=("open",)))
                                 if i.difference.kind == "differs" and i.direction == "to_osm"][:3]
    finally:
        store.close()
    with running_server(demo.files.config, port, tmp_path / "server.log") as server, chromium() as person:
        page = person(javascript=javascript)
        page.goto(f"{server.url}/login")
        page.fill("#username", "anne")
        page.fill("#password", PASSWORDS["anne"])
        page.press("#password", "Enter")
        page.wait_for_url(f"{server.url}/")

        page.goto(f"{server.url}/d/{DATASET}/items/{first.id}")
        page.fill(f"#item-{first.id} input.reason", "Déjà corrigé sur le terrain")
        page.press(f"#item-{first.id} input.reason", "Enter")
        page.wait_for_selector(f"#item-{first.id} [data-state=rejected]")
        assert _state(demo.config.store_url, first.id)[:2] == ("rejected", "Déjà corrigé sur le terrain")

        page.goto(f"{server.url}/d/{DATASET}/items/{second.id}")
        page.press(f"#item-{second.id} input.reason", "Enter")  # nothing typed
        page.wait_for_selector("#error")  # without the script: nothing chosen; with it: a rejection needs a reason
        assert _state(demo.config.store_url, second.id)[0] == "open"
        if not javascript:
            assert "Nothing was decided" in page.inner_text("#error")

        page.goto(f"{server.url}/d/{DATASET}/items/{edited.id}")
        page.fill(f"#item-{edited.id} input.edit-value", "Mo-Fr 09:00-12:00")
        page.press(f"#item-{edited.id} input.edit-value", "Enter")  # a value typed: Enter edits, never accepts
        page.wait_for_selector(f"#item-{edited.id} [data-state=edited]")
        assert _state(demo.config.store_url, edited.id)[::2] == ("edited", "Mo-Fr 09:00-12:00")
        assert page.errors == []
