"""Survey answers through the web application: once per answer id, reviewers' items, who may answer,
the form without JavaScript, and what a later run does to them."""

from __future__ import annotations

import re
import uuid
from typing import Any

from review_demo import DATASET, ReviewDemo
from web_fixtures import client, form_token, log_in

from osmbridge.pipeline import run
from osmbridge.review import ItemFilter, Survey
from osmbridge.store import Accounts, Store
from osmbridge.store.survey_store import survey_answers, survey_places
from osmbridge.survey import SurveyPlace
from osmbridge.web.passwords import hash_password

AGENT_PASSWORD = "paul-field-password-1"
LATER = "2024-12-01T07:00:00+00:00"


def _agent(demo: ReviewDemo) -> Any:
    store = Store(demo.config.store_url)
    try:
        Accounts(store.engine).add_user("paul", "field_agent", "2024-11-04T08:00:00+00:00",
                                        password_hash=hash_password(AGENT_PASSWORD), display_name="Paul")
    finally:
        store.close()
    agent = client(demo.config)
    token = log_in(agent, "paul", AGENT_PASSWORD)
    return agent, token


def _place(demo: ReviewDemo, **wanted: Any) -> SurveyPlace:
    store = Store(demo.config.store_url)
    try:
        return next(p for p in survey_places(store.engine, DATASET) if p.source_id and p.osm_key
                    and p.category.startswith("amenity=") and all(getattr(p, k) == v for k, v in wanted.items()))
    finally:
        store.close()


def _body(place: SurveyPlace, answer: str, **fields: Any) -> dict[str, Any]:
    return {"answer_id": str(uuid.uuid4()), "dataset": place.dataset, "source_id": place.source_id,
            "osm_key": place.osm_key, "answer": answer, **fields}


def _counts(demo: ReviewDemo) -> tuple[int, int, int]:
    store = Store(demo.config.store_url)
    try:
        return (len(survey_answers(store.engine)), store.count_review_items(ItemFilter(present=None)),
                len(store.audit_log()))
    finally:
        store.close()


def test_an_answer_posted_twice_is_recorded_once_and_runs_leave_its_items(demo: ReviewDemo) -> None:
    agent, token = _agent(demo)
    place = _place(demo)
    body = _body(place, "closed", comment="Fermé depuis mai")
    first = agent.post("/survey/answers", json=body, headers={"X-CSRF-Token": token})
    assert first.status_code == 200 and first.json()["duplicate"] is False
    counts = _counts(demo)
    again = agent.post("/survey/answers", json=body, headers={"X-CSRF-Token": token})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["items"] == first.json()["items"] and len(first.json()["items"]) == 2
    assert _counts(demo) == counts  # nothing written the second time
    # Reviewers read who saw what on the item's page.
    page = agent.get(f"/d/{DATASET}/items/{first.json()['items'][0]}?lang=fr").text
    assert re.search(r'class="value survey-value">disused:amenity=', page)
    assert "constaté sur place par paul" in page and "fermé — Fermé depuis mai" in page
    # Another run: the survey items are no run's differences, yet they stay open for the reviewers.
    assert run(demo.config, trigger="test", clock=lambda: LATER).ok
    store = Store(demo.config.store_url)
    try:
        items = [store.review_item(item_id) for item_id in first.json()["items"]]
        assert [(i.state, i.present) for i in items] == [("open", True), ("open", True)]
        assert {i.difference.proposal for i in items} == {"to_osm", "to_city"}
        history = store.review_history(items[0].id)
        assert [(e.action, e.author, e.reason) for e in history] == [("surveyed", "paul", "Fermé depuis mai")]
    finally:
        store.close()


