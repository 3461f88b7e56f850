"""Pushing accepted items to the OSM API emulator with the real osmapi and a Bearer token."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulators.osm_api import USER, OsmApiEmulator
from osmbridge.push.api import OsmApiClient
from osmbridge.push.licence import check_to_osm
from osmbridge.push.osm_push import OsmPusher, PushOptions
from osmbridge.store import Store
from osmbridge.store.journal import PushJournal
from push.push_fixtures import (CREATED_TAGS, DATASET, EXPECTED_TAGS, MemoryLedger, creation_item, options,
                                tag_item, town_items)

ODBL = check_to_osm("ODbL-1.0")


def make_pusher(client: OsmApiClient, tmp_path: Path, ledger: MemoryLedger, **option_values: object) -> OsmPusher:
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    values: dict[str, object] = {"dataset": DATASET, "changesets": options()}
    values.update(option_values)
    return OsmPusher(client, PushJournal(store.engine), ledger, PushOptions(**values))  # type: ignore[arg-type]


def ours(api: OsmApiEmulator, key: str) -> list[int]:
    """Versions of an element written by osmbridge's account."""
    return [v.version for v in api.history(key) if v.user == USER]


def created(api: OsmApiEmulator) -> list[object]:
    return [v for v in api.elements("n") if v.tags.get("ref:FR:NM") == CREATED_TAGS["ref:FR:NM"]]


def test_accepted_items_reach_osm_once_with_geometry_untouched(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    result = make_pusher(client, tmp_path, ledger).push(ledger.accepted_items(DATASET, "to_osm"), ODBL)

    assert not result.stale and not result.refused
    for key, tags in EXPECTED_TAGS.items():
        element = api.element(key)
        assert element.tags == tags, key
        assert ours(api, key) == [2]
    assert api.element("w100").nodes == [10, 11, 12, 13, 10]
    assert api.element("r200").members == [("w", 201, "outer")]
    assert (api.element("n1").lat, api.element("n1").lon) == (47.21, -1.55)
    [new] = created(api)
    assert new.tags == CREATED_TAGS and (round(new.lat, 4), round(new.lon, 4)) == (47.221, -1.561)
    assert set(ledger.pushed) == {d.id for d, _ in town_items()}
    [changeset] = api.changesets[-1:]
    assert not changeset.open
    assert changeset.tags == {
        "comment": "Update public facilities from the city's open data", "created_by": changeset.tags["created_by"],
        "source": "Test City open data", "source:license": "ODbL-1.0", "hashtags": "#osmbridge", "import": "yes",
        "import:page": "https://wiki.openstreetmap.org/wiki/Import/Test_City"}
    assert changeset.tags["created_by"].startswith("osmbridge/")
    assert all(r.authorised for r in api.writes)
    assert {p.osm_key for p in result.pushed if p.difference_id == "create-S9"} == {f"n{new.id}"}


def test_an_edited_value_is_what_goes_to_osm(api, client, tmp_path):
    item = tag_item("n1", "phone", "+33 2 40 41 95 95", "+33 2 40 00 00 00", 1, edited="+33 2 40 41 95 96")
    ledger = MemoryLedger([item])
    make_pusher(client, tmp_path, ledger).push([item], ODBL)
    assert api.element("n1").tags["phone"] == "+33 2 40 41 95 96"


def test_no_creation_without_tags_and_no_import_tag_without_creation(api, client, tmp_path):
    ledger = MemoryLedger([town_items()[0]])
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert "import" not in api.changesets[-1].tags


# --- concurrent edits between review and upload: never overwritten ---------------------------------


def test_a_new_version_since_review_sends_the_item_back_to_review(api, client, tmp_path):
    api.mapper_edit("n1", set_tags={"wheelchair": "yes"})  # not the reviewed tag, but a newer version
    ledger = MemoryLedger(town_items())
    result = make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)

    assert [r.difference_id for r in result.stale] == ["n1-phone"]
    assert "version 2" in ledger.stale["n1-phone"] and "version 1" in ledger.stale["n1-phone"]
    assert api.element("n1").tags["phone"] == "+33 2 40 00 00 00" and api.element("n1").tags["wheelchair"] == "yes"
    assert ours(api, "n1") == []
    assert "n1-phone" not in ledger.pushed and len(ledger.pushed) == len(town_items()) - 1


def test_a_changed_reviewed_tag_is_never_overwritten(api, client, tmp_path):
    api.mapper_edit("w100", set_tags={"name": "Groupe scolaire Jean Zay"})
    ledger = MemoryLedger(town_items())
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert api.element("w100").tags["name"] == "Groupe scolaire Jean Zay"
    assert "w100-name" in ledger.stale and ours(api, "w100") == []


