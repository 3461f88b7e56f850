"""OSM notes in the review application: the item page lists the notes next to the place, and a reviewer who may
decide a needs-survey item publishes it as a note (CSRF and role checked, once per spot, refusals shown); the
JSON API does the same. English and French."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import METRE, TOKEN, with_city_token
from review_demo import DATASET, ReviewDemo, store_state
from web_browser import chromium
from web_fixtures import PASSWORDS, client, log_in
from web_server import free_port, running_server

from osmbridge.config import Config, load_config
from osmbridge.pipeline import run
from osmbridge.review import ItemFilter, ReviewItem, Survey
from osmbridge.store import Store


@pytest.fixture
def osm() -> Iterator[OsmNotesEmulator]:
    with OsmNotesEmulator() as emulator:
        yield with_city_token(emulator)


def _with_notes(demo: ReviewDemo, osm: OsmNotesEmulator, *, publish: bool = True, token: bool = True) -> Config:
    """The demo's config reading notes from the emulator (and publishing them when asked)."""
    text = demo.files.config.read_text(encoding="utf-8")
    text += (f'\n[osm_notes]\napi_url = "{osm.base_url}"\npause_s = 0\nmin_interval_s = 0\n\n'
             f"[datasets.{DATASET}.osm_notes]\nread = true\npublish = {'true' if publish else 'false'}\n")
    demo.files.config.write_text(text, encoding="utf-8")
    return load_config(demo.files.config, {"OSMBRIDGE_OSM_TOKEN": TOKEN} if token else {})


def _store_do(config: Config, action):
    store = Store(config.store_url)
    try:
        return action(store)
    finally:
        store.close()


def _only_city_item(config: Config) -> ReviewItem:
    """An item only a mapper decides (the city has a value OSM lacks), marked needs-survey by anne."""
    def mark(store: Store) -> ReviewItem:
        item = store.review_items(ItemFilter(dataset=DATASET, kinds=("only_city",), states=("open",)))[0]
        return store.decide(item.id, Survey(), author="anne")
    return _store_do(config, mark)


def _record_position(demo: ReviewDemo, source_id: str) -> tuple[float, float]:
    features = json.loads(demo.files.city_current.read_text(encoding="utf-8"))["features"]
    lon, lat = next(f["geometry"]["coordinates"] for f in features if f["properties"]["identifiant"] == source_id)
    return lon, lat


def test_the_item_page_lists_the_notes_next_to_the_place(demo: ReviewDemo, osm: OsmNotesEmulator) -> None:
    config = _with_notes(demo, osm)
    item = _only_city_item(config)
    lon, lat = _record_position(demo, item.difference.source_id or "")
    closure = osm.add_note(lon, lat + 3 * METRE, "Fermé définitivement", user="anne_osm")
    osm.comment(closure, "confirmé", user="bob")
    assert run(config, trigger="test").ok
    marc = client(config)
    log_in(marc, "marc")
    page = marc.get(f"/d/{DATASET}/items/{item.id}").text
    section = page[page.index('id="osm-notes"'):]
    assert f'href="https://www.openstreetmap.org/note/{closure}"' in section
    assert "Fermé définitivement" in section and "confirmé" in section and "a closure" in section
    french = marc.get(f"/d/{DATASET}/items/{item.id}?lang=fr").text
    assert "Notes OSM à proximité" in french and "une fermeture" in french
    # The note made an item in city staff's queue.
    [note_item] = _store_do(config, lambda s: s.review_items(ItemFilter(dataset=DATASET, kinds=("osm_note",))))
    assert note_item.direction == "to_city" and note_item.difference.source_id == item.difference.source_id
    queue = marc.get(f"/d/{DATASET}/to_city?kind=osm_note").text
    assert f'data-item="{note_item.id}"' in queue and f"note:{closure}" in queue and "Fermé définitivement" in queue
    own_page = marc.get(f"/d/{DATASET}/items/{note_item.id}?lang=en").text
    assert f"OSM note {closure}, 3 m away, reports a closure: “Fermé définitivement”" in own_page
    # City staff decide it, without an acceptance (nothing would travel): reject, defer, needs survey.
    assert 'value="accept"' not in own_page.split(f'id="item-{note_item.id}"')[1].split("</article>")[0]
    assert 'value="reject"' in own_page.split(f'id="item-{note_item.id}"')[1].split("</article>")[0]


def test_a_mapper_publishes_a_needs_survey_item_once(demo: ReviewDemo, osm: OsmNotesEmulator) -> None:
    config = _with_notes(demo, osm)
    item = _only_city_item(config)
    anne = client(config)
    token = log_in(anne, "anne")
    page = anne.get(f"/d/{DATASET}/items/{item.id}").text
    assert f'action="/d/{DATASET}/items/{item.id}/osm-note' in page and "Publish as an OSM note" in page
    answer = anne.post(f"/d/{DATASET}/items/{item.id}/osm-note", data={"csrf_token": token, "anchor": item.id},
                       follow_redirects=False)
    assert answer.status_code == 303, answer.text
    [note_id] = osm.created
    assert answer.headers["location"].endswith(f"noted={note_id}&noted_how=created")
    shown = anne.get(answer.headers["location"]).text
    assert 'id="noted"' in shown and f"#{note_id}" in shown and "this item follows it" in shown
    assert "published as an OSM note" in shown  # the audit log, in the history
    # Pressed again: nothing is sent.
    again = anne.post(f"/d/{DATASET}/items/{item.id}/osm-note", data={"csrf_token": token}, follow_redirects=False)
    assert again.headers["location"].endswith("noted_how=already") and osm.created == [note_id]
    text = osm.notes[note_id].comments[0].text
    assert text.startswith("Bourg-sur-Lune — équipements publics : quelqu'un peut-il vérifier sur place ?")


