"""Review items in the store (SQLite and PostgreSQL): decisions with their audit entries, runs refreshing
the items, match verdicts reaching the matcher, what the push stage reads and marks."""

from __future__ import annotations

import dataclasses

import pytest
from review_fixtures import DATASET, changed, difference, record_run  # tests/review_fixtures.py
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from osmbridge.model import Note
from osmbridge.review import (Accept, Choose, Defer, Edit, InvalidDecision, InvalidTransition, ItemFilter,
                              ItemNotFound, NoCounterpart, NotSame, Reject, Reopen, RevisionConflict, Survey)
from osmbridge.store import Store, StoreError

PHONE = difference("phone", "+33240000001", "+33240000000")
SITE = difference("website", "https://a.example", "https://b.example", proposal="disagreement")
HOURS = difference("opening_hours", None, "Mo-Fr 09:00-17:00", kind="only_osm", proposal="to_city",
                   source_id="3", osm_key="n12")
AMBIGUOUS = difference(None, None, "n11, w20", kind="ambiguous", source_id="2", osm_key=None, proposal="review")


@pytest.fixture()
def store(url: str) -> Store:
    store = Store(url)
    record_run(store, [PHONE, SITE, HOURS, AMBIGUOUS])
    yield store
    store.close()


def test_the_store_keeps_every_field_of_a_difference(store: Store) -> None:
    notes = (Note("osm_alias", {"key": "contact:phone"}),
             Note("tag_note", {"key": "opening_hours", "note": Note("city_hours_converted", {"raw": "9h-17h"})}),
             Note("decision_stale", {"verdict": Note("verdict_same"), "by": "", "why": Note("why_city_changed")}))
    full = dataclasses.replace(PHONE, id="full", city_field="tel", base_city_value="+33240000000",
                               base_osm_value="+33240000000", distance_m=12.5, changed_side="city", note=notes)
    record_run(store, [full])
    assert store.review_item("full").difference == full
    with pytest.raises(ItemNotFound, match="no review item 'nope'"):
        store.review_item("nope")


def test_every_transition_is_logged_with_who_when_what_why_and_the_values(store: Store) -> None:
    steps = [
        (Accept("to_osm"), "anne", "accepted"),
        (Reopen("misclick"), "anne", "open"),
        (Edit("to_osm", "+33 2 40 00 00 02"), "bob", "edited"),
        (Reject("both numbers are old"), "carla", "rejected"),
        (Defer("asking the library"), "carla", "deferred"),
        (Survey("look at the door sign"), "anne", "needs_survey"),
        (Accept("to_city"), "carla", "accepted"),
    ]
    for i, (action, author, expected) in enumerate(steps):
        item = store.decide(PHONE.id, action, author=author, now=f"2026-02-0{i + 1}T10:00:00+00:00")
        assert item.state == expected and item.revision == i + 2
    store.mark_pushed([PHONE.id], "city:changelog/2026-02-10#4", now="2026-02-10T10:00:00+00:00")
    log = store.review_history(PHONE.id)
    assert [(e.action, e.old_state, e.new_state, e.author) for e in log] == [
        ("opened", None, "open", "osmbridge"),
        ("accept", "open", "accepted", "anne"),
        ("reopen", "accepted", "open", "anne"),
        ("edit", "open", "edited", "bob"),
        ("reject", "edited", "rejected", "carla"),
        ("defer", "rejected", "deferred", "carla"),
        ("survey", "deferred", "needs_survey", "anne"),
        ("accept", "needs_survey", "accepted", "carla"),
        ("pushed", "accepted", "pushed", "osmbridge-push"),
    ]
    edit, reject, pushed = log[3], log[4], log[8]
    assert (edit.at, edit.direction, edit.value) == ("2026-02-03T10:00:00+00:00", "to_osm", "+33 2 40 00 00 02")
    assert (reject.reason, reject.direction, reject.value) == ("both numbers are old", None, None)
    assert all((e.city_value, e.osm_value) == ("+33240000001", "+33240000000") for e in log)
    assert (pushed.value, pushed.details) == ("+33240000000", {"ref": "city:changelog/2026-02-10#4"})
    assert store.review_item(PHONE.id).decision.push_ref == "city:changelog/2026-02-10#4"
    # The whole log, newest first, by author.
    assert [e.action for e in store.audit_log(dataset=DATASET, author="carla")] == ["accept", "defer", "reject"]


def test_refused_actions_change_nothing(store: Store) -> None:
    with pytest.raises(InvalidDecision, match="needs a reason"):
        store.decide(PHONE.id, Reject(""), author="anne")
    with pytest.raises(InvalidDecision, match="can go to the city, not to OSM"):
        store.decide(HOURS.id, Accept("to_osm"), author="anne")
    item = store.review_item(PHONE.id)
    assert item.state == "open" and item.revision == 1
    assert [e.action for e in store.review_history(PHONE.id)] == ["opened"]


