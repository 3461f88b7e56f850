"""`osmbridge notes list` and `osmbridge notes publish` on the demo town, against the notes emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import DATASET, METRE, TOKEN, demo_config, isolated_records, with_city_token

from osmbridge.cli import main
from osmbridge.pipeline import run
from osmbridge.review import ItemFilter, Survey
from osmbridge.store import Store


@pytest.fixture
def osm() -> Iterator[OsmNotesEmulator]:
    with OsmNotesEmulator() as emulator:
        yield with_city_token(emulator)


def test_list_then_publish(tmp_path: Path, osm: OsmNotesEmulator, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    config = demo_config(tmp_path / "town", osm)
    [(source_id, lon, lat)] = isolated_records(Path(config.datasets[DATASET].source.location), 1)
    note = osm.add_note(lon, lat + 3 * METRE, "Fermé définitivement")
    assert run(config, trigger="test").ok
    assert main(["notes", "list", "--config", str(config.path), "--dataset", DATASET, "--open"]) == 0
    out = capsys.readouterr().out
    assert str(note) in out and source_id in out and "closure" in out and f"/note/{note}" in out
    store = Store(config.store_url)
    try:
        item = store.review_items(ItemFilter(dataset=DATASET, kinds=("missing_in_osm", "differs")))[0]
        store.decide(item.id, Survey(), author="anne")
    finally:
        store.close()
    command = ["notes", "publish", item.id, "--config", str(config.path), "--author", "anne"]
    monkeypatch.delenv("OSMBRIDGE_OSM_TOKEN", raising=False)
    assert main(command) == 1
    assert "write_notes" in capsys.readouterr().err and osm.created == []
    monkeypatch.setenv("OSMBRIDGE_OSM_TOKEN", TOKEN)
    assert main(command) == 0
    [created] = osm.created
    assert f"{item.id}: published as the note {created}" in capsys.readouterr().out
    assert main(command) == 0
    assert "already follows the open note" in capsys.readouterr().out and osm.created == [created]
    assert main(["notes", "list", "--config", str(config.path), "--dataset", DATASET, "--item", item.id]) == 0
    assert f"followed by {item.id}" in capsys.readouterr().out


def test_config_check_wants_a_token_for_a_dataset_that_publishes(tmp_path: Path, osm: OsmNotesEmulator,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    config = demo_config(tmp_path / "town", osm)
    monkeypatch.delenv("OSMBRIDGE_OSM_TOKEN", raising=False)
    assert main(["config", "check", "--config", str(config.path)]) == 1
    assert f"datasets.{DATASET}.osm_notes.publish: publishing a note needs an OSM token" in capsys.readouterr().out
    monkeypatch.setenv("OSMBRIDGE_OSM_TOKEN", TOKEN)
    assert main(["config", "check", "--config", str(config.path)]) == 0
    assert TOKEN not in capsys.readouterr().out
    assert osm.requests == []  # config check reads no network
