"""The OAuth2 token osmbridge signs its notes with: OSMBRIDGE_OSM_TOKEN, else `[osm_notes] token_file`.

It needs the write_notes scope. The file must be readable by its owner only; the token is registered as
a secret (hidden in every message and log line) once read.
"""

from __future__ import annotations

import stat

from osmbridge.config_osm_notes import TOKEN_ENV, OsmNotesConfig
from osmbridge.osm_notes.api import NotesTokenMissing
from osmbridge.redact import register_secret

_HOW = "run `osmbridge osm login` (a token with the write_notes scope)"


def load_notes_token(api: OsmNotesConfig) -> str:
    """Return the token that signs notes; NotesTokenMissing says what to set when there is none."""
    if api.token:
        return api.token
    if api.token_file is None:
        raise NotesTokenMissing(f"publishing a note needs an OSM token with the write_notes scope: set {TOKEN_ENV} or "
                                f"[osm_notes] token_file; {_HOW}. osmbridge does not write anonymous notes")
    try:
        mode = api.token_file.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise NotesTokenMissing(f"[osm_notes] token_file {api.token_file} can be read by other users; run "
                                    f"`chmod 600 {api.token_file}`")
        token = api.token_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NotesTokenMissing(f"[osm_notes] token_file {api.token_file} does not exist; {_HOW}, or set "
                                f"{TOKEN_ENV}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NotesTokenMissing(f"[osm_notes] token_file {api.token_file} cannot be read "
                                f"({error.__class__.__name__})") from None
    if not token:
        raise NotesTokenMissing(f"[osm_notes] token_file {api.token_file} is empty; {_HOW}")
    register_secret(token)
    return token


def token_problem(api: OsmNotesConfig) -> str | None:
    """Say why no usable token signs the notes (for `osmbridge config check`), or None when one does."""
    try:
        load_notes_token(api)
    except NotesTokenMissing as error:
        return str(error)
    return None
