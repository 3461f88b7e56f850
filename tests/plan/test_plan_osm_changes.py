"""The edit planner on data alone: whole elements kept, lifecycle moves, no deletion or move unless allowed."""

from __future__ import annotations

from dataclasses import replace

from osmbridge.osm.api_elements import ApiElement, Member
from osmbridge.plan import PlanRules, osmchange, plan_osm_changes
from push.push_fixtures import creation_item, lifecycle_item, tag_item

NODE = ApiElement("n", 1, 4, {"amenity": "library", "name": "Bib"}, lat=47.2, lon=-1.5)
WAY = ApiElement("w", 2, 3, {"building": "school", "name": "École"}, nodes=(5, 6, 7, 5))
RELATION = ApiElement("r", 3, 2, {"type": "multipolygon", "leisure": "park"}, members=(Member("w", 9, "outer"),))
CURRENT = {"n1": NODE, "w2": WAY, "r3": RELATION}


def test_tag_changes_keep_nodes_members_and_version():
    plan = plan_osm_changes([tag_item("w2", "name", "École Jean Zay", "École", 3),
                             tag_item("r3", "name", "Parc", None, 2, kind="only_city")], CURRENT)
    elements = {c.key: c.element for c in plan.changes}
    way, relation = elements["w2"], elements["r3"]
    assert way.nodes == (5, 6, 7, 5) and way.version == 3 and way.tags["name"] == "École Jean Zay"
    assert relation.members == (Member("w", 9, "outer"),) and relation.tags["name"] == "Parc"
    osc = osmchange(plan.changes, 42).decode()
    assert '<nd ref="5" />' in osc and 'changeset="42"' in osc and "<delete" not in osc


def test_several_items_on_one_element_make_one_change():
    plan = plan_osm_changes([tag_item("n1", "name", "Bibliothèque", "Bib", 4),
                             tag_item("n1", "phone", "+33 2", None, 4, kind="only_city")], CURRENT)
    [change] = plan.changes
    assert change.set_tags == {"name": "Bibliothèque", "phone": "+33 2"} and len(change.item_ids) == 2


def test_a_closed_place_is_moved_under_disused_never_deleted_unless_allowed():
    item = lifecycle_item("n1", "amenity", "library", 4)
    [change] = plan_osm_changes([item], CURRENT).changes
    assert change.action == "modify" and change.element.tags == {"disused:amenity": "library", "name": "Bib"}
    assert change.unset_tags == ("amenity",)
    [deletion] = plan_osm_changes([item], CURRENT, PlanRules(delete_closed=True)).changes
    assert deletion.action == "delete" and b'<delete if-unused="true">' in osmchange([deletion])
    # A way is never deleted, even when the mapping allows deleting closed places.
    way_item = lifecycle_item("w2", "building", "school", 3)
    [way_change] = plan_osm_changes([way_item], CURRENT, PlanRules(delete_closed=True)).changes
    assert way_change.action == "modify"


def test_what_changed_since_review_is_refused_as_stale():
    plan = plan_osm_changes([tag_item("n1", "name", "X", "Bib", 3),  # reviewer saw version 3
                             tag_item("w2", "name", "X", "Old name", 3),  # reviewer saw another name
                             tag_item("r9", "name", "X", None, 1)], CURRENT)
    assert plan.changes == ()
    assert {(r.difference_id, r.code, r.stale) for r in plan.refused} == {
        ("n1-name", "plan.osm_version_changed", True), ("w2-name", "plan.osm_tag_changed", True),
        ("r9-name", "plan.osm_deleted", True)}


def test_two_items_disagreeing_on_a_key_are_refused():
    first = tag_item("n1", "name", "A", "Bib", 4)
    second = replace(tag_item("n1", "name", "B", "Bib", 4)[0], id="other"), first[1]
    plan = plan_osm_changes([first, (second[0], replace(second[1], difference_id="other", value="B"))], CURRENT)
    assert [r.code for r in plan.refused] == ["plan.items_disagree"]


def test_creations_get_placeholders_and_a_twin_nearby_stops_one():
    items = [creation_item("A", {"amenity": "bench"}, -1.5, 47.2), creation_item("B", {"amenity": "cafe"}, -1.6, 47.3)]
    plan = plan_osm_changes(items, {}, first_placeholder=-5)
    assert [c.key for c in plan.changes] == ["n-5", "n-6"] and all(c.from_city for c in plan.changes)
    twin = ApiElement("n", 77, 1, {"amenity": "cafe"}, lat=47.3, lon=-1.6)
    plan = plan_osm_changes(items, {}, nearby={"create-B": [twin]})
    assert [c.key for c in plan.changes] == ["n-1"] and plan.refused[0].code == "plan.created_meanwhile"