def test_an_answer_reopens_the_items_a_reviewer_sent_for_a_survey(demo: ReviewDemo) -> None:
    agent, token = _agent(demo)
    store = Store(demo.config.store_url)
    try:
        waiting = next(i for i in store.review_items(ItemFilter(dataset=DATASET, states=("open",)))
                       if i.difference.kind == "only_city" and i.difference.osm_key)
        store.decide(waiting.id, Survey(reason="is the sign still up?"), author="anne")
        place = next(p for p in survey_places(store.engine, DATASET) if p.source_id == waiting.difference.source_id)
    finally:
        store.close()
    body = _body(place, "value", field=waiting.difference.field, value="Vu sur la porte")
    response = agent.post("/survey/answers", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    answered = response.json()
    assert answered["reopened"] == [waiting.id]
    store = Store(demo.config.store_url)
    try:
        item = store.review_item(waiting.id)
        assert item.state == "open"
        last = store.review_history(waiting.id)[-1]
        assert (last.action, last.author, last.details["answer_id"]) == ("reopen", "paul", body["answer_id"])
    finally:
        store.close()


def test_only_survey_roles_answer_with_their_session_and_token(demo: ReviewDemo) -> None:
    place = _place(demo)
    before = _counts(demo)
    anonymous = client(demo.config)
    assert anonymous.post("/survey/answers", json=_body(place, "exists")).status_code == 401
    admin = client(demo.config)
    token = log_in(admin, "root")
    refused = admin.post("/survey/answers", json=_body(place, "exists"), headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    assert admin.get("/survey/centre-bourg").status_code == 403
    agent, token = _agent(demo)
    assert agent.post("/survey/answers", json=_body(place, "exists")).status_code == 403  # no token
    assert agent.post("/survey/answers", json=_body(place, "exists"),
                      headers={"X-CSRF-Token": token, "Origin": "https://elsewhere.example"}).status_code == 403
    bad = agent.post("/survey/answers", json=_body(place, "moved"), headers={"X-CSRF-Token": token})
    assert bad.status_code == 400 and "'lat' and 'lon'" in bad.json()["detail"]
    unknown = agent.post("/survey/answers", json=_body(place, "exists", source_id="BSL-NOPE"),
                         headers={"X-CSRF-Token": token})
    assert unknown.status_code == 404
    assert _counts(demo) == before


def test_the_place_form_works_without_javascript_in_both_languages(demo: ReviewDemo) -> None:
    agent, _ = _agent(demo)
    home = agent.get("/survey?lang=fr")
    assert "Relevés de terrain" in home.text
    area = re.findall(r'data-area="([^"]+)"', home.text)[0]
    page = agent.get(f"/survey/{area}")
    link = re.search(r'class="place-open" href="([^"]+)"', page.text)
    assert link is not None
    form_page = agent.get(link.group(1).replace("&amp;", "&"))
    assert "Il est bien là" in form_page.text and "Fermé définitivement" in form_page.text
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form_page.text))
    fields |= {"answer": "exists", "csrf_token": form_token(form_page.text)}
    posted = agent.post("/survey/answers", data=fields, follow_redirects=False)
    assert posted.status_code == 303 and f"/survey/{area}?recorded={fields['answer_id']}" in posted.headers["location"]
    counts = _counts(demo)
    assert agent.post("/survey/answers", data=fields, follow_redirects=False).status_code == 303  # sent again
    assert _counts(demo) == counts
    english = agent.get(f"/survey/{area}?lang=en").text
    assert "1 of" in english and "It is there" in english
    progress = agent.get(f"/survey/{area}/progress").text
    assert re.search(r'class="surveyed">1<', progress)


def test_an_answer_no_side_needs_is_on_record_without_waiting_in_a_queue(demo: ReviewDemo) -> None:
    agent, token = _agent(demo)
    store = Store(demo.config.store_url)
    try:
        place = next(p for p in survey_places(store.engine, DATASET)
                     if p.source_id and p.osm_key and p.city_tags.get("name")
                     and p.city_tags.get("name") == p.osm_tags.get("name"))
    finally:
        store.close()
    body = _body(place, "value", field="name", value=place.city_tags["name"])
    response = agent.post("/survey/answers", json=body, headers={"X-CSRF-Token": token})
    (item_id,) = response.json()["items"]
    store = Store(demo.config.store_url)
    try:
        item = store.review_item(item_id)
        assert (item.state, item.difference.proposal, item.decision.reason) == ("resolved", "review", "survey_agrees")
        assert [(e.action, e.author) for e in store.review_history(item_id)] == [("surveyed", "paul"),
                                                                                 ("resolved", "osmbridge")]
        waiting = store.review_items(ItemFilter(dataset=DATASET, states=("open", "stale")))
        assert item_id not in {i.id for i in waiting}
    finally:
        store.close()
