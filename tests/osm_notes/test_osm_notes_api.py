"""The notes client reads and writes through the emulator in JSON and XML, and turns refusals into clear errors
that never show the token."""

from __future__ import annotations

import pytest
from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import TOKEN, client

from osmbridge.osm_notes.api import (NoteHidden, NotesApiError, NotesRateLimited, NotesTokenMissing,
                                     NotesTokenRefused)


@pytest.mark.parametrize("answer_format", ["json", "xml"])
def test_reads_a_box_a_search_and_one_note(osm: OsmNotesEmulator, answer_format: str) -> None:
    near = osm.add_note(-1.5501, 47.2101, "Fermé définitivement", user="anne")
    osm.comment(near, "confirmé, le local est vide", user="bob")
    resolved = osm.add_note(-1.5502, 47.2102, "nom faux")
    osm.close(resolved, "corrigé", user="carl")
    osm.add_note(3.0, 45.0, "ailleurs")
    api = client(osm, answer_format=answer_format)  # type: ignore[arg-type]
    notes = {n.id: n for n in api.notes_in_bbox((-1.56, 47.20, -1.54, 47.22))}
    assert set(notes) == {near, resolved}
    first = notes[near]
    assert first.status == "open" and first.text == "Fermé définitivement"
    assert first.lon == pytest.approx(-1.5501) and first.lat == pytest.approx(47.2101)
    assert [(c.action, c.user) for c in first.comments] == [("opened", "anne"), ("commented", "bob")]
    assert first.created_at.endswith("+00:00") and first.closed_at is None
    assert notes[resolved].status == "closed" and notes[resolved].closed_at is not None
    assert [n.id for n in api.search(bbox=(-1.56, 47.20, -1.54, 47.22))] == [near]  # open ones only by default
    assert api.note(resolved).comments[-1].text == "corrigé"
    wire = [r for r in osm.requests if r[0] == "GET"]
    assert all(path.endswith(".json") == (answer_format == "json") for _, path, _ in wire)


@pytest.mark.parametrize("answer_format", ["json", "xml"])
def test_creates_and_comments_signed_with_the_token(osm: OsmNotesEmulator, answer_format: str) -> None:
    api = client(osm, answer_format=answer_format)  # type: ignore[arg-type]
    note = api.create(-1.55, 47.21, "Pouvez-vous vérifier ?\nMerci")
    assert osm.created == [note.id] and note.text == "Pouvez-vous vérifier ?\nMerci"
    assert note.comments[0].user == "Ville de Bourg-sur-Lune"
    commented = api.comment(note.id, "toujours ouvert ?")
    assert [c.action for c in commented.comments] == ["opened", "commented"]


def test_no_token_no_write(osm: OsmNotesEmulator) -> None:
    with pytest.raises(NotesTokenMissing, match="write_notes"):
        client(osm, token=None).create(-1.55, 47.21, "x")
    assert osm.requests_of("POST") == []


def test_a_refused_token_is_a_clear_error_without_the_token(osm: OsmNotesEmulator) -> None:
    osm.add_token("weak-" + "w" * 30, uid=5, name="weak", scopes=("read_prefs",))
    for token in ("weak-" + "w" * 30, "revoked-" + "r" * 30):
        with pytest.raises(NotesTokenRefused) as refused:
            client(osm, token=token).create(-1.55, 47.21, "x")
        assert "write_notes" in str(refused.value) and token not in str(refused.value)
    assert osm.created == []


def test_429_says_how_long_to_wait(osm: OsmNotesEmulator) -> None:
    osm.fail_next(429, method="GET", retry_after_s=90)
    with pytest.raises(NotesRateLimited) as limited:
        client(osm).notes_in_bbox((-1.56, 47.20, -1.54, 47.22))
    assert limited.value.retry_after_s == 90 and "90 s" in str(limited.value) and TOKEN not in str(limited.value)


def test_hidden_note_and_unreachable_server(osm: OsmNotesEmulator) -> None:
    note_id = osm.add_note(-1.55, 47.21, "spam")
    osm.hide(note_id)
    with pytest.raises(NoteHidden):
        client(osm).note(note_id)
    with pytest.raises(NotesApiError, match="cannot reach"):
        client(osm).__class__("http://127.0.0.1:9", user_agent="t", timeout_s=2).note(1)