def test_a_decision_on_an_outdated_page_is_refused(store: Store) -> None:
    seen = store.review_item(PHONE.id).revision
    store.decide(PHONE.id, Accept("to_osm"), author="anne", if_revision=seen)
    with pytest.raises(RevisionConflict, match="changed since you read it"):
        store.decide(PHONE.id, Reject("wrong"), author="bob", if_revision=seen)
    assert store.review_item(PHONE.id).state == "accepted"


def test_bulk_decisions_are_all_or_nothing(store: Store) -> None:
    with pytest.raises(InvalidDecision):
        store.decide_many([PHONE.id, HOURS.id], Accept("to_osm"), author="anne")  # HOURS cannot go to OSM
    assert store.review_item(PHONE.id).state == "open"
    done = store.decide_many([PHONE.id, SITE.id], Accept("to_osm"), author="anne")
    assert [i.state for i in done] == ["accepted", "accepted"]


def test_a_decision_survives_a_run_that_reports_the_same_difference(store: Store) -> None:
    store.decide(SITE.id, Reject("the city's page is a redirect"), author="anne")
    record_run(store, [PHONE, SITE, HOURS, AMBIGUOUS], when="2026-03-01T00:00:00+00:00")
    item = store.review_item(SITE.id)
    assert item.state == "rejected" and item.decision.reason == "the city's page is a redirect"
    assert item.first_run_id == 1 and item.last_run_id == 2 and item.revision == 2


def test_a_changed_value_reopens_the_item_as_stale_with_old_and_new_values(store: Store) -> None:
    store.decide(PHONE.id, Accept("to_osm"), author="anne", now="2026-02-01T10:00:00+00:00")
    new_phone = changed(PHONE, city_value="+33240000009")
    run = record_run(store, [new_phone, SITE, HOURS, AMBIGUOUS], when="2026-03-01T00:00:00+00:00")
    stale = store.review_item(new_phone.id)
    assert stale.state == "stale" and stale.decision.reason == "values_changed"
    assert (stale.previous.state, stale.previous.author, stale.previous.value) == ("accepted", "anne", "+33240000001")
    assert (stale.previous.seen_city_value, stale.difference.city_value) == ("+33240000001", "+33240000009")
    old = store.review_item(PHONE.id)
    assert old.state == "resolved" and not old.present and old.previous.state == "accepted"
    # Neither is pushed: the old one is gone, the new one waits for a person.
    assert store.accepted_items(DATASET, "to_osm") == []
    history = store.review_history(new_phone.id)
    assert [(e.item_id, e.action) for e in history] == [(PHONE.id, "opened"), (PHONE.id, "accept"),
                                                        (PHONE.id, "resolved"), (new_phone.id, "stale")]
    entry = history[-1]
    assert (entry.run_id, entry.old_city_value, entry.city_value) == (run, "+33240000001", "+33240000009")
    assert entry.details == {"replaces": PHONE.id}
    # Deciding again clears the old decision.
    redone = store.decide(new_phone.id, Accept("to_osm"), author="bob")
    assert redone.state == "accepted" and redone.previous is None
    assert store.accepted_items(DATASET, "to_osm")[0][0] == new_phone


def test_a_difference_gone_from_the_run_is_resolved_and_can_come_back(store: Store) -> None:
    store.decide(SITE.id, Reject("redirect"), author="anne")
    record_run(store, [PHONE, HOURS, AMBIGUOUS], when="2026-03-01T00:00:00+00:00")
    assert store.review_item(SITE.id).state == "resolved"
    assert store.count_review_items(ItemFilter(dataset=DATASET)) == 3
    assert store.count_review_items(ItemFilter(dataset=DATASET, present=False)) == 1
    record_run(store, [PHONE, SITE, HOURS, AMBIGUOUS], when="2026-04-01T00:00:00+00:00")
    back = store.review_item(SITE.id)
    assert back.state == "stale" and back.previous.reason == "redirect" and back.present
    assert [e.action for e in store.review_history(SITE.id)] == ["opened", "reject", "resolved", "reappeared"]


def test_match_verdicts_reach_the_matchers_decisions(store: Store) -> None:
    item = store.decide(AMBIGUOUS.id, Choose(osm_key="w20"), author="anne", now="2026-02-01T10:00:00+00:00")
    assert item.state == "match_decided" and item.decision.value == "2=w20"
    decisions = {(d.source_id, d.verdict, d.osm_key, d.city_fingerprint, d.osm_fingerprint, d.author)
                 for d in store.decisions(DATASET)}
    assert decisions == {("2", "same", "w20", "c2", "ow20", "anne"), ("2", "not_same", "n11", "c2", "on11", "anne")}
    entry = store.review_history(AMBIGUOUS.id)[-1]
    assert entry.action == "choose" and entry.details["verdicts"][0] == {"source_id": "2", "verdict": "same",
                                                                       "osm_key": "w20"}
    store.decide(PHONE.id, NotSame(reason="the library moved out"), author="bob")
    store.decide(HOURS.id, NoCounterpart(), author="bob")
    verdicts = {(d.source_id, d.verdict, d.osm_key) for d in store.decisions(DATASET)}
    assert {("1", "not_same", "n10"), ("3", "no_counterpart", None)} <= verdicts
    # A verdict naming a place the latest run did not see cannot be kept with a fingerprint.
    with pytest.raises(StoreError, match="no OSM place .n99."):
        store.decide(SITE.id, NotSame(osm_key="n99"), author="bob")
    assert store.review_item(SITE.id).state == "open"


