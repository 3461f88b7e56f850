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


def test_run_demo_syncs_then_reports_the_changes(tmp_path: Path) -> None:
    from osmbridge.store import Store

    demo = run_demo(tmp_path / "demo", size=60)
    summary = demo.summary
    assert summary.ok, [outcome.error for outcome in summary.outcomes]
    assert sorted(o.dataset for o in summary.outcomes) == ["demo-defibrillateurs", "demo-equipements"]
    (outcome,) = [o for o in summary.outcomes if o.dataset == "demo-equipements"]
    assert outcome.report_dir is not None and (outcome.report_dir / "report.html").exists()
    # Two runs in the history: the last sync (fixed date) then now.
    store = Store(load_config(tmp_path / "demo" / "config.toml", {}).store_url)
    try:
        history = store.history("demo-equipements")
    finally:
        store.close()
    assert [counts.started_at for counts in history][:1] == ["2024-06-01T00:00:00+00:00"]
    # Running it again starts from a fresh store: the same story, the same counts.
    assert demo.party_page is not None and demo.party_page.is_file()
    again = run_demo(tmp_path / "demo", size=60).summary
    assert [o.counts for o in again.outcomes] == [o.counts for o in summary.outcomes]
