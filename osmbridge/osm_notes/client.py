"""The notes API client a run, the web app or the CLI uses, built from `[osm_notes]`."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from osmbridge.config_osm_notes import OsmNotesConfig
from osmbridge.osm.overpass_client import default_user_agent
from osmbridge.osm_notes.api import NotesApi
from osmbridge.osm_notes.token import load_notes_token


def notes_api(api: OsmNotesConfig, *, signed: bool = False, session: requests.Session | None = None,
              sleep: Callable[[float], None] = time.sleep) -> NotesApi:
    """Return a client of the configured server; `signed` loads the token (NotesTokenMissing without one)."""
    return NotesApi(api.api_url, user_agent=api.user_agent or default_user_agent(api.contact),
                    token=load_notes_token(api) if signed else None, timeout_s=api.timeout_s,
                    answer_format=api.answer_format, pause_s=api.pause_s, session=session, sleep=sleep)
