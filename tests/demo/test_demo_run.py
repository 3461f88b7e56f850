"""`run_demo`: the folder checks, and the previous-state configuration it runs first."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.config import load_config
from osmbridge.demo import generate_town
from osmbridge.demo.run import previous_config, run_demo
from osmbridge.errors import OsmbridgeError


def test_previous_config_reads_the_files_of_the_last_sync(tmp_path: Path) -> None:
    files = generate_town(tmp_path, size=60)
    config = load_config(files.config, {})
    previous = previous_config(config, files)
    dataset = previous.dataset("demo-equipements")
    assert Path(dataset.source.location) == files.city_previous
    assert dataset.osm.extract == files.osm_previous and previous.osm.extract == files.osm_previous
    # Everything else is the current configuration's.
    assert previous.store_url == config.store_url and dataset.mapping == config.dataset("demo-equipements").mapping


def test_refuses_a_folder_holding_other_things(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(OsmbridgeError, match="not empty"):
        run_demo(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.tex"]


def test_refuses_a_file_as_folder(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(OsmbridgeError, match="is a file"):
        run_demo(target)
