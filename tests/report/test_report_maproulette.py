"""The MapRoulette cooperative tag-fix challenge, read back line by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osmbridge.report import plan_osm_edits, write_maproulette
from osmbridge.report.maproulette import maproulette_task
from report.report_fixtures import build_result


def read_json_sequence(data: bytes) -> list[object]:
    """Parse an RFC 7464 JSON text sequence strictly, as MapRoulette's line-by-line upload does.

    Every record must start with RS (0x1E) and end with LF; a line without RS is an error.
    """
    text = data.decode("utf-8")
    if not text:
        return []
    if not text.startswith("\x1e"):
        raise ValueError("the sequence does not start with RS")
    records = text.split("\x1e")[1:]
    parsed = []
    for number, record in enumerate(records, start=1):
        if not record.endswith("\n") or "\n" in record[:-1]:
            raise ValueError(f"record {number} is not one line ending with LF")
        parsed.append(json.loads(record))
    return parsed


def test_strict_parser_refuses_plain_lines() -> None:
    with pytest.raises(ValueError):
        read_json_sequence(b'{"type": "FeatureCollection"}\n')
    with pytest.raises(ValueError):
        read_json_sequence(b'\x1e{"a": 1}\n{"b": 2}\n')


def test_file_round_trips_through_a_parser_that_requires_rs(tmp_path: Path) -> None:
    result = build_result()
    path = write_maproulette(result, tmp_path / "challenge.geojson")
    tasks = read_json_sequence(path.read_bytes())
    plan = plan_osm_edits(result)
    edits = sorted((e for e in (*plan.file_edits, *plan.needs_download)
                    if e.action == "modify" and (e.set_tags or e.unset_tags)), key=lambda e: (e.osm_type, e.osm_id))
    assert tasks and tasks == [json.loads(json.dumps(maproulette_task(edit, result.dataset))) for edit in edits]


def test_each_line_is_a_tag_fix_task(tmp_path: Path) -> None:
    path = write_maproulette(build_result(), tmp_path / "challenge.geojson")
    # str.splitlines() would cut at RS too: lines end at LF only.
    lines = path.read_text(encoding="utf-8").removesuffix("\n").split("\n")
    assert all(line.startswith("\x1e") for line in lines)
    tasks = [json.loads(line[1:]) for line in lines]
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
