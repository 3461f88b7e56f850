"""Helpers of the OSM notes tests: the emulator with the city's token, and a client of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from emulators.osm_notes import OsmNotesEmulator

from osmbridge.config import Config, load_config
from osmbridge.config_osm_notes import DatasetNotesConfig, OsmNotesConfig
from osmbridge.demo.generate import generate_town
from osmbridge.osm_notes.api import NotesApi, NotesFormat
from osmbridge.osm_notes.publish import Published, publish_item_note
from osmbridge.store import Store

TOKEN = "city-token-" + "t" * 30
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
METRE = 1 / 111_320  # degrees of latitude
DATASET = "demo-equipements"  # the demo town's dataset


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


def isolated_records(city_file: Path, count: int, apart_m: float = 120) -> list[tuple[str, float, float]]:
    """City records with no other record within `apart_m`: a note next to one is about it alone."""
    features = json.loads(city_file.read_text(encoding="utf-8"))["features"]
    points = [(f["properties"]["identifiant"], *f["geometry"]["coordinates"]) for f in features
              if f.get("geometry") and f["geometry"]["type"] == "Point"]
    chosen = []
    for source_id, lon, lat in points:
        if all(abs(lat - other_lat) / METRE > apart_m or abs(lon - other_lon) / METRE * 0.68 > apart_m
               for other_id, other_lon, other_lat in points if other_id != source_id):
            chosen.append((source_id, lon, lat))
    assert len(chosen) >= count, "the demo town has too few isolated records for this test"
    return chosen[:count]


def demo_config(folder: Path, osm: OsmNotesEmulator, environ: dict[str, str] | None = None) -> Config:
    files = generate_town(folder, seed=2024, size=60)
    text = files.config.read_text(encoding="utf-8")
    text += (f'\n[osm_notes]\napi_url = "{osm.base_url}"\npause_s = 0\nformat = "xml"\n\n'
             f"[datasets.{DATASET}.osm_notes]\nread = true\npublish = true\ndistance_m = 40\n")
    files.config.write_text(text, encoding="utf-8")
    return load_config(files.config, environ or {})
