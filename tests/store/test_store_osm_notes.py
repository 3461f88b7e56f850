"""The OSM notes half of the store on SQLite and PostgreSQL: notes near places upserted run after run, links with
their audit entries, the follow-up that reopens needs-survey items, the counts the pace is measured from."""

from __future__ import annotations

from review_fixtures import DATASET, difference, record_run

from osmbridge.model import NoteComment, OsmNote, PlaceNote
from osmbridge.review import Survey
from osmbridge.store import Store

T = "2026-03-02T09:00:00+00:00"


def _note(note_id: int, status: str = "open", *comments: tuple[str, str, str]) -> OsmNote:
    said = (NoteComment("opened", T, "anne", "Fermé définitivement"),) + tuple(
        NoteComment(action, T, user, text) for action, user, text in comments)
    return OsmNote(id=note_id, lon=-1.55, lat=47.21, status=status, created_at=T,  # type: ignore[arg-type]
                   closed_at=T if status == "closed" else None, comments=said)


def test_notes_links_and_follow_up(url: str) -> None:
    store = Store(url)
    try:
        run_id = record_run(store, [difference("phone"), difference("name", "A", "B")])
        phone, name = (next(i.id for i in store.review_items() if i.difference.field == f) for f in ("phone", "name"))
        store.decide(phone, Survey(), author="marc")
        near = PlaceNote(_note(7), "1", "n10", "Library 1", "library", 3.0, "closure", "Fermé définitivement")
        store.save_place_notes(DATASET, run_id, [near], T)
        store.save_place_notes(DATASET, run_id, [near], T)  # a second run: the same row, updated
        [known] = store.osm_notes(DATASET, source_id="1")
        assert (known.note.id, known.concern, known.distance_m, known.links) == (7, "closure", 3.0, ())
        store.link_note(phone, _note(8), "created", author="marc", now=T)
        store.link_note(name, _note(8), "existing", author="marc", now="2026-03-02T09:05:00+00:00")
        store.link_note(name, _note(8), "existing", author="marc", now="2026-03-02T09:06:00+00:00")  # no-op
        assert store.own_note_ids(DATASET) == {8} and store.notes_created_since("2026-03-02T08:00:00+00:00") == [T]
        assert store.notes_created_since("2026-03-02T09:00:01+00:00") == []
        assert [k.note.id for k in store.followed_notes(DATASET)] == [8]
        assert [link.origin for link in store.osm_notes(DATASET, item_id=name)[0].links] == ["created", "existing"]
        change = store.follow_note(DATASET, _note(8, "closed", ("commented", "bob", "j'y vais"),
                                                  ("closed", "carl", "vérifié")), "2026-03-03T09:00:00+00:00",
                                   run_id=run_id)
        assert change.new_comments == 1 and change.reopened == (phone,)  # only the needs-survey one reopens
        assert store.review_item(phone).state == "open" and store.review_item(name).state == "open"
        actions = [e.action for e in store.review_history(phone)]
        assert actions[-3:] == ["osm_note_published", "osm_note_commented", "osm_note_closed"]
        assert store.followed_notes(DATASET) == []
    finally:
        store.close()


def test_a_note_the_latest_run_no_longer_saw_is_not_listed_unless_followed(url: str) -> None:
    store = Store(url)
    try:
        first = record_run(store, [difference("phone")])
        store.save_place_notes(DATASET, first, [PlaceNote(_note(7), "1", "n10", "L", "library", 3.0),
                                                PlaceNote(_note(8), "1", "n10", "L", "library", 3.0)], T)
        store.link_note(store.review_items()[0].id, _note(8), "existing", author="marc", now=T)
        second = record_run(store, [difference("phone")], when="2026-03-09T09:00:00+00:00")
        store.save_place_notes(DATASET, second, [PlaceNote(_note(9), "1", "n10", "L", "library", 3.0)], T)
        assert sorted(k.note.id for k in store.osm_notes(DATASET, source_id="1")) == [8, 9]
    finally:
        store.close()
