"""The demo town with field agents, reviewers and the OSM API emulator holding the town's OSM data.

A field agent answers through the web application's JSON API (`POST /survey/answers`), reviewers decide
through it too (`POST /api/datasets/.../decision`), and `osmbridge push` sends what they accepted to
the emulator and into a copy of the city's GeoJSON file.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from emulators.osm_api import OsmApiEmulator
from osmbridge.cli import main
from osmbridge.config import Config, load_config
from osmbridge.review import ItemFilter, ReviewItem
from osmbridge.store import Accounts, Store
from osmbridge.store.survey_store import survey_places
from osmbridge.survey import SurveyPlace
from osmbridge.web.passwords import hash_password
from push.conftest import TOKEN
from web.review_demo import DATASET, ReviewDemo
from web.web_fixtures import PASSWORDS, add_users, client, log_in

AGENT, AGENT_PASSWORD = "paul", "paul-field-password-1"


@dataclass
class SurveyWorld:
    """A private copy of the demo town, its emulator, and the people who use it."""

    demo: ReviewDemo
    api: OsmApiEmulator

    @property
    def folder(self) -> Path:
        return self.demo.files.config.parent

    @property
    def config_path(self) -> Path:
        return self.demo.files.config

    def config(self) -> Config:
        return load_config(self.config_path, {"OSMBRIDGE_OSM_TOKEN": TOKEN})

    def store(self) -> Store:
        return Store(self.config().store_url)

    def places(self) -> list[SurveyPlace]:
        """The surveyed places that have both a city record and an OSM object, a kind and a position."""
        store = self.store()
        try:
            return [p for p in survey_places(store.engine, DATASET) if p.source_id and p.osm_key and p.category
                    and p.city_position and p.osm_position]
        finally:
            store.close()

    def answer(self, place: SurveyPlace, answer: str, **fields: Any) -> list[str]:
        """Post one answer as the field agent; return the ids of the review items it made."""
        agent = client(self.config())
        token = log_in(agent, AGENT, AGENT_PASSWORD)
        body = {"answer_id": str(uuid.uuid4()), "dataset": DATASET, "source_id": place.source_id,
                "osm_key": place.osm_key, "answer": answer, "observed_at": "2024-11-05T10:00:00+00:00", **fields}
        response = agent.post("/survey/answers", json=body, headers={"X-CSRF-Token": token})
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    def reviewer(self, name: str) -> tuple[TestClient, dict[str, str]]:
        reviewer = client(self.config())
        return reviewer, {"X-CSRF-Token": log_in(reviewer, name, PASSWORDS[name])}

    def accept(self, item_ids: list[str], **body: Any) -> None:
        """The reviewer of each item's side accepts it (anne for OSM, marc for the city)."""
        for item_id in item_ids:
            direction = self.item(item_id).difference.proposal
            reviewer, headers = self.reviewer("anne" if direction == "to_osm" else "marc")
            answer = reviewer.post(f"/api/datasets/{DATASET}/items/{item_id}/decision",
                                   json={"action": "accept", **body}, headers=headers)
            assert answer.status_code == 200, answer.text

    def item(self, item_id: str) -> ReviewItem:
        store = self.store()
        try:
            return store.review_item(item_id)
        finally:
            store.close()

    def items(self, **where: Any) -> list[ReviewItem]:
        store = self.store()
        try:
            return store.review_items(ItemFilter(dataset=DATASET, **where))
        finally:
            store.close()

    def push(self, *args: str) -> int:
        return main(["push", "--config", str(self.config_path), "--dataset", DATASET, *args])

    def city_copy(self) -> dict[str, dict[str, Any]]:
        """The patched copy of the city's GeoJSON file: feature by record id (properties and geometry)."""
        path = self.folder / "reports" / DATASET / "city-push" / self.demo.files.city_current.name
        data = json.loads(path.read_text(encoding="utf-8"))
        return {f["properties"]["identifiant"]: f for f in data["features"]}

    def set_dataset(self, **values: str) -> None:
        """Change keys of the dataset's table in config.toml (licence, attribution)."""
        text = self.config_path.read_text(encoding="utf-8")
        head = f"[datasets.{DATASET}]\n"
        before, table = text.split(head, 1)
        table, sep, after = table.partition("\n[")  # the dataset's own keys end at the next table
        for key, value in values.items():
            kept = [line for line in table.split("\n") if not line.startswith(f"{key} = ")]
            table = f"{key} = {json.dumps(value)}\n" + "\n".join(kept)
        self.config_path.write_text(before + head + table + sep + after, encoding="utf-8")

    def allow_moves(self) -> None:
        """The mapping lets the push move OSM nodes (move_nodes = true)."""
        mapping = self.config().dataset(DATASET).mapping
        text = mapping.read_text(encoding="utf-8")
        mapping.write_text(text.replace('id_field = "identifiant"', 'id_field = "identifiant"\nmove_nodes = true', 1),
                           encoding="utf-8")


def open_world(demo: ReviewDemo, api: OsmApiEmulator) -> SurveyWorld:
    """Point the demo's config at the emulator, add the people; the emulator holds the town's OSM data."""
    api.load(demo.files.osm_current)
    config = demo.files.config
    config.write_text(config.read_text(encoding="utf-8") + "\n".join([
        "", "[osm_api]", f'url = "{api.url}"', f'auth_url = "{api.url}"', 'client_id = "osmbridge-client"',
        f'token_file = "{config.parent / "osm-token"}"', "retries = 2", "backoff_s = 0.01", ""]), encoding="utf-8")
    world = SurveyWorld(demo, api)
    loaded = world.config()
    add_users(loaded)
    store = Store(loaded.store_url)
    try:
        Accounts(store.engine).add_user(AGENT, "field_agent", "2024-11-04T08:00:00+00:00",
                                        password_hash=hash_password(AGENT_PASSWORD), display_name="Paul")
    finally:
        store.close()
    return world
