"""An empty or suddenly shrunken OSM side stops its dataset before any proposal; the base stays."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import osmium
import pytest

from osmbridge.config import load_config
from osmbridge.demo import generate_town
from osmbridge.errors import ConfigError
from osmbridge.model import RunCounts
from osmbridge.osm.shrink import SuspectOsmSide, check_osm_side
from osmbridge.pipeline import run
from osmbridge.store import Store


def _counts(run_id: int, osm_places: int) -> RunCounts:
    return RunCounts(run_id, "t", 10, osm_places, 0, 0, 0, 0, 0, 0)


def test_empty_and_shrunken_sides_are_refused_with_the_way_out() -> None:
    history = [_counts(1, 50), _counts(2, 200)]
    check_osm_side("libs", 120, history, source="x.osm", max_shrink_share=0.5)  # 40 % fewer: fine
    with pytest.raises(SuspectOsmSide, match=r"shrank from 200 places \(run #2\) to 90 from x.osm, 55% fewer") as err:
        check_osm_side("libs", 90, history, source="x.osm", max_shrink_share=0.5)
    assert "max_shrink_share in [datasets.libs.osm]" in str(err.value)
    with pytest.raises(SuspectOsmSide, match="the OSM side is empty") as err:
        check_osm_side("libs", 0, [], source="https://overpass.example/api/interpreter", max_shrink_share=0.5)
    assert "allow_empty = true" in str(err.value) and "last good run stays the base" in str(err.value)
    check_osm_side("libs", 0, [], source="x.osm", max_shrink_share=0.5, allow_empty=True)
    # An empty side after a non-empty one is a shrink of 100 %, even when empty sides are allowed.
    with pytest.raises(SuspectOsmSide, match="100% fewer"):
        check_osm_side("libs", 0, history, source="x.osm", max_shrink_share=0.5, allow_empty=True)


def _keep_every(source: Path, target: Path, step: int) -> Path:
    """Write the nodes of an .osm file, keeping one in `step` of those with tags (untagged ones all)."""
    writer = osmium.SimpleWriter(str(target))
    try:
        tagged = 0
        for obj in osmium.FileProcessor(str(source)):
            if obj.is_node() and len(obj.tags):
                tagged += 1
                if tagged % step:
                    continue
            writer.add(obj)
    finally:
        writer.close()
    return target


def test_a_run_on_a_cut_short_osm_side_writes_nothing_and_keeps_the_base(tmp_path: Path) -> None:
    files = generate_town(tmp_path / "demo", size=60)
    config = load_config(files.config, {})
    name = "demo-equipements"
    first = run(config, datasets=[name], clock=lambda: "2024-06-01T00:00:00+00:00")
    assert first.ok
    store = Store(config.store_url)
    try:
        base = store.sync_base(name)
    finally:
        store.close()

    def on(extract: Path, **osm: object):  # the configuration reading another extract
        dataset = config.dataset(name)
        changed = dataclasses.replace(dataset, osm=dataclasses.replace(dataset.osm, extract=extract, **osm))
        return dataclasses.replace(config, datasets={**config.datasets, name: changed})

    cut = _keep_every(files.osm_current, tmp_path / "cut.osm", 4)
    second = run(on(cut), datasets=[name], clock=lambda: "2024-07-01T00:00:00+00:00")
    (outcome,) = second.outcomes
    assert not second.ok and not outcome.ok and "the OSM side shrank" in outcome.error
    assert not (config.reports_dir / name / f"run-{second.run_id:05d}").exists()
    store = Store(config.store_url)
    try:
        assert store.sync_base(name) == base
        assert [h.run_id for h in store.history(name)] == [first.run_id]
    finally:
        store.close()
    # The operator who knows OSM really lost them raises the share for one run.
    assert run(on(cut, max_shrink_share=0.9), datasets=[name], clock=lambda: "2024-07-02T00:00:00+00:00").ok


def test_an_empty_osm_side_fails_its_dataset_only(tmp_path: Path) -> None:
    files = generate_town(tmp_path / "demo", size=60)
    config = load_config(files.config, {})
    name = "demo-equipements"
    empty = tmp_path / "empty.osm"
    empty.write_text('<?xml version="1.0"?>\n<osm version="0.6"><node id="1" version="1" lat="1" lon="1"/></osm>\n',
                     encoding="utf-8")
    dataset = config.dataset(name)
    hollow = dataclasses.replace(dataset, name="hollow", osm=dataclasses.replace(dataset.osm, extract=empty))
    summary = run(dataclasses.replace(config, datasets={name: dataset, "hollow": hollow}))
    outcomes = {o.dataset: o for o in summary.outcomes}
    assert outcomes[name].ok and not outcomes["hollow"].ok
    assert "the OSM side is empty" in outcomes["hollow"].error
    assert not (config.reports_dir / "hollow").exists()


def test_config_checks_the_share(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[osm]\nmax_shrink_share = 1.5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="max_shrink_share"):
        load_config(path, {})
    path.write_text('[osm]\nmax_shrink_share = 0.2\n[datasets.a]\nlicence = "x"\nmapping = "m.toml"\n'
                    '[datasets.a.source]\nkind = "csv"\nlocation = "a.csv"\n[datasets.a.osm]\nallow_empty = true\n',
                    encoding="utf-8")
    config = load_config(path, {})
    assert config.osm.max_shrink_share == 0.2
    assert config.dataset("a").osm.max_shrink_share == 0.2 and config.dataset("a").osm.allow_empty
