"""The demo generator: deterministic bytes, sizes, readable files, a config the loader accepts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from demo_readers import read_city, read_osm  # tests/demo/demo_readers.py
from shapely.geometry import Point, shape

from osmbridge.config import load_config
from osmbridge.demo import DemoFiles, generate_town
from osmbridge.errors import OsmbridgeError

ALL_FILES = ("city_previous", "city_current", "osm_previous", "osm_current", "mapping", "neighbourhoods",
             "config", "truth")


def _bytes(files: DemoFiles) -> dict[str, bytes]:
    return {name: getattr(files, name).read_bytes() for name in ALL_FILES}


def test_same_seed_gives_byte_identical_files(tmp_path: Path, demo: DemoFiles) -> None:
    again = generate_town(tmp_path / "again")
    assert _bytes(again) == _bytes(demo)


def test_bytes_do_not_depend_on_string_hashing(tmp_path: Path, demo: DemoFiles) -> None:
    # Set iteration order changes with PYTHONHASHSEED; a generator relying on it would drift.
    code = f"from osmbridge.demo import generate_town; generate_town({str(tmp_path)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert (tmp_path / "osm-current.osm").read_bytes() == demo.osm_current.read_bytes()
    assert (tmp_path / "truth.json").read_bytes() == demo.truth.read_bytes()


def test_another_seed_gives_another_town(tmp_path: Path, demo: DemoFiles) -> None:
    other = _bytes(generate_town(tmp_path / "other", seed=7))
    mine = _bytes(demo)
    assert other["city_current"] != mine["city_current"]
    assert other["osm_current"] != mine["osm_current"]


def test_regenerating_in_place_overwrites_cleanly(tmp_path: Path) -> None:
    first = _bytes(generate_town(tmp_path, seed=3, size=80))
    second = _bytes(generate_town(tmp_path, seed=3, size=80))
    assert first == second
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind


@pytest.mark.parametrize("size", [60, 137, 300, 800])
def test_city_files_hold_size_records_and_every_kind_of_case(tmp_path: Path, size: int) -> None:
    files = generate_town(tmp_path, seed=11, size=size)
    truth = json.loads(files.truth.read_text(encoding="utf-8"))
    previous, current = read_city(files.city_previous), read_city(files.city_current)
    assert len(previous) == size
    # The current release adds one record and removes one.
    assert len(current) == size
    assert set(current) ^ set(previous) and len(set(current) - set(previous)) == 1
    kinds = {case["kind"] for case in truth["cases"]}
    assert kinds >= {"renamed", "moved", "missing_in_osm", "missing_in_city", "phone_diff", "website_diff",
                     "hours_diff", "format_only", "closed", "case_only", "polygon", "confusable", "duplicate",
                     "city_changed", "osm_changed", "conflict"}
    assert truth["files"]["city_current"] == len(current)
    assert truth["files"]["osm_current"] == len(read_osm(files.osm_current))


@pytest.mark.parametrize("size", [0, 59, 3001])
def test_a_size_out_of_range_is_a_user_error(tmp_path: Path, size: int) -> None:
    with pytest.raises(OsmbridgeError, match="--size"):
        generate_town(tmp_path, size=size)


def test_every_osm_object_carries_version_and_metadata(osm_current) -> None:
    assert osm_current
    for obj in osm_current.values():
        assert obj.version >= 1
        assert obj.timestamp.startswith("20")


def test_ids_cannot_be_mistaken_for_real_osm_objects(demo: DemoFiles, osm_current) -> None:
    # Real node ids are around 1.3e10; demo ids must lead nowhere on openstreetmap.org.
    assert min(int(key[1:]) for key in osm_current) > 10**12
    text = demo.osm_current.read_text(encoding="utf-8")
    assert min(int(uid) for uid in re.findall(r' uid="(\d+)"', text)) > 4_000_000_000
    assert min(int(cs) for cs in re.findall(r' changeset="(\d+)"', text)) > 4_000_000_000


def test_ways_and_relations_reference_objects_in_the_file(osm_current) -> None:
    for obj in osm_current.values():
        for node_id in obj.node_ids:
            assert f"n{node_id}" in osm_current
        for member_type, member_id, _ in obj.members:
            assert f"{member_type}{member_id}" in osm_current
    ways = [obj for obj in osm_current.values() if obj.key.startswith("w")]
    assert any(way.node_ids[0] == way.node_ids[-1] for way in ways)  # closed ways (areas)
    assert any(obj.key.startswith("r") for obj in osm_current.values())


def test_city_geojson_is_valid_and_inside_the_area(demo: DemoFiles, city_current) -> None:
    config = tomllib.loads(demo.config.read_text(encoding="utf-8"))
    south, west, north, east = config["datasets"]["demo-equipements"]["area"]["bbox"]
    kinds = set()
    for source_id, feature in city_current.items():
        geometry = shape(feature["geometry"])
        kinds.add(geometry.geom_type)
        assert geometry.is_valid, source_id
        point = geometry.representative_point()
        assert south < point.y < north and west < point.x < east, source_id
        assert feature["properties"]["categorie"]
    assert kinds == {"Point", "Polygon"}
    assert len({f["properties"]["identifiant"] for f in city_current.values()}) == len(city_current)


def test_neighbourhoods_tile_the_town_without_overlap(demo: DemoFiles, city_current) -> None:
    hoods = json.loads(demo.neighbourhoods.read_text(encoding="utf-8"))["features"]
    shapes = {hood["properties"]["nom"]: shape(hood["geometry"]) for hood in hoods}
    assert len(shapes) >= 4
    names = list(shapes)
    for i, a in enumerate(names):
        assert shapes[a].is_valid
        for b in names[i + 1:]:
            assert shapes[a].intersection(shapes[b]).area < 1e-12, (a, b)
    for source_id, feature in city_current.items():
        point = shape(feature["geometry"]).centroid
        containing = [name for name, outline in shapes.items() if outline.covers(point)]
        assert feature["properties"]["quartier"] in containing, source_id


def test_config_loads_and_points_at_the_current_files(demo: DemoFiles) -> None:
    config = load_config(demo.config, {})
    dataset = config.dataset("demo-equipements")
    assert Path(dataset.source.location) == demo.city_current
    assert dataset.mapping == demo.mapping
    assert config.osm.backend == "extract" and config.osm.extract == demo.osm_current
    assert dataset.area.bbox is not None
    assert config.store_url == f"sqlite:///{demo.config.parent / 'state.sqlite'}"


def test_mapping_covers_every_city_category(demo: DemoFiles, city_current) -> None:
    mapping = tomllib.loads(demo.mapping.read_text(encoding="utf-8"))
    covered = {value for rule in mapping["category"] + mapping["skip"] for value in rule["values"]}
    assert {f["properties"]["categorie"] for f in city_current.values()} <= covered
    columns = {rule["field"] for rule in mapping["field"]}
    assert columns <= set(next(iter(city_current.values()))["properties"])


def test_places_sit_on_land_we_call_fictional(demo: DemoFiles, truth) -> None:
    assert truth["fictional"] is True
    readme = (demo.config.parent / "README.txt").read_text(encoding="utf-8")
    assert "fictional" in readme and "fictive" in readme
    south, west, north, east = truth["bbox"]
    assert Point(-1.95, 47.36).within(shape({"type": "Polygon", "coordinates": [[
        [west, south], [east, south], [east, north], [west, north], [west, south]]]}))
