"""A small town served by the loopback emulators, and a config.toml that reads it the way production does:
the city from an Opendatasoft portal, OSM from Overpass, state in SQLite or PostgreSQL.

    with service_world(tmp_path, store_url) as world:
        pipeline.run(world.config())
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulators.opendatasoft import OpendatasoftEmulator, records_from_geojson
from emulators.overpass import OverpassEmulator

from osmbridge.config import Config, load_config
from osmbridge.demo import generate_town
from osmbridge.store import RunRecord, Store

DATASET = "demo-equipements"
PORTAL_ID = "equipements"


@dataclass
class World:
    """The files, the two servers and the config of one test town."""

    root: Path
    config_path: Path
    portal: OpendatasoftEmulator
    overpass: OverpassEmulator
    records: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]
    extra: dict[str, str] = field(default_factory=dict)

    def config(self) -> Config:
        return load_config(self.config_path, {})

    def store(self) -> Store:
        return Store(self.config().store_url)

    def runs(self) -> list[RunRecord]:
        """Every run, oldest first, with steps."""
        store = self.store()
        try:
            return list(reversed(store.run_history(limit=1000, with_steps=True)))
        finally:
            store.close()

    def latest(self) -> Path | None:
        """The run folder reports/<dataset>/latest points at, if any."""
        link = self.root / "reports" / DATASET / "latest"
        return link.resolve() if link.is_symlink() else None

    def change_a_city_record(self) -> None:
        """The city renames one place: the next run has a new difference."""
        records = [dict(record) for record in self.records]
        records[0]["nom"] = f"{records[0]['nom']} (nouveau nom {time.monotonic_ns()})"
        self.records = records
        self.portal.set_records(PORTAL_ID, records)

    def write_config(self, store_url: str, **sections: str) -> None:
        """(Re)write config.toml; `sections` replace or add whole TOML sections by name."""
        south, west, north, east = self.bbox
        parts = {
            "store": f'url = "{store_url}"',
            "reports": 'directory = "reports"',
            "service": "heartbeat_s = 0.5\nlock_ttl_s = 3\nkeep_runs = 10\nmisfire_grace_s = 3600",
            "osm": (f'backend = "overpass"\noverpass_url = "{self.overpass.url}"\nbackoff_s = 0.05\nretries = 2\n'
                    "pause_s = 0\ntimeout_s = 20"),
            f"datasets.{DATASET}": f'licence = "etalab-2.0"\nmapping = "mapping.toml"\ntitle = "Bourg-sur-Lune"',
            f"datasets.{DATASET}.source": f'kind = "opendatasoft"\nlocation = "{self.portal.base_url}"\n'
                                          f'dataset_id = "{PORTAL_ID}"',
            f"datasets.{DATASET}.area": f'name = "Bourg-sur-Lune"\nbbox = [{south}, {west}, {north}, {east}]',
        }
        parts.update(self.extra)
        parts.update(sections)
        self.extra.update(sections)
        self.config_path.write_text("".join(f"[{name}]\n{body}\n\n" for name, body in parts.items()),
                                    encoding="utf-8")


@contextmanager
def service_world(tmp_path: Path, store_url: str | None = None, size: int = 60) -> Iterator[World]:
    """Generate a town of `size` places, serve it, and write a config for it."""
    files = generate_town(tmp_path, size=size)
    bbox = tuple(json.loads(files.config.read_text(encoding="utf-8").split("bbox = ")[1].split("\n")[0]))
    records = records_from_geojson(files.city_current)
    with OpendatasoftEmulator({PORTAL_ID: records}) as portal, \
            OverpassEmulator(files.osm_current, areas={}) as overpass:
        world = World(root=tmp_path, config_path=tmp_path / "service.toml", portal=portal, overpass=overpass,
                      records=records, bbox=bbox)  # type: ignore[arg-type]
        world.write_config(store_url or f"sqlite:///{tmp_path / 'state' / 'osmbridge.sqlite'}")
        yield world


def osmbridge_command(*args: str) -> list[str]:
    """The command line of the installed CLI, run by the test's Python."""
    return [sys.executable, "-m", "osmbridge.cli", *args]
