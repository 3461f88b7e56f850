"""`osmbridge match` as a user runs it, on files written here: options, stage report, statuses, columns."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from osmbridge.cli import main

ORIGIN = (2.3485, 48.8782)


def _lon_lat(east_m: float, north_m: float) -> tuple[float, float]:
    lat = ORIGIN[1] + math.degrees(north_m / 6_371_008.8)
    lon = ORIGIN[0] + math.degrees(east_m / (6_371_008.8 * math.cos(math.radians(ORIGIN[1]))))
    return lon, lat


def _write_osm(path: Path, nodes: list[tuple[int, float, float, dict[str, str]]]) -> Path:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for node_id, east, north, tags in nodes:
        lon, lat = _lon_lat(east, north)
        lines.append(f' <node id="{node_id}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">')
        lines += [f'  <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append(" </node>")
    path.write_text("\n".join(lines + ["</osm>", ""]), encoding="utf-8")
    return path


def _write_city(path: Path, rows: list[tuple[str, str, float, float]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "lat", "lon"])
        for source_id, name, east, north in rows:
            lon, lat = _lon_lat(east, north)
            writer.writerow([source_id, name, f"{lat:.7f}", f"{lon:.7f}"])
    return path


MAPPING = """
[mapping]
name = "libraries"
id_field = "id"
name_field = "name"
match_distance_m = 50

[[category]]
tags = { amenity = "library" }
"""


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    library = {"amenity": "library"}
    osm = _write_osm(tmp_path / "city.osm", [
        (1, 0, 0, library | {"name": "Bibliothèque Chaptal"}),
        (2, 8, 0, library | {"name": "Bibliothèque Chaptal"}),  # the same library mapped twice
        (3, 200, 1000, library | {"name": "Bibliothèque Drouot Nord"}),
        (4, 3000, 3000, library | {"name": "Bibliothèque Valeyre"}),  # no record: OSM only
        (5, 5000, 0, {"amenity": "cafe", "name": "Café Chaptal"}),  # not a library: not read
        (6, 2000, 0, library | {"name": "Médiathèque Hergé"}),
    ])
    city = _write_city(tmp_path / "libraries.csv", [
        ("L1", "Bibliothèque Chaptal", 3, 0),
        ("L2", "Médiathèque Hergé", 2000, 3),
        ("L2b", "Médiathèque Hergé", 2004, 3),  # the city lists it twice
        ("L3", "Bibliothèque Drouot", 0, 1000),  # 200 m from its place
    ])
    mapping = tmp_path / "libraries.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return {"osm": osm, "city": city, "mapping": mapping, "out": tmp_path / "matches.csv"}


def _run(files: dict[str, Path], *extra: str) -> int:
    return main(["match", "--city", str(files["city"]), "--osm", str(files["osm"]), "--mapping", str(files["mapping"]),
                 "--out", str(files["out"]), *extra])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_each_side_has_its_own_duplicate_status_and_candidates_hold_the_other_sides_ids(
        files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(files) == 0
    rows = _rows(files["out"])
    by_city = {row["source_id"]: row for row in rows if row["source_id"]}
    by_osm = {row["osm_id"]: row for row in rows if not row["source_id"]}
    # The city lists one library twice: the record left over says which OSM place its twin has.
    twin_city = "L2b" if by_city["L2"]["osm_id"] else "L2"
    assert by_city[twin_city]["status"] == "city_duplicate"
    assert by_city[twin_city]["candidates"] == "n6"
    assert by_city[twin_city]["twins"] == ({"L2", "L2b"} - {twin_city}).pop()
    assert by_city[twin_city]["notes"] == "city_duplicate"  # the codes of the matcher's explanations
    # OSM maps another twice: the place left over says which city record its twin has.
    linked = by_city["L1"]["osm_id"]
    other_osm = ({"n1", "n2"} - {linked}).pop()
    assert by_osm[other_osm]["status"] == "osm_duplicate"
    assert (by_osm[other_osm]["twins"], by_osm[other_osm]["candidates"]) == (linked, "L1")
    assert by_osm["n4"]["status"] == "osm_only" and "n5" not in by_osm
    summary = capsys.readouterr().out
    assert "4 city records: 1 city_duplicate, 1 city_only, 2 matched" in summary
    assert "1 osm_duplicate, 2 osm_only" in summary


def test_max_distance_applies_with_a_mapping(files: dict[str, Path]) -> None:
    assert _run(files) == 0
    assert {row["source_id"]: row["status"] for row in _rows(files["out"])}["L3"] == "city_only"
    assert _run(files, "--max-distance", "100") == 0
    row = {row["source_id"]: row for row in _rows(files["out"])}["L3"]
    assert (row["status"], row["osm_id"]) == ("matched", "n3")


def test_osm_only_rows_can_be_left_out(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(files, "--no-osm-only") == 0
    statuses = {row["status"] for row in _rows(files["out"])}
    assert "osm_only" not in statuses and "osm_duplicate" in statuses
    assert "osm_only rows not written" in capsys.readouterr().out


def test_verbose_prints_each_stage_with_its_time_and_counts(files: dict[str, Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-v", "match", "--city", str(files["city"]), "--osm", str(files["osm"]),
                 "--mapping", str(files["mapping"]), "--out", str(files["out"]), "--max-distance", "80"]) == 0
    err = capsys.readouterr().err
    for stage in ("read city", "mapping", "read OSM", "match", "write"):
        assert stage in err
    assert "4 records from" in err and "5 features from" in err and "80 m for every category" in err
    assert " s  " in err  # each stage's seconds
    assert main(["match", "--city", str(files["city"]), "--osm", str(files["osm"]),
                 "--mapping", str(files["mapping"]), "--out", str(files["out"])]) == 0
    assert "read city" not in capsys.readouterr().err


def test_options_of_a_list_without_mapping_are_refused_beside_a_mapping(files: dict[str, Path],
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(files, "--tag", "amenity=library") == 1
    assert "not both" in capsys.readouterr().err
    assert _run(files, "--max-distance", "-5") == 1
    assert "--max-distance" in capsys.readouterr().err


def test_a_missing_city_file_is_named_with_where_its_path_came_from(files: dict[str, Path],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # `match` reads no config.toml: the message must not send the user to one only.
    files["city"] = files["city"].with_name("no-such-file.csv")
    assert _run(files) == 1
    error = capsys.readouterr().err
    assert "no-such-file.csv: file not found" in error and "--city" in error
    assert not files["out"].exists()
