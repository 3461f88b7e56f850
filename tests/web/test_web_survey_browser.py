"""A field agent surveys three places on a phone in Chromium, one of them with the network cut.

Against `osmbridge serve`: the agent logs in, opens a neighbourhood, says one place is there, one is
closed (offline: the answer waits in the phone's outbox and goes when the network is back) and one
stands elsewhere (tapping the map; the first post of that answer reaches the server but its reply is
lost, so the page sends it again). Then the store must hold each answer once, its review items once,
one audit entry per item, in the reviewers' queues; and the organisers' page counts them.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from review_demo import build_review_demo
from web_browser import chromium
from web_fixtures import PASSWORDS
from web_server import free_port, running_server

from osmbridge.cli import main
from osmbridge.config import Config
from osmbridge.party.names import slugify
from osmbridge.review import ItemFilter, ReviewItem
from osmbridge.store import Store
from osmbridge.store.survey_store import survey_answers, survey_places
from osmbridge.survey import SurveyPlace
from osmbridge.web.queues import Neighbourhoods, queue_filter

AGENT, AGENT_PASSWORD = "paul", "paul-field-password-1"


def _places_in_one_area(config: Config) -> tuple[str, list[SurveyPlace]]:
    """A neighbourhood and three of its places that have both a city record and an OSM object."""
    from osmbridge.party import load_neighbourhoods

    assert config.web.neighbourhoods is not None
    areas = Neighbourhoods(load_neighbourhoods(config.web.neighbourhoods))
    store = Store(config.store_url)
    try:
        places = [p for name in sorted(config.datasets) for p in survey_places(store.engine, name)]
    finally:
        store.close()
    by_area: dict[str, list[SurveyPlace]] = {}
    for place in places:
        name = areas.name_of(place.lon, place.lat)
        # Places whose OSM object carries a main key (a closure moves it under disused:).
        if name and place.source_id and place.osm_key and place.category.startswith(("amenity=", "leisure=")):
            by_area.setdefault(name, []).append(place)
    name = max(by_area, key=lambda n: len(by_area[n]))
    assert len(by_area[name]) >= 3
    return name, by_area[name][:3]


def _anchor(place: SurveyPlace) -> str:
    return "#place-" + slugify(f"{place.dataset}-{place.key}", max_length=120)


def _answer(page: Any, place: SurveyPlace, button: str) -> None:
    page.tap(f"{_anchor(place)} a.place-open")
    page.wait_for_selector("#answer-panel:not([hidden])")
    assert page.inner_text("#answer-place") == (place.name or place.source_id)
    page.tap(button)


def _stored(config: Config) -> tuple[list[Any], list[ReviewItem], list[Any]]:
    store = Store(config.store_url)
    try:
        answers = survey_answers(store.engine, author=AGENT)
        items = [i for i in store.review_items(ItemFilter(present=None)) if i.difference.kind.startswith("survey_")]
        entries = store.audit_log(author=AGENT)
        return answers, items, entries
    finally:
        store.close()


def test_a_field_agent_records_three_answers_on_a_phone_one_offline(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    demo = build_review_demo(tmp_path / "demo", web=f'public_url = "http://127.0.0.1:{port}"\n'
                                                    'neighbourhoods = "neighbourhoods.geojson"')
    monkeypatch.setattr("sys.stdin", io.StringIO(AGENT_PASSWORD + "\n"))
    assert main(["users", "add", AGENT, "--role", "field_agent", "--display-name", "Paul", "--password-stdin",
                 "--config", str(demo.files.config)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["anne"] + "\n"))
    assert main(["users", "add", "anne", "--role", "mapper", "--password-stdin",
                 "--config", str(demo.files.config)]) == 0
    config = demo.config
    area, (there, closed, moved) = _places_in_one_area(config)
    slug = slugify(area, max_length=80)

    with running_server(demo.files.config, port, tmp_path / "server.log") as server, chromium() as person:
        url = server.url
        phone = person(locale="fr-FR", phone=True)
        phone.goto(f"{url}/")
        phone.fill("#username", AGENT)
        phone.fill("#password", AGENT_PASSWORD)
        phone.tap("#login-submit")
        phone.wait_for_url(f"{url}/survey")  # a field agent's home is the survey
        phone.tap(f"tr[data-area='{slug}'] a.big-link")
        phone.wait_for_url(f"{url}/survey/{slug}")
        assert phone.evaluate("document.documentElement.lang") == "fr"
        # Big tap targets on a phone: the answer buttons are at least 48 px high.
        phone.tap(f"{_anchor(there)} a.place-open")
        assert phone.locator("#answer-exists").bounding_box()["height"] >= 48
        phone.tap("#answer-close")

        # 1. Online: the place is there.
        _answer(phone, there, "#answer-exists")
        phone.wait_for_selector(f"{_anchor(there)}.surveyed")

        # 2. Offline: closed. The answer waits on the phone, then goes when the network is back.
        phone.context.set_offline(True)
        _answer(phone, closed, "#answer-closed")
        phone.wait_for_selector(f"{_anchor(closed)}.pending")
        phone.wait_for_selector("#outbox:not([hidden])")
        assert "1" in phone.inner_text("#outbox")
        phone.wait_for_timeout(1500)  # a retry or two fails meanwhile
        assert [a.answer.answer for a in _stored(config)[0]] == ["exists"]
        queued = phone.evaluate("JSON.parse(localStorage.getItem('osmbridge.survey.outbox'))")
        assert [q["answer"] for q in queued] == ["closed"]
        phone.context.set_offline(False)
        phone.wait_for_selector(f"{_anchor(closed)}.surveyed", timeout=20000)
        phone.wait_for_selector("#outbox", state="hidden")

        # 3. Moved, by tapping the map. The first post reaches the server but its reply is lost:
        #    the page keeps the answer and sends it again, with the same answer id.
        lost: list[str] = []

        def lose_first_reply(route: Any) -> None:
            if not lost:
                route.fetch()  # the server gets it...
                lost.append(route.request.post_data_json["answer_id"])
                route.abort()  # ...the phone never hears back
            else:
                route.continue_()

        phone.route("**/survey/answers", lose_first_reply)
        phone.tap(f"{_anchor(moved)} a.place-open")
        phone.tap("#answer-moved summary")
        phone.wait_for_selector("#survey-map[data-ready]")
        box = phone.locator("#survey-map").bounding_box()
        phone.tap("#survey-map", position={"x": box["width"] / 2 + 90, "y": box["height"] / 2 - 70})
        lat, lon = float(phone.input_value("#answer-lat")), float(phone.input_value("#answer-lon"))
        assert abs(lat - moved.lat) > 0.0002 and abs(lon - moved.lon) > 0.0002  # some 40-100 m away
        phone.tap("#answer-moved-submit")
        phone.wait_for_selector(f"{_anchor(moved)}.surveyed", timeout=20000)
        assert len(lost) == 1
        # An answer someone else left in this phone's outbox is never sent in the agent's session.
        phone.evaluate("""localStorage.setItem('osmbridge.survey.outbox', JSON.stringify([{who: 'someone-else',
            answer_id: '00000000-aaaa-bbbb-cccc-000000000000', dataset: 'x', answer: 'exists'}]))""")
        phone.reload()
        phone.wait_for_timeout(1000)
        assert "someone-else" in phone.evaluate("localStorage.getItem('osmbridge.survey.outbox')")
        assert phone.locator("#outbox").is_hidden()
        assert phone.errors == []

        # The organisers' page counts the three places as checked.
        organiser = person()
        organiser.goto(f"{url}/survey/{slug}/progress")
        organiser.fill("#username", "anne")
        organiser.fill("#password", PASSWORDS["anne"])
        organiser.click("#login-submit")
        organiser.wait_for_url(f"{url}/survey/{slug}/progress")
        assert organiser.inner_text("#totals .surveyed") == "3"
        for place in (there, closed, moved):
            assert organiser.locator(f"{_anchor(place)}.surveyed .items a[data-item]").count() >= 1

    answers, items, entries = _stored(config)
    # Each answer once, about the right place, the moved one where the map was tapped.
    assert sorted((a.answer.answer, a.answer.source_id) for a in answers) == sorted(
        [("exists", there.source_id), ("closed", closed.source_id), ("moved", moved.source_id)])
    assert lost[0] in {a.answer.answer_id for a in answers}
    by_kind = {a.answer.answer: a for a in answers}
    assert (by_kind["moved"].answer.lat, by_kind["moved"].answer.lon) == (round(lat, 7), round(lon, 7))
    # Their review items once each, with the agent as the source, in the reviewers' queues.
    made = [item_id for a in answers for item_id in a.item_ids]
    assert len(made) == len(set(made)) == len(items) == 5  # exists: OSM; closed and moved: OSM and city
    kinds = Counter((i.difference.kind, i.difference.proposal, i.difference.source_id) for i in items)
    assert kinds == Counter({("survey_exists", "to_osm", there.source_id): 1,
                             ("survey_closed", "to_osm", closed.source_id): 1,
                             ("survey_closed", "to_city", closed.source_id): 1,
                             ("survey_moved", "to_osm", moved.source_id): 1,
                             ("survey_moved", "to_city", moved.source_id): 1})
    assert all(i.state == "open" and i.difference.note[0].params["agent"] == AGENT for i in items)
    moved_to = f"{round(lat, 7):.7f},{round(lon, 7):.7f}"
    assert {i.difference.survey_value for i in items if i.difference.kind == "survey_moved"} == {moved_to}
    store = Store(config.store_url)
    try:
        for queue in ("to_osm", "to_city"):
            waiting = {i.id for i in store.review_items(queue_filter(next(iter(config.datasets)), queue))}
            assert {i.id for i in items if i.difference.proposal == queue} <= waiting
    finally:
        store.close()
    # The audit log: one "surveyed" entry per item, by the agent, nothing else by them.
    assert Counter(e.item_id for e in entries if e.action == "surveyed") == Counter(made)
    assert {e.action for e in entries} == {"surveyed"}
