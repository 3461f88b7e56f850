"""The MapRoulette cooperative tag-fix challenge, read back line by line."""

from __future__ import annotations

import json
from pathlib import Path

from osmbridge.report import write_maproulette
from report.report_fixtures import build_result


def test_each_line_is_a_tag_fix_task(tmp_path: Path) -> None:
    path = write_maproulette(build_result(), tmp_path / "challenge.geojson")
    lines = path.read_text(encoding="utf-8").splitlines()
    tasks = [json.loads(line) for line in lines]
    assert len(tasks) == 3  # nodes 101 and 105, way 201; creations and moves are not tag fixes
    by_id = {}
    for task in tasks:
        assert task["type"] == "FeatureCollection"
        assert len(task["features"]) == 1
        feature = task["features"][0]
        assert feature["type"] == "Feature" and feature["geometry"]["type"] in ("Point", "Polygon")
        work = task["cooperativeWork"]
        assert work["meta"] == {"version": 2, "type": 1}
        [operation] = work["operations"]
        assert operation["operationType"] == "modifyElement"
        assert operation["data"]["id"] == feature["properties"]["@id"]
        by_id[operation["data"]["id"]] = {op["operation"]: op["data"] for op in operation["data"]["operations"]}
    assert by_id["node/101"] == {
        "setTags": {"phone": "+33 2 40 41 42 43", "website": "https://bm.nantes.fr"},
        "unsetTags": ["fax"],
    }
    assert by_id["way/201"] == {"setTags": {"name": "Jardin des Plantes"}}
    # The closed pool: its main key moves under the lifecycle prefix, nothing else changes.
    assert by_id["node/105"] == {"setTags": {"disused:leisure": "sports_centre"}, "unsetTags": ["leisure"]}
