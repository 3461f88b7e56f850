"""`osmbridge push --to city` on a dataset with several producers: each correction goes into its own producer's file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from osmbridge.cli import main
from osmbridge.config import load_config
from osmbridge.demo.producers import DATASET, FIRST_AIDERS, HEALTH
from osmbridge.demo.run import run_demo
from osmbridge.push.city_log import read_log
from osmbridge.review import Accept, ItemFilter
from osmbridge.review.directions import allowed_directions
from osmbridge.store import Store


@pytest.fixture
def town(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    assert run_demo(folder, size=60).summary.ok
    return folder


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["numero"]: row for row in csv.DictReader(handle, delimiter=";")}


def test_a_producers_correction_goes_into_the_other_producers_file_and_osm_data_stays_out(town: Path, capsys) -> None:
    config = load_config(town / "config.toml", {})
    store = Store(config.store_url)
    try:
        (between,) = store.review_items(ItemFilter(dataset=DATASET, kinds=("producers_disagree",),
                                                   proposals=("to_city",)))
        from_osm = next(i for i in store.review_items(ItemFilter(dataset=DATASET))
                        if "to_city" in allowed_directions(i.difference) and i.difference.kind != "producers_disagree"
                        and (i.difference.source_id or "").startswith(HEALTH + ":"))
        store.decide(between.id, Accept("to_city"), author="carla")
        store.decide(from_osm.id, Accept("to_city"), author="carla")
    finally:
        store.close()
    holder, value = between.difference.producer_values[0]
    assert holder == HEALTH and between.difference.source_id.startswith(FIRST_AIDERS + ":")
    record = between.difference.source_id.split(":", 1)[1]
    before = _rows(town / "dae-secouristes-current.csv")
    assert before[record]["telephone"] != value

    assert main(["push", "--config", str(town / "config.toml"), "--dataset", DATASET, "--to", "city"]) == 0
    out = capsys.readouterr().out

    # The association's copy of its own CSV holds the department's number, in its own column, and nothing else changed.
    folder = town / "reports" / DATASET / "city-push"
    after = _rows(folder / FIRST_AIDERS / "dae-secouristes-current.csv")
    assert after[record]["telephone"] == value
    assert {k: r for k, r in after.items() if k != record} == {k: r for k, r in before.items() if k != record}
    [change] = read_log(folder / FIRST_AIDERS / "city-changes.csv")
    assert (change.record, change.new, change.attribution) == (record, value, f"producer: {HEALTH}")
    # The department publishes under etalab-2.0: OSM's value for its record is kept back, and said so.
    assert not (folder / HEALTH / "dae-sante-current.geojson").exists()
    assert f"-> city ({HEALTH}): 1 accepted items BLOCKED by the licence gate: {from_osm.id}" in out
    store = Store(config.store_url)
    try:
        assert store.review_item(between.id).state == "pushed"
        assert store.review_item(from_osm.id).state == "accepted"
    finally:
        store.close()