def test_the_push_stage_reads_accepted_items_and_marks_them(store: Store) -> None:
    store.decide(PHONE.id, Accept("to_osm"), author="anne")
    store.decide(SITE.id, Edit("to_osm", "https://c.example"), author="anne")
    store.decide(HOURS.id, Accept("to_city"), author="carla")
    to_osm = store.accepted_items(DATASET, "to_osm")
    assert [(d.id, decision.state, decision.value) for d, decision in to_osm] == [
        (PHONE.id, "accepted", "+33240000001"), (SITE.id, "edited", "https://c.example")]
    assert [d.id for d, _ in store.accepted_items(DATASET, "to_city")] == [HOURS.id]
    # Marking is all or nothing: HOURS is fine, AMBIGUOUS was never accepted.
    with pytest.raises(InvalidTransition):
        store.mark_pushed([HOURS.id, AMBIGUOUS.id], "city:changelog/7")
    assert store.review_item(HOURS.id).state == "accepted"
    store.mark_pushed([PHONE.id], "osm:changeset/123456")
    store.mark_stale(SITE.id, "n10 is at version 4; the reviewer saw 3")
    assert store.accepted_items(DATASET, "to_osm") == []  # never twice
    site = store.review_item(SITE.id)
    assert site.state == "stale" and site.previous.value == "https://c.example"
    assert store.review_history(SITE.id)[-1].action == "push_stale"
    # A pushed item is final, and a later run that still reports it keeps it pushed.
    with pytest.raises(InvalidTransition, match="pushed"):
        store.decide(PHONE.id, Reopen(), author="anne")
    record_run(store, [PHONE, SITE, HOURS, AMBIGUOUS], when="2026-03-01T00:00:00+00:00")
    assert store.review_item(PHONE.id).state == "pushed"


def test_filters_and_counts(store: Store) -> None:
    store.decide(HOURS.id, Accept("to_city"), author="carla")
    store.decide(SITE.id, Defer(), author="carla")

    def ids(**where: object) -> set[str]:
        return {i.id for i in store.review_items(ItemFilter(dataset=DATASET, **where))}  # type: ignore[arg-type]

    assert ids() == {PHONE.id, SITE.id, HOURS.id, AMBIGUOUS.id}
    assert ids(states=("open",)) == {PHONE.id, AMBIGUOUS.id}
    assert ids(directions=("to_osm",)) == {PHONE.id}
    assert ids(directions=("to_city",)) == {HOURS.id}
    assert ids(kinds=("ambiguous",)) == {AMBIGUOUS.id}
    assert ids(proposals=("disagreement", "review")) == {SITE.id, AMBIGUOUS.id}
    assert ids(text="B.EXAMPLE") == {SITE.id}
    assert ids(text="100%") == set()
    assert ids(source_id="3") == {HOURS.id}
    assert ids(bbox=(-1.6, 47.2, -1.5, 47.3)) == ids() and ids(bbox=(2.0, 48.0, 2.5, 49.0)) == set()
    assert store.review_counts(ItemFilter(dataset=DATASET)) == {"open": 2, "accepted": 1, "deferred": 1}
    assert store.review_counts(ItemFilter(dataset=DATASET), by="kind") == {"differs": 2, "only_osm": 1, "ambiguous": 1}
    page = store.review_items(ItemFilter(dataset=DATASET), limit=2, offset=1)
    assert [i.id for i in page] == [i.id for i in store.review_items(ItemFilter(dataset=DATASET))][1:3]


def test_the_audit_log_cannot_be_changed_or_deleted(store: Store) -> None:
    store.decide(PHONE.id, Accept("to_osm"), author="anne")
    for statement in ("UPDATE review_events SET author = 'mallory'", "DELETE FROM review_events"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    assert [e.author for e in store.review_history(PHONE.id)] == ["osmbridge", "anne"]


def test_a_store_upgraded_from_before_review_gets_the_items_and_the_guarded_log(url: str) -> None:
    from old_schema import create_old_store  # tests/store/old_schema.py
    from sqlalchemy import create_engine

    create_old_store(create_engine(url))
    store = Store(url)
    try:
        assert store.schema_change.startswith("upgraded")
        # The old run's differences have no item; the next run opens them.
        assert store.count_review_items(ItemFilter(present=None)) == 0
        record_run(store, [PHONE], when="2026-03-01T00:00:00+00:00")
        store.decide(PHONE.id, Accept("to_osm"), author="anne")
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(text("DELETE FROM review_events"))
    finally:
        store.close()
