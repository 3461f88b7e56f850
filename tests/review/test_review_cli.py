"""`osmbridge review ...` end to end on a demo store: list, show, every decision, bulk, the log, a rerun."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from osmbridge.cli import main
from osmbridge.config import load_config
from osmbridge.demo.run import run_demo
from osmbridge.store import Store

DATASET = "demo-equipements"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo folder after its two syncs; returns its config file."""
    folder = tmp_path_factory.mktemp("review-cli") / "demo"
    assert run_demo(folder, size=60).summary.ok
    return folder / "config.toml"


def review(config: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["review", *argv, "--config", str(config)])
    out, err = capsys.readouterr()
    return code, out, err


def listed(config: Path, capsys: pytest.CaptureFixture[str], *filters: str) -> list[dict[str, Any]]:
    code, out, _ = review(config, capsys, "list", "--json", *filters)
    assert code == 0
    return json.loads(out)


def test_list_filters_and_prints_text_or_json(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything = listed(demo, capsys)
    assert everything and {item["state"] for item in everything} == {"open"}
    to_osm = listed(demo, capsys, "--direction", "to_osm", "--dataset", DATASET)
    assert to_osm and all(item["direction"] == "to_osm" for item in to_osm)
    kinds = {item["difference"]["kind"] for item in everything}
    kind = sorted(kinds)[0]
    assert {i["difference"]["kind"] for i in listed(demo, capsys, "--kind", kind)} == {kind}
    french = listed(demo, capsys, "--lang", "fr", "--kind", "missing_in_osm")
    assert french[0]["state_text"] == "à examiner"
    assert french[0]["difference"]["note"][0]["text"].startswith("pas d'équivalent OSM")
    code, out, err = review(demo, capsys, "list", "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 3 and err.strip().endswith(f"3 of {len(everything)} items")


def test_decisions_from_the_command_line(demo: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    items = {item["id"]: item for item in listed(demo, capsys, "--dataset", DATASET)}
    fields = [i for i in items.values() if i["difference"]["kind"] in ("differs", "minor")]
    a, b, c, d = fields[:4]
    # accept, with the value that goes to OSM
    code, out, _ = review(demo, capsys, "accept", a["id"], "--to", "osm", "--author", "anne")
    assert code == 0 and out.startswith(a["id"]) and "accepted to OSM" in out
    # reject needs a reason: a clear error, exit 1, nothing recorded
    code, _, err = review(demo, capsys, "reject", b["id"], "--author", "anne")
    assert code == 1 and "needs a reason" in err
    code, _, _ = review(demo, capsys, "reject", b["id"], "--reason", "the city's value is outdated", "--author", "anne")
    assert code == 0
    # edit to the city, survey, defer and reopen
    assert review(demo, capsys, "edit", c["id"], "--to", "city", "--value", "Le bon nom", "--author", "carla")[0] == 0
    assert review(demo, capsys, "survey", d["id"], "--reason", "sign at the door?", "--author", "anne")[0] == 0
    assert review(demo, capsys, "defer", d["id"], "--author", "anne")[0] == 0
    assert review(demo, capsys, "reopen", d["id"], "--author", "anne")[0] == 0
    # an unknown id and a direction the item cannot go are clear errors
    code, _, err = review(demo, capsys, "accept", "0000000000000000", "--to", "osm", "--author", "anne")
    assert code == 1 and "no review item '0000000000000000'" in err
    only_city = next(i for i in items.values() if i["allowed_directions"] == ["to_osm"]
                     and i["difference"]["kind"] == "only_city")
    code, _, err = review(demo, capsys, "accept", only_city["id"], "--to", "city", "--author", "carla")
    assert code == 1 and "can go to OSM, not to the city" in err

    shown = json.loads(review(demo, capsys, "show", c["id"], "--json")[1])
    assert shown["state"] == "edited" and shown["decision"]["value"] == "Le bon nom"
    assert shown["decision"]["direction"] == "to_city" and shown["decision"]["author"] == "carla"
    assert [e["action"] for e in shown["history"]] == ["opened", "edit"]
    text = review(demo, capsys, "show", b["id"])[1]
    assert "Decision: rejected by anne" in text and "the city's value is outdated" in text and "History:" in text
    assert [e["action"] for e in json.loads(review(demo, capsys, "show", d["id"], "--json")[1])["history"]] == [
        "opened", "survey", "defer", "reopen"]

    # Ids from standard input, as from `list --json | jq`.
    batch = [i["id"] for i in items.values() if i["difference"]["kind"] == "only_city"][:3]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(batch) + "\n"))
    code, out, err = review(demo, capsys, "accept", "-", "--to", "osm", "--author", "bob")
    assert code == 0 and len(out.splitlines()) == 3 and "3 items recorded" in err
    # A whole filtered set at once.
    missing = [i["id"] for i in items.values() if i["difference"]["kind"] == "missing_in_osm"]
    code, out, _ = review(demo, capsys, "accept", "--all-matching", "--dataset", DATASET, "--kind", "missing_in_osm",
                          "--to", "osm", "--author", "bob")
    assert code == 0 and len(out.splitlines()) == len(missing)

    # The store holds exactly these decisions; the push stage reads the accepted ones.
    store = Store(load_config(demo, {}).store_url)
    try:
        to_osm = {diff.id: decision for diff, decision in store.accepted_items(DATASET, "to_osm")}
        assert set(to_osm) == {a["id"], *batch, *missing}
        assert {diff.id for diff, _ in store.accepted_items(DATASET, "to_city")} == {c["id"]}
        assert store.review_item(b["id"]).decision.reason == "the city's value is outdated"
    finally:
        store.close()
    log = json.loads(review(demo, capsys, "log", "--author", "carla", "--json")[1])
    assert [(e["action"], e["item_id"]) for e in log] == [("edit", c["id"])]

    # A rerun of the pipeline keeps every decision (same differences, same ids).
    assert main(["-q", "run", "--config", str(demo)]) == 0
    capsys.readouterr()
    after = {item["id"]: item for item in listed(demo, capsys, "--state", "accepted", "--state", "edited",
                                                   "--state", "rejected")}
    assert set(after) == {a["id"], b["id"], c["id"], *batch, *missing}


def test_match_verdicts_from_the_command_line(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = listed(demo, capsys, "--dataset", DATASET, "--kind", "duplicate")
    duplicate = next(i for i in items if i["difference"]["source_id"] is None)
    # An OSM duplicate names no city record: the CLI says what to add.
    code, _, err = review(demo, capsys, "choose", duplicate["id"], "--author", "anne")
    assert code == 1 and "city record" in err and "--city" in err
    pair = next(i for i in listed(demo, capsys, "--dataset", DATASET, "--kind", "differs", "--state", "open"))
    code, out, _ = review(demo, capsys, "not-same", pair["id"], "--reason", "two places", "--author", "anne")
    assert code == 0 and "settled by a match verdict" in out
    store = Store(load_config(demo, {}).store_url)
    try:
        verdicts = {(d.source_id, d.verdict, d.osm_key, d.author) for d in store.decisions(DATASET)}
    finally:
        store.close()
    assert (pair["difference"]["source_id"], "not_same", pair["difference"]["osm_key"], "anne") in verdicts
    missing = next(i for i in listed(demo, capsys, "--dataset", DATASET, "--kind", "missing_in_osm"))
    code, _, _ = review(demo, capsys, "no-counterpart", missing["id"], "--author", "anne")
    assert code == 0
    entry = json.loads(review(demo, capsys, "show", missing["id"], "--json")[1])["history"][-1]
    assert entry["action"] == "no_counterpart" and entry["details"]["verdicts"][0]["verdict"] == "no_counterpart"


def test_the_bulk_example_of_the_help_accepts_only_what_the_diff_proposes_for_osm(
        demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A bulk acceptance to OSM of formatting-only ("minor") items would write the city's
    # "PISCINE VICTOR HUGO" over OSM's "Piscine Victor Hugo": the example must select proposals only.
    import re
    import shlex

    with pytest.raises(SystemExit):
        main(["review", "--help"])
    help_text = capsys.readouterr().out
    [example] = [line for line in help_text.splitlines() if "review accept -" in line]
    listing = shlex.split(example.split("|")[0].strip().removeprefix("Examples:").strip())
    assert listing[:3] == ["osmbridge", "review", "list"] and re.search(r"--to osm", example)
    chosen = listed(demo, capsys, *listing[3:])
    assert chosen and {item["difference"]["proposal"] for item in chosen} == {"to_osm"}
    assert all("to_osm" in item["allowed_directions"] for item in chosen)
