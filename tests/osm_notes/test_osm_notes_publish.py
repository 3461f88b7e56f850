"""Publishing needs-survey items as OSM notes: one note per spot, searched for first, at the configured pace,
recorded in the store and the audit log; refused clearly when it may not happen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import METRE, T0, TOKEN, client, item_of_field, publish, settings_for
from review_fixtures import DATASET, difference, record_run

from osmbridge.config_osm_notes import DatasetNotesConfig, OsmNotesConfig
from osmbridge.osm_notes.api import NotesRateLimited, NotesTokenMissing
from osmbridge.osm_notes.client import notes_api
from osmbridge.osm_notes.publish import LOCK, NotePublishRefused, NotesPaceExceeded, publish_item_note
from osmbridge.review import Accept, Survey
from osmbridge.store import Owner, Store

@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    # Four items: two fields of one library, and two places 1 km and 2 km north.
    record_run(store, [difference("phone"), difference("opening_hours", "Mo-Fr 09:00-18:00", "Mo-Sa 10:00-18:00"),
                       difference("name", "École", "Ecole", source_id="2", osm_key="n11", lat=47.21 + 1000 * METRE),
                       difference("website", "https://a.example", None, kind="only_city", source_id="3",
                                  osm_key="n12", lat=47.21 + 2000 * METRE)])
    for item in store.review_items():
        if item.difference.field != "website":
            store.decide(item.id, Survey(reason="à voir sur place"), author="marc")
    yield store
    store.close()


def test_a_note_is_opened_once_and_recorded(store: Store, osm: OsmNotesEmulator) -> None:
    published = publish(store, osm, "phone")
    assert published.origin == "created" and not published.already and osm.created == [published.note.id]
    text = osm.notes[published.note.id].comments[0].text
    assert "Library 1 (library)" in text and "numéro de téléphone" in text and "phone number" in text
    assert "https://www.openstreetmap.org/node/10" in text and "https://data.example/1" in text
    assert "à voir sur place" not in text  # a reviewer's reason stays inside
    assert text.endswith("#osmbridge") and len(text) <= 2000
    assert osm.notes[published.note.id].comments[0].user == "Ville de Bourg-sur-Lune"  # signed
    [entry] = [e for e in store.review_history(published.item_id) if e.action == "osm_note_published"]
    assert entry.author == "marc" and entry.details["note_id"] == published.note.id
    assert entry.new_state == "needs_survey"
    assert [link.note_id for link in store.note_links(published.item_id)] == [published.note.id]
    # Asked again: the item already follows this open note; nothing is sent.
    posts = len(osm.requests_of("POST"))
    again = publish(store, osm, "phone", T0 + timedelta(minutes=5))
    assert again.already and again.note.id == published.note.id and len(osm.requests_of("POST")) == posts


def test_never_a_second_note_where_one_is_open_nearby(store: Store, osm: OsmNotesEmulator) -> None:
    first = publish(store, osm, "phone")
    # Another field of the same place: it follows the open note, no new one.
    second = publish(store, osm, "opening_hours", T0 + timedelta(minutes=2))
    assert second.origin == "existing" and second.note.id == first.note.id
    # A mapper's open note 20 m from the school: the school's item follows it.
    theirs = osm.add_note(-1.55, 47.21 + 1020 * METRE, "Is the school still here?", user="anne")
    third = publish(store, osm, "name", T0 + timedelta(minutes=4))
    assert third.origin == "existing" and third.note.id == theirs
    assert osm.created == [first.note.id]
    assert len(osm.open_notes()) == 2
    history = store.review_history(item_of_field(store, "name"))
    assert [e.details.get("note_id") for e in history if e.action == "osm_note_linked"] == [theirs]


def test_a_resolved_note_nearby_does_not_stop_a_new_one(store: Store, osm: OsmNotesEmulator) -> None:
    old = osm.add_note(-1.55, 47.21 + 1000 * METRE, "old question")
    osm.close(old, "answered")
    published = publish(store, osm, "name")
    assert published.origin == "created" and published.note.id != old


def test_the_pace_holds_without_waiting(store: Store, osm: OsmNotesEmulator) -> None:
    # Two notes an hour at most: the third is refused with the time to try again, and nothing is sent.
    publish(store, osm, "phone", T0, max_per_hour=2)
    publish(store, osm, "name", T0 + timedelta(minutes=1), max_per_hour=2)
    store.decide(item_of_field(store, "website"), Survey(), author="anne")
    with pytest.raises(NotesPaceExceeded) as refused:
        publish(store, osm, "website", T0 + timedelta(minutes=2), max_per_hour=2)
    assert refused.value.retry_at == T0 + timedelta(hours=1) and "max_per_hour" in str(refused.value)
    assert len(osm.created) == 2 and store.note_links(item_of_field(store, "website")) == []
    # An hour after the first, one more may go.
    assert publish(store, osm, "website", T0 + timedelta(minutes=61), max_per_hour=2).origin == "created"
    assert len(osm.created) == 3


def test_notes_are_spaced_by_min_interval(store: Store, osm: OsmNotesEmulator) -> None:
    publish(store, osm, "phone", T0, min_interval_s=60)
    with pytest.raises(NotesPaceExceeded) as refused:
        publish(store, osm, "name", T0 + timedelta(seconds=30), min_interval_s=60)
    assert refused.value.retry_at == T0 + timedelta(seconds=60)
    assert publish(store, osm, "name", T0 + timedelta(seconds=60), min_interval_s=60).origin == "created"
    # Following an existing note opens nothing: the pace does not apply.
    assert publish(store, osm, "opening_hours", T0 + timedelta(seconds=61), min_interval_s=60).origin == "existing"


def test_a_429_records_nothing_and_frees_the_lock(store: Store, osm: OsmNotesEmulator) -> None:
    osm.fail_next(429, method="POST", retry_after_s=600)
    with pytest.raises(NotesRateLimited):
        publish(store, osm, "phone")
    item_id = item_of_field(store, "phone")
    assert osm.created == [] and store.note_links(item_id) == []
    assert not [e for e in store.review_history(item_id) if e.action.startswith("osm_note")]
    assert publish(store, osm, "phone", T0 + timedelta(minutes=10)).origin == "created"


def test_refusals_say_why_and_send_nothing(store: Store, osm: OsmNotesEmulator) -> None:
    settings = settings_for(osm)
    website = item_of_field(store, "website")  # open, not needs-survey
    with pytest.raises(NotePublishRefused, match="only an item marked needs-survey"):
        publish_item_note(store, client(osm), settings, website, author="marc", now=T0, title="x")
    store.decide(item_of_field(store, "phone"), Accept("to_osm"), author="anne")
    with pytest.raises(NotePublishRefused, match="is accepted"):
        publish(store, osm, "phone")
    opted_out = DatasetNotesConfig(publish=False, api=settings.api)
    with pytest.raises(NotePublishRefused, match=f"datasets.{DATASET}.osm_notes] publish = true"):
        publish_item_note(store, client(osm), opted_out, item_of_field(store, "name"), author="marc", now=T0, title="x")
    owner = Owner.new()
    assert store.acquire_lock(LOCK, owner, 300) is None
    try:
        with pytest.raises(NotePublishRefused, match="another OSM note is being published"):
            publish(store, osm, "name")
    finally:
        store.release_lock(LOCK, owner)
    assert osm.requests_of("POST") == []


def test_no_token_is_refused_before_anything_is_sent(osm: OsmNotesEmulator, tmp_path: Path) -> None:
    with pytest.raises(NotesTokenMissing, match="OSMBRIDGE_OSM_TOKEN"):
        notes_api(OsmNotesConfig(api_url=osm.base_url), signed=True)
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    token_file.chmod(0o644)
    with pytest.raises(NotesTokenMissing, match="chmod 600"):
        notes_api(OsmNotesConfig(api_url=osm.base_url, token_file=token_file), signed=True)
    token_file.chmod(0o600)
    assert notes_api(OsmNotesConfig(api_url=osm.base_url, token_file=token_file), signed=True).signed
    assert osm.requests == []
