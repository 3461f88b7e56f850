"""The message catalogue: every code the stages use has both languages, and notes render per language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from osmbridge.diff.notes import join_notes
from osmbridge.diff.notes import note as diff_note
from osmbridge.i18n import CATALOGUE, message, notes_from_json, notes_to_json, render_note, render_notes
from osmbridge.i18n.notes import DIFF_NOTES, MATCH_NOTES
from osmbridge.match.notes import note as match_note
from osmbridge.model import Note

PACKAGE = Path(__file__).resolve().parents[2] / "osmbridge"


def test_every_note_code_the_code_uses_is_in_the_catalogue() -> None:
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\bnote\(\s*[\"']([a-z_]+)[\"']", path.read_text(encoding="utf-8")))
    assert len(used) > 30
    assert used - set(CATALOGUE) == set()


def test_every_message_has_english_and_french() -> None:
    for code, texts in CATALOGUE.items():
        assert len(texts) == 2 and all(text for text in texts), code
        # The same placeholders on both sides (else one language would fail to render).
        assert sorted(re.findall(r"\{(\w+)", texts[0])) == sorted(re.findall(r"\{(\w+)", texts[1])), code


def test_notes_render_in_the_readers_language() -> None:
    position = diff_note("position", distance_m=84.4, threshold_m=25)
    assert render_note(position) == "84 m apart (drift threshold 25 m)"
    assert render_note(position, "fr") == "84 m d'écart (seuil de décalage 25 m)"
    stale = match_note("decision_stale", verdict=match_note("verdict_not_same"),
                       by=match_note("by_author_date", author="anne", date="2026-05-01"),
                       why=match_note("why_osm_changed", osm="n12"))
    assert render_note(stale) == "earlier decision 'not the same place' by anne on 2026-05-01 ignored: n12 changed in OSM since"
    assert render_note(stale, "fr") == ("décision précédente « pas le même lieu » par anne le 2026-05-01 ignorée : "
                                        "n12 a changé dans OSM depuis")
    notes = join_notes(diff_note("case_only"), None, (), (diff_note("osm_alias", key="contact:phone"),))
    assert render_notes(notes) == "differs only in upper/lower case; OSM holds this under contact:phone"
    assert message("state.needs_survey", "fr") == "à vérifier sur place"


def test_notes_survive_json_and_an_unknown_code_still_shows() -> None:
    notes = (diff_note("tag_note", key="opening_hours", note=diff_note("city_hours_converted", raw="9h-17h")),
             match_note("ref_far", key="ref:FR:NM", value="12", distance=84.2))
    assert notes_from_json(notes_to_json(notes)) == notes
    assert notes_from_json(None) == () and notes_from_json("legacy text") == (Note("text", {"text": "legacy text"}),)
    assert render_note(Note("from_a_newer_version", {"x": 1})) == "from_a_newer_version {'x': 1}"


def test_a_code_missing_from_the_catalogue_is_a_bug_caught_where_the_note_is_made() -> None:
    with pytest.raises(KeyError, match="osmbridge/i18n/notes.py"):
        diff_note("no_such_code")
    with pytest.raises(KeyError, match="MATCH_NOTES"):
        match_note("no_such_code")
    with pytest.raises(TypeError, match="not text"):
        join_notes("English / français")  # type: ignore[arg-type]
    assert set(DIFF_NOTES).isdisjoint(MATCH_NOTES)
