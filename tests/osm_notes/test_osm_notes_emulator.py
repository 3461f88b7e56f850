"""The notes emulator answers like api.openstreetmap.org: osmapi (the real client, XML) reads and writes through it,
and it refuses what the real server refuses."""

from __future__ import annotations

import osmapi
import pytest
import requests
from emulators.osm_notes import OsmNotesEmulator


@pytest.fixture
def osm() -> OsmNotesEmulator:
    with OsmNotesEmulator() as emulator:
        emulator.add_token("good-token", uid=42, name="Ville de Bourg")
        emulator.add_token("read-only", uid=43, name="Lecteur", scopes=("read_prefs",))
        yield emulator


def _signed(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def test_osmapi_reads_notes_in_a_box_and_one_by_one(osm: OsmNotesEmulator) -> None:
    inside = osm.add_note(-1.55, 47.21, "La bibliothèque est fermée", user="anne")
    osm.add_note(2.35, 48.85, "far away")
    api = osmapi.OsmApi(api=osm.base_url)
    notes = api.notes_get(-1.56, 47.20, -1.54, 47.22)
    assert [int(n["id"]) for n in notes] == [inside]
    assert notes[0]["comments"][0]["text"] == "La bibliothèque est fermée" and notes[0]["status"] == "open"
    assert notes[0]["comments"][0]["user"] == "anne" and notes[0]["lat"] == pytest.approx(47.21)
    assert int(api.note_get(inside)["id"]) == inside


def test_osmapi_creates_comments_and_closes_with_a_token(osm: OsmNotesEmulator) -> None:
    api = osmapi.OsmApi(api=osm.base_url, session=_signed("good-token"))
    created = api.note_create({"lat": 47.2, "lon": -1.5, "text": "Vérifier les horaires"})
    note_id = int(created["id"])
    assert osm.created == [note_id] and created["comments"][0]["user"] == "Ville de Bourg"
    api.note_comment(note_id, "toujours à vérifier")
    closed = api.note_close(note_id, "vérifié, corrigé")
    assert closed["status"] == "closed" and [c["action"] for c in closed["comments"]] == ["opened", "commented",
                                                                                          "closed"]
    with pytest.raises(osmapi.NoteAlreadyClosedApiError):
        api.note_close(note_id, "again")


def test_writes_need_a_known_token_with_write_notes(osm: OsmNotesEmulator) -> None:
    note_id = osm.add_note(-1.55, 47.21, "x")
    for token, status in (("unknown", 401), ("read-only", 403)):
        answer = requests.post(f"{osm.base_url}/api/0.6/notes/{note_id}/comment.json", data={"text": "y"},
                               headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert answer.status_code == status
    assert requests.post(f"{osm.base_url}/api/0.6/notes/{note_id}/close", timeout=5).status_code == 401
    # Opening a note may be anonymous, as on openstreetmap.org.
    anonymous = requests.post(f"{osm.base_url}/api/0.6/notes.json", data={"lat": "47", "lon": "-1", "text": "z"},
                              timeout=5)
    assert anonymous.status_code == 200 and "user" not in anonymous.json()["properties"]["comments"][0]


def test_the_json_format_is_geojson_with_the_real_fields(osm: OsmNotesEmulator) -> None:
    note_id = osm.add_note(-1.55, 47.21, "closed for good")
    osm.close(note_id, "done")
    feature = requests.get(f"{osm.base_url}/api/0.6/notes/{note_id}.json", timeout=5).json()
    assert feature["type"] == "Feature" and feature["geometry"]["coordinates"] == [-1.55, 47.21]
    properties = feature["properties"]
    assert properties["status"] == "closed" and properties["closed_at"].endswith(" UTC")
    assert "reopen_url" in properties and "close_url" not in properties
    assert [c["action"] for c in properties["comments"]] == ["opened", "closed"]


def test_boxes_too_large_and_bad_limits_are_refused(osm: OsmNotesEmulator) -> None:
    too_large = requests.get(f"{osm.base_url}/api/0.6/notes.json", params={"bbox": "0,40,6,45"}, timeout=5)
    assert too_large.status_code == 400 and "maximum bbox size is 25" in too_large.text
    assert requests.get(f"{osm.base_url}/api/0.6/notes.json", params={"bbox": "0,40,1,41", "limit": "10001"},
                        timeout=5).status_code == 400
    assert requests.get(f"{osm.base_url}/api/0.6/notes.json", timeout=5).status_code == 400


def test_closed_days_hidden_notes_and_search(osm: OsmNotesEmulator) -> None:
    open_id = osm.add_note(-1.55, 47.21, "library closed")
    closed_id = osm.add_note(-1.551, 47.211, "library renamed")
    osm.close(closed_id)
    hidden_id = osm.add_note(-1.552, 47.212, "spam")
    osm.hide(hidden_id)
    box = {"bbox": "-1.6,47.1,-1.5,47.3"}

    def ids(path: str, **params: str) -> list[int]:
        answer = requests.get(f"{osm.base_url}/api/0.6/{path}.json", params={**box, **params}, timeout=5)
        return sorted(f["properties"]["id"] for f in answer.json()["features"])

    assert ids("notes") == [open_id, closed_id]
    assert ids("notes", closed="0") == [open_id]
    assert ids("notes/search", closed="0") == [open_id]
    assert ids("notes/search", q="library", closed="-1") == [open_id, closed_id]
    assert requests.get(f"{osm.base_url}/api/0.6/notes/{hidden_id}", timeout=5).status_code == 410


def test_429_on_demand_with_retry_after(osm: OsmNotesEmulator) -> None:
    osm.fail_next(429, method="POST", retry_after_s=120)
    answer = requests.post(f"{osm.base_url}/api/0.6/notes.json", data={"lat": "47", "lon": "-1", "text": "z"},
                           timeout=5)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "120"
    assert osm.created == []
    osm.max_creations = 0  # the server's own limit on notes opened
    refused = requests.post(f"{osm.base_url}/api/0.6/notes.json", data={"lat": "47", "lon": "-1", "text": "z"},
                            timeout=5)
    assert refused.status_code == 429 and osm.created == []
