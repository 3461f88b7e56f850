"""Field survey answers end to end: recorded through the web API, accepted by the reviewers of each side,
pushed by `osmbridge push` to the OSM API emulator and into a copy of the city's GeoJSON file, once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import profiles

from emulators.osm_api import USER, OsmApiEmulator
from osmbridge.push.city_log import read_log
from osmbridge.web import passwords
from push.conftest import TOKEN
from push.survey_world import SurveyWorld, open_world
from web.review_demo import DATASET, ReviewDemo, build_review_demo, copy_demo

DAY = "2024-11-05"
HOURS = "Mo-Fr 08:30-17:30"


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> ReviewDemo:
    return build_review_demo(tmp_path_factory.mktemp("survey-town"), size=60)


@pytest.fixture
def world(town: ReviewDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SurveyWorld]:
    monkeypatch.setenv("OSMBRIDGE_OSM_TOKEN", TOKEN)
    passwords.use_parameters(profiles.CHEAPEST)
    try:
        with OsmApiEmulator(token=TOKEN) as api:
            yield open_world(copy_demo(town, tmp_path / "town"), api)
    finally:
        passwords.use_parameters(profiles.RFC_9106_LOW_MEMORY)


def ours(world: SurveyWorld, key: str) -> list[int]:
    return [v.version for v in world.api.history(key) if v.user == USER]


def pick(world: SurveyWorld, count: int, osm_type: str = "n") -> list:
    """`count` surveyed places whose OSM object is of `osm_type`, each with a main key amenity/leisure/..."""
    places = [p for p in world.places() if p.osm_key.startswith(osm_type) and p.city_fields.get("statut") != "Fermé"
              and p.osm_tags.get("opening_hours") != HOURS]
    assert len(places) >= count
    return places[:count]


def test_answers_accepted_on_both_sides_reach_osm_and_the_city_once(world: SurveyWorld, capsys) -> None:
    seen, read, closed, moved = pick(world, 4)
    exists_ids = world.answer(seen, "exists")
    value_ids = world.answer(read, "value", field="opening_hours", value=HOURS)
    closed_ids = world.answer(closed, "closed")
    moved_ids = world.answer(moved, "moved", lat=moved.osm_position[1] + 0.0004, lon=moved.osm_position[0])
    # exists: check_date to OSM only (the demo's city has no column for it); the others go both ways.
    assert [len(ids) for ids in (exists_ids, value_ids, closed_ids, moved_ids)] == [1, 2, 2, 2]
    everything = exists_ids + value_ids + closed_ids + moved_ids
    world.accept(everything)
    before = {p.osm_key: world.api.element(p.osm_key) for p in (seen, read, closed, moved)}

    assert world.push() == 0
    out = capsys.readouterr().out

    # To OSM: check_date, the hours read, the closure under disused:; nothing else on those nodes changed.
    after = {key: world.api.element(key) for key in before}
    assert after[seen.osm_key].tags == {**before[seen.osm_key].tags, "check_date": DAY}
    assert after[read.osm_key].tags == {**before[read.osm_key].tags, "opening_hours": HOURS}
    main_key, main_value = closed.category.split("=")
    assert main_key not in after[closed.osm_key].tags
    assert after[closed.osm_key].tags[f"disused:{main_key}"] == main_value
    assert all(ours(world, key) == [before[key].version + 1] for key in (seen.osm_key, read.osm_key, closed.osm_key))
    assert all((after[k].lat, after[k].lon) == (before[k].lat, before[k].lon) for k in before)
    # The mapping does not allow moves: the node stays, the item stays accepted and the CLI says why.
    assert ours(world, moved.osm_key) == []
    to_osm_move = next(i for i in moved_ids if world.item(i).difference.proposal == "to_osm")
    assert world.item(to_osm_move).state == "accepted"
    assert f"moving {moved.osm_key} is not allowed by the mapping (move_nodes)" in out
    mine = [c for c in world.api.changesets if c.user == USER]
    assert mine and all(c.tags["source"].endswith(";survey") and not c.open for c in mine)
    assert all("import" not in c.tags for c in mine)  # nothing created from the city's data

    # To the city: the hours read into `horaires`, the closure as the mapping's closed value in `statut`.
    copy = world.city_copy()
    assert copy[read.source_id]["properties"]["horaires"] == HOURS
    assert copy[closed.source_id]["properties"]["statut"] == "Fermé"
    log = read_log(world.folder / "reports" / DATASET / "city-push" / "city-changes.csv")
    assert {(r.record, r.field, r.new) for r in log} >= {(read.source_id, "horaires", HOURS),
                                                         (closed.source_id, "statut", "Fermé")}
    assert all(r.attribution == f"field survey: paul, {DAY}" and r.osm_element == "" for r in log
               if r.difference_id in value_ids + closed_ids)

    pushed = {i for i in everything if world.item(i).state == "pushed"}
    assert pushed == set(exists_ids + value_ids + closed_ids)
    # A second push sends and writes nothing more.
    writes, log_rows = len(world.api.writes), len(log)
    assert world.push() == 0
    assert len(world.api.writes) == writes
    assert len(read_log(world.folder / "reports" / DATASET / "city-push" / "city-changes.csv")) == log_rows


def test_a_survey_move_goes_to_a_node_when_the_mapping_allows_never_to_a_way(world: SurveyWorld) -> None:
    world.allow_moves()
    [node] = pick(world, 1)
    [way] = pick(world, 1, "w")
    lat, lon = node.osm_position[1] + 0.0004, node.osm_position[0] - 0.0003
    to_node = world.answer(node, "moved", lat=lat, lon=lon)
    to_way = world.answer(way, "moved", lat=way.osm_position[1] + 0.0004, lon=way.osm_position[0])
    way_before = world.api.element(way.osm_key)
    world.accept([i for i in to_node + to_way if world.item(i).difference.proposal == "to_osm"])

    assert world.push("--to", "osm") == 0

    moved = world.api.element(node.osm_key)
    assert (round(moved.lat, 7), round(moved.lon, 7)) == (round(lat, 7), round(lon, 7))
    assert moved.tags == world.api.history(node.osm_key)[-2].tags  # only the position changed
    way_after = world.api.element(way.osm_key)
    assert way_after.version == way_before.version and way_after.nodes == way_before.nodes
    assert all(ours(world, f"n{ref}") == [] for ref in way_before.nodes)
    way_item = next(i for i in to_way if world.item(i).difference.proposal == "to_osm")
    assert world.item(way_item).state == "accepted"  # cannot be done: left for a person, never forced


def test_a_mapper_edit_after_the_answer_sends_the_survey_item_back_to_review(world: SurveyWorld) -> None:
    [place] = pick(world, 1)
    [to_osm] = [i for i in world.answer(place, "value", field="opening_hours", value=HOURS)
                if world.item(i).difference.proposal == "to_osm"]
    world.accept([to_osm])
    world.api.mapper_edit(place.osm_key, set_tags={"opening_hours": "24/7"})

    assert world.push("--to", "osm") == 0

    assert world.api.element(place.osm_key).tags["opening_hours"] == "24/7" and ours(world, place.osm_key) == []
    item = world.item(to_osm)
    assert item.state == "stale" and "version" in item.decision.reason


def test_survey_observations_pass_a_licence_that_blocks_the_data(world: SurveyWorld, capsys) -> None:
    """CC-BY-NC blocks the city's data to OSM and OSM's data to the city; what the agent saw goes both
    ways, except a position tapped on the (OSM) survey map, which goes to the city only under ODbL."""
    world.set_dataset(licence="CC-BY-NC-4.0")
    city_data = next(i for i in world.items(proposals=("to_osm",), kinds=("differs", "only_city"), states=("open",)))
    read, moved = [p for p in pick(world, 3) if p.osm_key != city_data.difference.osm_key][:2]
    value_ids = world.answer(read, "value", field="opening_hours", value=HOURS)
    moved_ids = world.answer(moved, "moved", lat=moved.city_position[1] + 0.0004, lon=moved.city_position[0])
    world.accept(value_ids + [i for i in moved_ids if world.item(i).difference.proposal == "to_city"] + [city_data.id])

    assert world.push() == 0
    out = capsys.readouterr().out

    assert world.api.element(read.osm_key).tags["opening_hours"] == HOURS
    assert world.city_copy()[read.source_id]["properties"]["horaires"] == HOURS
    assert all(world.item(i).state == "pushed" for i in value_ids)
    assert world.item(city_data.id).state == "accepted" and ours(world, city_data.difference.osm_key) == []
    moved_to_city = next(i for i in moved_ids if world.item(i).difference.proposal == "to_city")
    assert world.item(moved_to_city).state == "accepted"
    assert "BLOCKED by the licence gate" in out and "NC/ND" in out
    assert f"{city_data.id}" in out and moved_to_city in out  # the blocked items are named
