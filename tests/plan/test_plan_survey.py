"""Field survey items and OSM note items in the planners, on data alone: what each survey kind does to an
OSM element and to a city record, and that an OSM note's item is never an edit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from osmbridge.model import Decision, Difference, Note, TagEdit
from osmbridge.osm.api_elements import ApiElement
from osmbridge.plan import PlanRules, plan_osm_changes
from osmbridge.plan.city_changes import ClosedColumn, plan_city_corrections

NODE = ApiElement("n", 1, 4, {"amenity": "library", "name": "Bib"}, lat=47.2, lon=-1.5)
WAY = ApiElement("w", 2, 3, {"amenity": "school", "name": "École"}, nodes=(5, 6, 7, 5))
CURRENT = {"n1": NODE, "w2": WAY}
ANSWERED = Note("survey_answer", {"agent": "paul", "date": "2024-11-05", "answer": Note("answer.exists"),
                                  "comment": ""})


def survey(kind: str, direction: str = "to_osm", *, osm_key: str = "n1", field: str | None = None,
           city_value: str | None = None, osm_value: str | None = None, value: str = "",
           edit: TagEdit | None = None, city_field: str | None = None, edited: str | None = None,
           version: int = 4) -> tuple[Difference, Decision]:
    """An accepted (or edited) survey item as the store hands it to the push."""
    difference = Difference(
        id=f"{kind}-{direction}", dataset="d", kind=kind, source_id="S1", osm_key=osm_key, field=field,  # type: ignore[arg-type]
        city_value=city_value, osm_value=osm_value, changed_side="unknown", proposal=direction,  # type: ignore[arg-type]
        lon=-1.5, lat=47.2, osm_version=version if direction == "to_osm" else None, city_field=city_field,
        osm_edit=edit, survey_value=value, note=(ANSWERED,))
    decision = Decision(difference_id=difference.id, dataset="d", state="edited" if edited else "accepted",
                        direction=direction, value=edited or value, author="anne",  # type: ignore[arg-type]
                        decided_at="2024-11-06T09:00:00+00:00", seen_city_value=city_value, seen_osm_value=osm_value,
                        seen_osm_version=difference.osm_version)
    return difference, decision


EXISTS = survey("survey_exists", field="check_date", value="2024-11-05", edit=TagEdit.of({"check_date": "2024-11-05"}))
CLOSED = survey("survey_closed", osm_value="amenity=library", value="disused:amenity=library",
                edit=TagEdit.of({"disused:amenity": "library"}, ["amenity"]))
VALUE = survey("survey_value", field="opening_hours", value="Mo-Fr 09:00-18:00",
               edit=TagEdit.of({"opening_hours": "Mo-Fr 09:00-18:00"}))


def test_survey_items_change_tags_through_their_stated_edit():
    plan = plan_osm_changes([EXISTS, CLOSED, VALUE], CURRENT)
    [change] = plan.changes
    assert change.element.tags == {"disused:amenity": "library", "name": "Bib", "check_date": "2024-11-05",
                                   "opening_hours": "Mo-Fr 09:00-18:00"}
    assert change.element.version == 4 and change.surveyed and not change.moved
    assert (change.element.lat, change.element.lon) == (47.2, -1.5)
    assert set(change.item_ids) == {EXISTS[0].id, CLOSED[0].id, VALUE[0].id} and plan.refused == ()


def test_an_edited_value_read_sends_the_reviewers_value():
    edited = survey("survey_value", field="opening_hours", value="Mo-Fr 09:00-18:00", edited="Mo-Fr 09:00-18:30",
                    edit=TagEdit.of({"opening_hours": "Mo-Fr 09:00-18:00"}))
    [change] = plan_osm_changes([edited], CURRENT).changes
    assert change.element.tags["opening_hours"] == "Mo-Fr 09:00-18:30"


def test_what_osm_changed_since_the_answer_is_stale():
    newer = replace(NODE, version=5)
    assert {r.code for r in plan_osm_changes([EXISTS, CLOSED], {"n1": newer}).refused} == {"plan.osm_version_changed"}
    reopened = replace(NODE, tags={"amenity": "cafe", "name": "Bib"})  # same version, say a redaction: still not as seen
    [refusal] = plan_osm_changes([CLOSED], {"n1": reopened}).refused
    assert (refusal.code, refusal.stale) == ("plan.osm_tag_changed", True)


@pytest.mark.parametrize("allowed", [False, True])
def test_a_survey_move_moves_a_node_only_when_allowed_and_never_a_way(allowed):
    node = survey("survey_moved", value="47.2004000,-1.5003000")
    way = survey("survey_moved", osm_key="w2", value="47.2104000,-1.5103000", version=3)
    way = replace(way[0], id="w-moved"), replace(way[1], difference_id="w-moved")
    plan = plan_osm_changes([node, way], CURRENT, PlanRules(move_nodes=allowed))
    codes = {r.difference_id: r.code for r in plan.refused}
    assert codes["w-moved"] == "plan.move_not_node"
    if allowed:
        [change] = plan.changes
        assert (change.element.lat, change.element.lon) == (47.2004, -1.5003) and change.moved
        assert change.element.tags == NODE.tags
    else:
        assert plan.changes == () and codes[node[0].id] == "plan.geometry_not_allowed"


def test_a_surveyed_closure_is_a_deletion_only_where_the_mapping_allows():
    [change] = plan_osm_changes([CLOSED], CURRENT, PlanRules(delete_closed=True)).changes
    assert change.action == "delete"
    way_closed = survey("survey_closed", osm_key="w2", osm_value="amenity=school", version=3,
                        edit=TagEdit.of({"disused:amenity": "school"}, ["amenity"]))
    [way_change] = plan_osm_changes([way_closed], CURRENT, PlanRules(delete_closed=True)).changes
    assert way_change.action == "modify" and way_change.element.tags == {"disused:amenity": "school", "name": "École"}


def note_item(direction: str) -> tuple[Difference, Decision]:
    difference = Difference(id=f"note-{direction}", dataset="d", kind="osm_note", source_id="S1", osm_key="n1",
                            field="note:77", city_value="Ouvert", osm_value="This library closed last month",
                            changed_side="osm", proposal="to_city", lon=-1.5, lat=47.2, city_field="statut")
    decision = Decision(difference_id=difference.id, dataset="d", state="accepted", direction=direction,  # type: ignore[arg-type]
                        value="This library closed last month", author="marc", decided_at="2024-11-06T09:00:00+00:00")
    return difference, decision


def test_an_osm_note_item_is_never_an_edit_on_either_side():
    """No value travels with an OSM note: even an item marked accepted by hand plans nothing."""
    plan = plan_osm_changes([note_item("to_osm")], CURRENT)
    assert plan.changes == () and [r.code for r in plan.refused] == ["plan.not_an_osm_edit"]
    corrections, refused = plan_city_corrections([note_item("to_city")], {"S1": {"statut": "Ouvert"}})
    assert corrections == [] and [r.code for r in refused] == ["city.not_a_correction"]


# --- to the city ---------------------------------------------------------------------------------------

STATUT = ClosedColumn("statut", ("Fermé", "Fermée"))


def test_survey_answers_become_city_corrections_in_the_mappings_words():
    value = survey("survey_value", "to_city", field="opening_hours", city_value="Mo-Fr 10:00-12:00",
                   value="Mo-Fr 09:00-18:00", city_field="horaires")
    closed = survey("survey_closed", "to_city", value="closed", city_field="statut")
    fields = {"S1": {"horaires": "lundi-vendredi 10h-12h", "statut": "Ouvert"}}
    tags = {"S1": {"opening_hours": "Mo-Fr 10:00-12:00"}}
    corrections, refused = plan_city_corrections([value, closed], fields, {}, city_tags=tags, closed=STATUT)
    assert refused == []
    assert {(c.field, c.old, c.new, c.osm_key, c.surveyed_by) for c in corrections} == {
        ("horaires", "lundi-vendredi 10h-12h", "Mo-Fr 09:00-18:00", None, "paul, 2024-11-05"),
        ("statut", "Ouvert", "Fermé", None, "paul, 2024-11-05")}


def test_a_record_already_closed_in_other_words_is_left_as_it_is():
    closed = survey("survey_closed", "to_city", value="closed", city_field="statut")
    [correction], _ = plan_city_corrections([closed], {"S1": {"statut": "Fermée"}}, closed=STATUT)
    assert correction.old == correction.new == "Fermée"


def test_a_closure_without_a_closed_column_or_a_value_the_city_changed_is_not_written():
    closed = survey("survey_closed", "to_city", value="closed")
    _, refused = plan_city_corrections([closed], {"S1": {"statut": "Ouvert"}})
    assert [(r.code, r.stale) for r in refused] == [("city.no_column", False)]
    value = survey("survey_value", "to_city", field="opening_hours", city_value="Mo-Fr 10:00-12:00",
                   value="Mo-Fr 09:00-18:00", city_field="horaires")
    _, refused = plan_city_corrections([value], {"S1": {"horaires": "24/7"}}, city_tags={"S1": {"opening_hours": "24/7"}})
    assert [(r.code, r.stale) for r in refused] == [("city.value_changed", True)]
