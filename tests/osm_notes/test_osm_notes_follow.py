"""Closing the loop: a later run reads the notes that items follow; new comments go to the audit log, and a
resolved (or hidden) note sends its needs-survey items back to review with the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import client, item_of_field, publish, settings_for
from review_fixtures import difference, record_run

from osmbridge.osm_notes.steps import follow_run_notes
from osmbridge.review import Reject, Survey
from osmbridge.store import Store

T1 = "2026-03-03T09:00:00+00:00"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    record_run(store, [difference("phone"), difference("opening_hours", "Mo-Fr 09:00-18:00", "Mo-Sa 10:00-18:00")])
    for item in store.review_items():
        store.decide(item.id, Survey(), author="marc")
    yield store
    store.close()


def _follow(store: Store, osm: OsmNotesEmulator, now: str = T1):
    return follow_run_notes(settings_for(osm), store, "libs", 2, now, api=client(osm, token=None))


def test_a_resolved_note_reopens_its_items_with_the_answer(store: Store, osm: OsmNotesEmulator) -> None:
    note_id = publish(store, osm, "phone").note.id
    publish(store, osm, "opening_hours", datetime(2026, 3, 2, 9, 5, tzinfo=UTC))  # follows the same note
    osm.comment(note_id, "J'y passe demain", user="bob")
    osm.close(note_id, "Vérifié sur place : le numéro de la ville est le bon", user="carl")
    [change] = _follow(store, osm)
    assert change.new_comments == 1 and (change.status_before, change.status_now) == ("open", "closed")
    assert sorted(change.reopened) == sorted(item.id for item in store.review_items())
    for item in store.review_items():
        assert item.state == "open" and item.decision.reason == "osm_note_closed"
        assert item.decision.author == "osmbridge"
        history = store.review_history(item.id)
        said = {e.action: e for e in history}
        assert said["osm_note_commented"].details["by"] == "bob"
        closed = said["osm_note_closed"]
        assert (closed.old_state, closed.new_state) == ("needs_survey", "open") and closed.run_id == 2
        assert closed.details["comment"].startswith("Vérifié sur place") and closed.details["by"] == "carl"
    [known] = store.osm_notes("libs", item_id=change.reopened[0])
    assert known.note.status == "closed" and len(known.links) == 2
    # Nothing new: a second look writes nothing.
    entries = len(store.audit_log())
    assert _follow(store, osm, "2026-03-04T09:00:00+00:00") == []  # nothing changed
    assert len(store.audit_log()) == entries


def test_a_hidden_note_reopens_its_item(store: Store, osm: OsmNotesEmulator) -> None:
    note_id = publish(store, osm, "phone").note.id
    osm.hide(note_id)
    [change] = _follow(store, osm)
    assert change.status_now == "hidden"
    item = store.review_item(item_of_field(store, "phone"))
    assert item.state == "open" and item.decision.reason == "osm_note_hidden"


def test_an_item_decided_since_keeps_its_decision(store: Store, osm: OsmNotesEmulator) -> None:
    note_id = publish(store, osm, "phone").note.id
    item_id = item_of_field(store, "phone")
    store.decide(item_id, Reject(reason="the city checked by phone"), author="marc")
    osm.close(note_id, "ok")
    _follow(store, osm)
    item = store.review_item(item_id)
    assert item.state == "rejected"
    assert [e.action for e in store.review_history(item_id)][-1] == "osm_note_closed"


def test_comments_are_logged_once_and_a_reopened_note_is_followed_again(store: Store, osm: OsmNotesEmulator) -> None:
    note_id = publish(store, osm, "phone").note.id
    item_id = item_of_field(store, "phone")
    osm.comment(note_id, "first", user="bob")
    _follow(store, osm)
    _follow(store, osm, "2026-03-03T10:00:00+00:00")
    comments = [e.details["comment"] for e in store.review_history(item_id) if e.action == "osm_note_commented"]
    assert comments == ["first"]
    osm.close(note_id, "done")
    _follow(store, osm, "2026-03-03T11:00:00+00:00")
    assert store.review_item(item_id).state == "open"
    osm.reopen(note_id, "not done after all")
    # A reopened note is not followed by id any more (it is closed in the store)... until a run sees it nearby.
    assert store.followed_notes("libs") == []
    from osmbridge.model import PlaceNote

    fresh = client(osm).note(note_id)
    follow_run_notes(settings_for(osm), store, "libs", 3, "2026-03-03T12:00:00+00:00",
                     [PlaceNote(fresh, "1", "n10", "Library 1", "library", 1.0)], api=client(osm, token=None))
    assert "osm_note_reopened" in [e.action for e in store.review_history(item_id)]
    assert [k.note.id for k in store.followed_notes("libs")] == [note_id]


def test_a_note_that_cannot_be_read_is_tried_again_next_run(store: Store, osm: OsmNotesEmulator) -> None:
    note_id = publish(store, osm, "phone").note.id
    osm.close(note_id, "done")
    osm.fail_next(429, method="GET", path=f"/api/0.6/notes/{note_id}")
    assert _follow(store, osm) == []
    assert store.review_item(item_of_field(store, "phone")).state == "needs_survey"
    [change] = _follow(store, osm, (datetime.fromisoformat(T1) + timedelta(hours=1)).isoformat())
    assert change.status_now == "closed"
