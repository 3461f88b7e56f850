"""Messages in the reader's language: the one catalogue of notes and review words, and their rendering.

Pure stages say what happened as `model.Note(code, params)`; the report, the CLI and the web app
render notes with `render_note(s)` in English or French. The catalogue: `notes.py` (diff and
match notes), `review.py` (states, actions, directions, automatic reasons).
"""

from osmbridge.i18n.render import (CATALOGUE, LANGUAGES, knows, message, notes_from_json, notes_to_json,
                                   render_note, render_notes, rendered_in_each_language)

__all__ = ["CATALOGUE", "LANGUAGES", "knows", "message", "notes_from_json", "notes_to_json", "render_note",
           "render_notes", "rendered_in_each_language"]
