"""The demo's defibrillators: two producers of one place type, their disagreements routed to the right owner.

Runs `osmbridge demo` (two syncs) and checks the run against the story's truth, then what the store,
the report files and report.html (in Chromium) say about it.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from osmbridge.cli import main
from osmbridge.config import load_config
from osmbridge.demo.producers import DATASET, FIRST_AIDERS, HEALTH
from osmbridge.demo.run import CURRENT_RUN_AT, PREVIOUS_RUN_AT, run_demo
from osmbridge.model import DatasetResult, Difference
from osmbridge.review import Accept, ItemFilter
from osmbridge.store import Store

HEALTH_OWNER = "Ville de Bourg-sur-Lune, direction de la santé publique"
AID_OWNER = "Association des secouristes de Bourg-sur-Lune"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DatasetResult, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("producers") / "demo"
    summary = run_demo(folder, size=60).summary
    assert summary.ok, [outcome.error for outcome in summary.outcomes]
    (outcome,) = [o for o in summary.outcomes if o.dataset == DATASET]
    assert outcome.result is not None and outcome.report_dir is not None
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["producers"]
    return outcome.report_dir, outcome.result, truth


def _found(result: DatasetResult, expected: dict[str, Any]) -> list[Difference]:
    return [d for d in result.differences if d.kind == expected["kind"] and d.source_id == expected["source_id"]
            and (d.osm_key == expected["osm_key"] or expected["kind"] != "missing_in_city")
            and d.field == expected.get("field")]


def test_every_case_of_the_story_is_reported_and_routed_to_its_owner(demo) -> None:
    _, result, truth = demo
    explained = set()
    for device in truth["devices"]:
        if device["kind"] is None:
            continue
        found = _found(result, device)
        assert len(found) == 1, (device, [(d.kind, d.source_id, d.field) for d in result.differences])
        (difference,) = found
        assert list(difference.producers) == device["routed"], device
        if "proposal" in device:
            assert difference.proposal == device["proposal"], device
        explained.add(difference.id)
        if "also" in device:
            also = device["also"]
            (other,) = [d for d in result.differences if d.kind == also["kind"] and d.source_id == also["source_id"]]
            assert list(other.producers) == also["routed"] and other.proposal == also["proposal"]
            explained.add(other.id)
    # Nothing else: agreeing devices, formatting differences and the less trusted producer's values on
    # the fields it does not hold report nothing.
    assert {d.id for d in result.differences} == explained


def test_the_phone_disagreement_goes_to_the_health_department_and_its_number_to_the_association(demo) -> None:
    report_dir, result, truth = demo
    (device,) = [d for d in truth["devices"] if d["case"] == "phone"]
    (item,) = _found(result, device)
    holder_value = dict(item.producer_values)[HEALTH]
    assert item.producers == (HEALTH, FIRST_AIDERS) and item.city_value != holder_value
    with (report_dir / "diff.csv").open(encoding="utf-8-sig", newline="") as handle:
        (row,) = [r for r in csv.DictReader(handle, delimiter=";") if r["id"] == item.id]
    assert (row["kind"], row["producers"], row["owner"]) == ("producers_disagree", "sante secouristes", HEALTH_OWNER)
    # The association's correction: its own record id and column, the department's number.
    with (report_dir / "city_corrections.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["difference_ids"] == item.id]
    # (A phone number is written ="..." there, so that Excel keeps it as text.)
    assert [(r["producer"], r["owner"], r["id_field"], r["id"], r["telephone"].strip('="')) for r in rows] == [
        (FIRST_AIDERS, AID_OWNER, "numero", device["aid_id"].split(":")[1], holder_value)]
    store = Store(load_config(report_dir.parents[2] / "config.toml", {}).store_url)
    try:
        for producer in (HEALTH, FIRST_AIDERS):
            assert item.id in {i.id for i in store.review_items(ItemFilter(dataset=DATASET, producer=producer))}
        done = store.decide(item.id, Accept("to_city"), author="carla")
        assert (done.state, done.decision.direction, done.decision.value) == ("accepted", "to_city", holder_value)
        assert store.review_item(item.id).difference.producer_values == item.producer_values
    finally:
        store.close()


def test_the_store_keeps_each_producers_freshness(demo) -> None:
    report_dir, result, _ = demo
    store = Store(load_config(report_dir.parents[2] / "config.toml", {}).store_url)
    try:
        records = {r.producer.name: r for r in store.producer_freshness(DATASET)}
        routed = {name: store.count_review_items(ItemFilter(dataset=DATASET, producer=name))
                  for name in (HEALTH, FIRST_AIDERS)}
    finally:
        store.close()
    assert list(records) == [HEALTH, FIRST_AIDERS]
    health, aid = records[HEALTH], records[FIRST_AIDERS]
    assert (health.producer.owner, health.producer.trust, aid.producer.licence) == (HEALTH_OWNER, 80, "ODbL-1.0")
    # The department's list has not changed since the last sync; the association checked a device since.
    assert health.stats.last_change == PREVIOUS_RUN_AT and aid.stats.last_change == CURRENT_RUN_AT
    assert (health.stats.data_date, aid.stats.data_date) == ("2024-03-15", "2024-10-28")
    assert [run[1] for run in health.history] == [PREVIOUS_RUN_AT, CURRENT_RUN_AT]
    assert {row.producer: row for row in result.producer_stats}[HEALTH] == health.stats
    assert 0 < aid.stats.fields_agreed < aid.stats.fields_compared
    # Every item routed to a producer can be listed by its name.
    assert routed[HEALTH] == sum(1 for d in result.differences if HEALTH in d.producers)
    assert routed[FIRST_AIDERS] == sum(1 for d in result.differences if FIRST_AIDERS in d.producers)


def test_the_cli_lists_a_producers_items(demo, capsys: pytest.CaptureFixture[str]) -> None:
    report_dir, result, _ = demo
    config = report_dir.parents[2] / "config.toml"
    assert main(["review", "list", "--config", str(config), "--dataset", DATASET, "--producer", FIRST_AIDERS,
                 "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed and all(FIRST_AIDERS in item["difference"]["producers"] for item in listed)
    assert {item["id"] for item in listed} == {d.id for d in result.differences if FIRST_AIDERS in d.producers}
    assert main(["review", "list", "--config", str(config), "--kind", "producers_disagree"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.endswith(("@sante,secouristes", "@secouristes,sante")) for line in lines)


def test_report_shows_who_says_what_and_each_producers_freshness(demo) -> None:
    report_dir, result, truth = demo
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    producers = re.search(r'<section class="panel producers" id="producers">(.*?)</section>', html, re.S).group(1)
    assert HEALTH_OWNER in producers and AID_OWNER in producers and "sante@bourg-sur-lune.example" in producers
    assert "2024-03-15" in producers and "2024-10-28" in producers
    says = re.search(r'<table class="matrix says-table" id="who-says-what">(.*?)</table>', html, re.S).group(1)
    (phone,) = [d for d in truth["devices"] if d["case"] == "phone"]
    place = next(body for body in says.split("<tbody")[1:] if phone["aid_id"] in body)
    assert 'class="place disagreement"' in "<tbody" + place[:40]
    row = re.search(r'<tr data-field="phone">(.*?)</tr>', place, re.S).group(1)
    assert re.search(r'holder" data-producer="sante"><span class="star"', row)
    assert 'class="value contradicts" data-producer="secouristes"' in row
    with (report_dir / "producers.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    (row,) = [r for r in rows if r["secouristes_id"] == phone["aid_id"] and r["field"] == "phone"]
    assert (row["holder"], row["producers_disagree"], row["osm_id"]) == ("sante", "yes", phone["osm_key"])


def test_report_page_filters_by_producer_in_both_languages(demo) -> None:
    from report.browser import open_page  # tests/report/browser.py

    report_dir, result, _ = demo
    with open_page(report_dir / "report.html") as (page, errors):
        page.select_option("#filter-producer", FIRST_AIDERS)
        shown = page.locator("#differences tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")
        assert set(shown) == {d.id for d in result.differences if FIRST_AIDERS in d.producers}
        assert "producer=secouristes" in page.url
        routed = page.locator("#differences tbody tr .routed").all_inner_texts()
        assert routed and all(text.startswith("For: ") for text in routed)
        page.click("#lang-switch")
        assert page.locator("#producers h2").inner_text() == "Producteurs et fraîcheur des données"
        assert page.locator("#says h2").inner_text() == "Qui dit quoi"
        assert all(text.startswith("Pour :") for text in page.locator("#differences tbody tr .routed").all_inner_texts())
        assert errors == []
