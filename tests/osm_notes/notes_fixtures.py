"""Helpers of the OSM notes tests: the emulator with the city's token, and a client of it."""

from __future__ import annotations

from emulators.osm_notes import OsmNotesEmulator

from osmbridge.osm_notes.api import NotesApi, NotesFormat

TOKEN = "city-token-" + "t" * 30


def client(osm: OsmNotesEmulator, *, token: str | None = TOKEN, answer_format: NotesFormat = "json") -> NotesApi:
    """A notes client of the emulator, signed with the city's token unless told otherwise."""
    return NotesApi(osm.base_url, user_agent="osmbridge-tests", token=token, answer_format=answer_format)


def with_city_token(osm: OsmNotesEmulator) -> OsmNotesEmulator:
    osm.add_token(TOKEN, uid=4242, name="Ville de Bourg-sur-Lune")
    return osm