def test_an_edit_between_the_last_read_and_the_upload_gets_409_and_only_its_item_returns(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    pusher = make_pusher(client, tmp_path, ledger, changesets=options(max_span_m=50_000))  # one changeset
    # The push reads every element twice (plan, then right before upload): edit after the second read.
    api.edit_after_read("n2", reads=2, set_tags={"opening_hours": "Mo-Sa 10:00-19:00"})
    result = pusher.push(ledger.items, ODBL)

    assert [r.difference_id for r in result.stale] == ["n2-opening_hours"]
    assert "Version mismatch" in ledger.stale["n2-opening_hours"]
    assert api.element("n2").tags["opening_hours"] == "Mo-Sa 10:00-19:00" and ours(api, "n2") == []
    assert 409 in [r.status for r in api.requests if r.path.endswith("/upload")]
    for key in ("n1", "n3", "w100", "r200"):
        assert api.element(key).tags == EXPECTED_TAGS[key] and ours(api, key) == [2]
    assert len(created(api)) == 1
    # The refused upload applied nothing, and its changeset was reused for the rest: one changeset.
    assert len([c for c in api.changesets if c.user == USER]) == 1


def test_an_edit_arriving_with_the_upload_is_not_overwritten(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    api.edit_before_upload("r200", set_tags={"website": "https://proce.example.net"})
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert api.element("r200").tags["website"] == "https://proce.example.net" and ours(api, "r200") == []
    assert "r200-website" in ledger.stale
    assert api.element("n1").tags == EXPECTED_TAGS["n1"]


def test_an_element_deleted_meanwhile_is_not_recreated(api, client, tmp_path):
    api.mapper_edit("n3", delete=True)
    ledger = MemoryLedger(town_items())
    result = make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert [(r.difference_id, r.code) for r in result.stale] == [("n3-lifecycle", "plan.osm_deleted")]
    assert not api.element("n3").visible and ours(api, "n3") == []


def test_a_deletion_after_the_last_read_is_not_undone(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    api.edit_after_read("n1", reads=2, delete=True)
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert not api.element("n1").visible and ours(api, "n1") == []
    assert "n1-phone" in ledger.stale


def test_412_on_a_way_whose_node_vanished_sends_the_way_back(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    api.edit_before_upload("n11", delete=True)
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert "w100-name" in ledger.stale and "Precondition failed" in ledger.stale["w100-name"]
    assert api.element("w100").tags["name"] == "École Jean Zay"
    assert api.element("n1").tags == EXPECTED_TAGS["n1"]


def test_410_names_the_element_and_the_others_go_through(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    api.reject_next_upload(410, "The node with the id 3 has already been deleted")
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert "n3-lifecycle" in ledger.stale and ours(api, "n3") == []
    assert set(ledger.pushed) == {d.id for d, _ in town_items()} - {"n3-lifecycle"}


# --- server conditions -------------------------------------------------------------------------------


def test_a_closed_changeset_is_replaced_by_a_new_one(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    api.close_before_upload()
    result = make_pusher(client, tmp_path, ledger, changesets=options(max_span_m=50_000)).push(ledger.items, ODBL)
    ours_changesets = [c for c in api.changesets if c.user == USER]
    assert len(ours_changesets) == 2 and not ours_changesets[0].changes
    assert result.changesets == (ours_changesets[1].id,)
    assert all(ours(api, key) == [2] for key in EXPECTED_TAGS) and len(created(api)) == 1


def test_rate_limiting_waits_and_resumes(api, client, tmp_path, sleeps):
    ledger = MemoryLedger(town_items())
    api.fail_next(429, times=2, retry_after="7")
    result = make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert len(sleeps) == 2 and len(result.pushed) == len(town_items())
    assert all(ours(api, key) == [2] for key in EXPECTED_TAGS)


def test_an_answer_lost_after_the_server_applied_the_upload_is_recovered_from_the_changeset(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    api.drop_after_apply()
    result = make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert all(ours(api, key) == [2] for key in EXPECTED_TAGS) and len(created(api)) == 1
    assert set(ledger.pushed) == {d.id for d, _ in town_items()}
    assert {p.difference_id for p in result.pushed} == set(ledger.pushed)
    assert any(r.path.endswith("/download") for r in api.requests)


def test_a_blocked_licence_sends_and_reads_nothing(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    before = len(api.requests)
    result = make_pusher(client, tmp_path, ledger).push(ledger.items, check_to_osm("CC-BY-4.0"))
    assert result.blocked == tuple(sorted(d.id for d, _ in town_items()))
    assert len(api.requests) == before and not ledger.pushed


def test_a_second_push_finds_nothing_left_to_do(api, client, tmp_path):
    ledger = MemoryLedger(town_items())
    make_pusher(client, tmp_path, ledger).push(ledger.accepted_items(DATASET, "to_osm"), ODBL)
    writes = len(api.writes)
    again = make_pusher(client, tmp_path, ledger).push(town_items(), ODBL)  # even if handed the same items
    assert not again.pushed and len(api.writes) == writes


def test_changesets_stay_small_and_local(api, client, tmp_path):
    items = []
    for number in range(450):  # three clusters far apart, 150 creations each
        lon, lat = [(-1.55, 47.21), (-1.45, 47.25), (-1.65, 47.10)][number % 3]
        items.append(creation_item(f"C{number}", {"amenity": "bench", "ref:test": str(number)},
                                   lon + (number % 37) * 0.0001, lat + (number % 41) * 0.0001))
    ledger = MemoryLedger(items)
    make_pusher(client, tmp_path, ledger, changesets=options(max_changes=100, max_span_m=2000)).push(items, ODBL)
    mine = [c for c in api.changesets if c.user == USER]
    assert sum(len(c.changes) for c in mine) == 450 and all(len(c.changes) <= 100 for c in mine)
    for changeset in mine:
        lats = [v.lat for _, v in changeset.changes]
        lons = [v.lon for _, v in changeset.changes]
        assert max(lats) - min(lats) < 0.02 and max(lons) - min(lons) < 0.03
    assert 4 < len(mine) < 10  # 150 per cluster: at least 2 each; a cell edge may cut a cluster


@pytest.mark.parametrize("move", [False, True])
def test_positions_move_only_when_the_mapping_allows(api, client, tmp_path, move):
    from dataclasses import replace

    from osmbridge.plan import PlanRules

    difference, decision = tag_item("n2", "name", None, None, 1)
    difference = replace(difference, id="n2-position", kind="position", field=None,
                         city_value="47.21150,-1.55150", osm_value="47.21100,-1.55100")
    decision = replace(decision, difference_id="n2-position", value=difference.city_value)
    ledger = MemoryLedger([(difference, decision)])
    result = make_pusher(client, tmp_path, ledger, rules=PlanRules(move_nodes=move)).push(ledger.items, ODBL)
    node = api.element("n2")
    if move:
        assert (node.lat, node.lon) == (47.2115, -1.5515) and ledger.pushed
    else:
        assert (node.lat, node.lon) == (47.211, -1.551) and not api.writes
        assert [r.code for r in result.refused] == ["plan.geometry_not_allowed"]


def test_a_lifecycle_written_one_tag_per_line_moves_every_main_key(api, client, tmp_path):
    from dataclasses import replace

    api.mapper_edit("n3", set_tags={"leisure": "sports_centre"})
    difference, decision = town_items()[4]
    difference = replace(difference, osm_version=2, osm_value="amenity=community_centre\nleisure=sports_centre",
                         city_value="disused:amenity=community_centre\ndisused:leisure=sports_centre")
    decision = replace(decision, value=difference.city_value, seen_osm_version=2)
    ledger = MemoryLedger([(difference, decision)])
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert api.element("n3").tags == {"name": "Maison de quartier", "disused:amenity": "community_centre",
                                      "disused:leisure": "sports_centre"}


@pytest.mark.parametrize("mapped", [{"amenity": "library", "name": "Bibliothèque"}, {"ref:FR:NM": "9"}])
def test_a_place_mapped_since_the_review_is_not_created_twice(api, client, tmp_path, mapped):
    api.add_node(500, 47.2212, -1.5611, mapped)  # about 20 m from the accepted creation
    ledger = MemoryLedger(town_items())
    result = make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert [(r.difference_id, r.code) for r in result.stale] == [("create-S9", "plan.created_meanwhile")]
    assert "n500" in ledger.stale["create-S9"]
    assert [v.id for v in api.elements("n") if v.user == USER and v.version == 1] == []
    assert all(ours(api, key) == [2] for key in EXPECTED_TAGS)


def test_an_unrelated_neighbour_does_not_stop_a_creation(api, client, tmp_path):
    api.add_node(500, 47.2212, -1.5611, {"amenity": "bench"})
    ledger = MemoryLedger(town_items())
    make_pusher(client, tmp_path, ledger).push(ledger.items, ODBL)
    assert len(created(api)) == 1
