"""Helpers of the OSM notes tests: the emulator with the city's token, and a client of it."""

from __future__ import annotations

from datetime import UTC, datetime

from emulators.osm_notes import OsmNotesEmulator

from osmbridge.config_osm_notes import DatasetNotesConfig, OsmNotesConfig
from osmbridge.osm_notes.api import NotesApi, NotesFormat
from osmbridge.osm_notes.publish import Published, publish_item_note
from osmbridge.store import Store

TOKEN = "city-token-" + "t" * 30
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
METRE = 1 / 111_320  # degrees of latitude


def client(osm: OsmNotesEmulator, *, token: str | None = TOKEN, answer_format: NotesFormat = "json") -> NotesApi:
    """A notes client of the emulator, signed with the city's token unless told otherwise."""
    return NotesApi(osm.base_url, user_agent="osmbridge-tests", token=token, answer_format=answer_format)


def with_city_token(osm: OsmNotesEmulator) -> OsmNotesEmulator:
    osm.add_token(TOKEN, uid=4242, name="Ville de Bourg-sur-Lune")
    return osm


def settings_for(osm: OsmNotesEmulator, **api: object) -> DatasetNotesConfig:
    """A dataset publishing notes to the emulator with the city's token, no pause, no pace unless given."""
    values: dict[str, object] = dict(api_url=osm.base_url, token=TOKEN, pause_s=0.0, max_per_hour=10,
                                     min_interval_s=0.0)
    return DatasetNotesConfig(publish=True, distance_m=50, api=OsmNotesConfig(**{**values, **api}))  # type: ignore[arg-type]


def item_of_field(store: Store, field: str) -> str:
    """The id of the item about `field`."""
    return next(item.id for item in store.review_items() if item.difference.field == field)


def publish(store: Store, osm: OsmNotesEmulator, field: str, now: datetime = T0, **api: object) -> Published:
    """Publish the item about `field` as marc (city staff)."""
    return publish_item_note(store, client(osm), settings_for(osm, **api), item_of_field(store, field), author="marc",
                             now=now, title="Équipements de Bourg", city_url_template="https://data.example/{id}")
