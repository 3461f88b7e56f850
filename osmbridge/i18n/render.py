"""Rendering notes and review words in the reader's language, and notes to and from JSON."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from osmbridge.i18n.notes import DIFF_NOTES, MATCH_NOTES
from osmbridge.i18n.osm_notes import OSM_NOTE_MESSAGES
from osmbridge.i18n.review import REVIEW_MESSAGES
from osmbridge.i18n.survey import SURVEY_MESSAGES
from osmbridge.model import Note, Notes

LANGUAGES = ("en", "fr")
NOTE_SEPARATOR = "; "
log = logging.getLogger(__name__)


def _catalogue() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in (DIFF_NOTES, MATCH_NOTES, REVIEW_MESSAGES, SURVEY_MESSAGES, OSM_NOTE_MESSAGES):
        clash = merged.keys() & part.keys()
        if clash:  # one code, two meanings: a bug to fix in the catalogue
            raise RuntimeError(f"message codes defined twice in osmbridge/i18n: {sorted(clash)}")
        merged.update(part)
    return merged


CATALOGUE = _catalogue()


def knows(code: str) -> bool:
    """Return whether the catalogue has a message for `code`."""
    return code in CATALOGUE


def message(code: str, lang: str = "en", **params: Any) -> str:
    """Return the message `code` in `lang` with `params` filled in (notes among them rendered too)."""
    return render_note(Note(code, params), lang)


def render_note(note: Note, lang: str = "en") -> str:
    """Return one note in `lang` ("en" or "fr").

    A code the catalogue lacks (a note stored by another osmbridge version) shows as its code and
    parameters rather than breaking the page.
    """
    texts = CATALOGUE.get(note.code)
    params = {key: _render_param(value, lang) for key, value in note.params.items()}
    if texts is None:
        return f"{note.code} {params}" if params else note.code
    template = texts[1] if lang == "fr" else texts[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError) as exc:
        log.warning("note %s cannot be rendered with %r: %s", note.code, params, exc)
        return f"{note.code} {params}"


def render_notes(notes: Iterable[Note], lang: str = "en", separator: str = NOTE_SEPARATOR) -> str:
    """Return notes in `lang`, joined with "; " ("" when there are none)."""
    return separator.join(render_note(note, lang) for note in notes)


def rendered_in_each_language(notes: Notes) -> dict[str, str]:
    """Return {"en": ..., "fr": ...} for notes: what a page that switches language needs."""
    return {lang: render_notes(notes, lang) for lang in LANGUAGES}


def notes_to_json(notes: Notes) -> list[dict[str, Any]]:
    """Return notes as JSON-safe data: [{"code": ..., "params": {...}}, ...] (nested notes alike)."""
    return [_note_json(note) for note in notes]


def notes_from_json(data: Any) -> Notes:
    """Return notes from their JSON form (None or [] gives no notes)."""
    if not data:
        return ()
    if isinstance(data, str):  # a note stored as text by a store written before notes were codes
        return (Note("text", {"text": data}),)
    return tuple(_note_of(item) for item in data)


def _render_param(value: Any, lang: str) -> Any:
    if isinstance(value, Note):
        return render_note(value, lang)
    if isinstance(value, tuple) and all(isinstance(item, Note) for item in value):
        return render_notes(value, lang)
    return value


def _note_json(note: Note) -> dict[str, Any]:
    return {"code": note.code, "params": {key: _param_json(value) for key, value in note.params.items()}}


def _param_json(value: Any) -> Any:
    if isinstance(value, Note):
        return _note_json(value)
    if isinstance(value, tuple) and value and all(isinstance(item, Note) for item in value):
        return [_note_json(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _note_of(data: Mapping[str, Any]) -> Note:
    return Note(str(data["code"]), {key: _param_of(value) for key, value in (data.get("params") or {}).items()})


def _param_of(value: Any) -> Any:
    if isinstance(value, dict) and "code" in value:
        return _note_of(value)
    if isinstance(value, list):
        return tuple(_note_of(item) for item in value)
    return value