def test_who_may_publish_and_what_is_refused(demo: ReviewDemo, osm: OsmNotesEmulator) -> None:
    config = _with_notes(demo, osm)
    item = _only_city_item(config)
    url = f"/d/{DATASET}/items/{item.id}/osm-note"
    before = store_state(config)
    anne = client(config)
    token = log_in(anne, "anne")
    assert anne.post(url, data={}, follow_redirects=False).status_code == 403  # no CSRF token
    assert anne.post(url, data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    marc = client(config)
    marc_token = log_in(marc, "marc")
    assert "Publish as an OSM note" not in marc.get(f"/d/{DATASET}/items/{item.id}").text
    assert marc.post(url, data={"csrf_token": marc_token}, follow_redirects=False).status_code == 403  # a mapper's item
    root = client(config)
    assert root.post(url, data={"csrf_token": log_in(root, "root")}, follow_redirects=False).status_code == 403
    # An open item is not published; the page says why.
    other = _store_do(config, lambda s: s.review_items(ItemFilter(dataset=DATASET, kinds=("only_city",),
                                                                  states=("open",)))[0])
    refused = anne.post(f"/d/{DATASET}/items/{other.id}/osm-note", data={"csrf_token": token})
    assert refused.status_code == 409 and "only an item marked needs-survey" in refused.text
    assert osm.requests_of("POST") == [] and osm.requests == []
    assert store_state(config) == before


def test_no_token_and_no_opt_in_are_refused_clearly(demo: ReviewDemo, osm: OsmNotesEmulator) -> None:
    config = _with_notes(demo, osm, token=False)
    item = _only_city_item(config)
    anne = client(config)
    token = log_in(anne, "anne")
    refused = anne.post(f"/d/{DATASET}/items/{item.id}/osm-note", data={"csrf_token": token})
    assert refused.status_code == 503 and "write_notes" in refused.text and "OSMBRIDGE_OSM_TOKEN" in refused.text
    demo.files.config.write_text(demo.files.config.read_text(encoding="utf-8").replace("publish = true",
                                                                                      "publish = false"),
                                 encoding="utf-8")
    closed = load_config(demo.files.config, {"OSMBRIDGE_OSM_TOKEN": TOKEN})
    anne = client(closed)
    token = log_in(anne, "anne")
    assert "Publish as an OSM note" not in anne.get(f"/d/{DATASET}/items/{item.id}").text
    refused = anne.post(f"/d/{DATASET}/items/{item.id}/osm-note", data={"csrf_token": token})
    assert refused.status_code == 409 and "publish = true" in refused.text
    assert osm.requests == []


def test_the_json_api_publishes_and_lists(demo: ReviewDemo, osm: OsmNotesEmulator) -> None:
    config = _with_notes(demo, osm)
    item = _only_city_item(config)
    anne = client(config)
    token = log_in(anne, "anne")
    url = f"/api/datasets/{DATASET}/items/{item.id}/osm-note"
    osm.fail_next(429, method="POST")
    limited = anne.post(url, headers={"X-CSRF-Token": token})
    assert limited.status_code == 429 and limited.json()["code"] == "error.osm_note"
    assert "Too Many Requests" in limited.json()["detail"] or "HTTP 429" in limited.json()["detail"]
    assert anne.post(url).status_code == 403  # no CSRF header
    answer = anne.post(url, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["origin"] == "created" and not body["already"] and osm.created == [body["note_id"]]
    [listed] = anne.get(f"/api/datasets/{DATASET}/items/{item.id}/osm-notes").json()
    assert listed["id"] == body["note_id"] and listed["followed"] and listed["status"] == "open"


def test_in_chromium_a_mapper_publishes_once_from_the_french_item_page(demo: ReviewDemo, osm: OsmNotesEmulator,
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    config = _with_notes(demo, osm)
    item = _only_city_item(config)
    monkeypatch.setenv("OSMBRIDGE_OSM_TOKEN", TOKEN)  # for `osmbridge serve`, which reads the environment
    with running_server(demo.files.config, free_port(), tmp_path / "server.log") as server, chromium() as person:
        anne = person("fr-FR")
        anne.goto(f"{server.url}/login")
        anne.fill("#username", "anne")
        anne.fill("#password", PASSWORDS["anne"])
        anne.click("#login-submit")
        anne.wait_for_url(f"{server.url}/")
        anne.goto(f"{server.url}/d/{DATASET}/items/{item.id}")
        assert anne.inner_text("#osm-notes h2").startswith("Notes OSM à proximité")
        button = f"#item-{item.id} button.publish-note-button"
        assert anne.inner_text(button) == "Publier en note OSM"
        anne.click(button)
        anne.wait_for_selector("#noted")
        [note_id] = osm.created
        assert anne.inner_text("#noted").startswith("Publié en note OSM") and f"#{note_id}" in anne.inner_text("#noted")
        assert anne.locator(f"#osm-notes li[data-note='{note_id}'] .followed").count() == 1
        anne.click(button)  # pressed again: the item already follows the open note
        anne.wait_for_url(lambda url: "noted_how=already" in url)
        assert "rien n'a été envoyé" in anne.inner_text("#noted") and osm.created == [note_id]
        assert anne.errors == []
    assert TOKEN not in server.log_text()
