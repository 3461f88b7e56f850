"""What each answer asks of each side (osmbridge.survey.answers), on places made here."""

from __future__ import annotations

from dataclasses import replace

import pytest

from osmbridge.model import Decision, TagEdit
from osmbridge.review import Accept, Edit, allowed_directions, apply_action, proposed_value
from osmbridge.survey import SurveyAnswer, SurveyError, SurveyPlace, check_answer, survey_differences
from osmbridge.survey.answers import survey_item_id
from osmbridge.survey.model import CityColumns

LIBRARY = SurveyPlace(
    dataset="d", source_id="BSL-1", osm_key="n5", name="Médiathèque", category="amenity=library", address="",
    lon=-1.55, lat=47.2, city_tags={"amenity": "library", "name": "Médiathèque", "opening_hours": "Mo 10:00-12:00"},
    city_position=(-1.55, 47.2), osm_tags={"amenity": "library", "name": "Médiathèque", "building": "yes"},
    osm_version=3, osm_position=(-1.5501, 47.2001))
COLUMNS = CityColumns(tags={"opening_hours": "horaires", "name": "nom"}, closed="statut")


def answer(kind: str, **fields: object) -> SurveyAnswer:
    return check_answer(SurveyAnswer(answer_id="a1b2c3d4-0000", dataset="d", source_id="BSL-1", osm_key="n5",
                                     answer=kind, author="paul", observed_at="2025-06-03T09:15:00+00:00",
                                     **fields))  # type: ignore[arg-type]


def by_side(kind: str, place: SurveyPlace = LIBRARY, **fields: object) -> dict[str, object]:
    outcome = survey_differences(answer(kind, **fields), place, COLUMNS)
    return {d.proposal: d for d in outcome.differences}


def test_exists_sets_check_date_in_osm_only() -> None:
    sides = by_side("exists")
    assert set(sides) == {"to_osm"}
    item = sides["to_osm"]
    assert item.kind == "survey_exists" and item.field == "check_date" and item.survey_value == "2025-06-03"
    assert item.osm_edit == TagEdit.of({"check_date": "2025-06-03"})
    # A check already recorded that day: nothing to change; the answer is on record, agreeing.
    outcome = survey_differences(answer("exists"), replace(LIBRARY, osm_tags={**LIBRARY.osm_tags,
                                                                              "check_date": "2025-06-03"}), COLUMNS)
    assert outcome.agrees and [d.proposal for d in outcome.differences] == ["review"]


def test_closed_moves_the_main_key_under_disused_and_tells_the_city() -> None:
    sides = by_side("closed", comment="rideau  baissé")
    osm, city = sides["to_osm"], sides["to_city"]
    assert osm.osm_edit == TagEdit.of({"disused:amenity": "library"}, ["amenity"])
    assert osm.osm_edit.apply(LIBRARY.osm_tags) == {"disused:amenity": "library", "name": "Médiathèque",
                                                    "building": "yes"}
    assert city.survey_value == "closed" and city.city_field == "statut"
    assert osm.note[0].params["comment"] == " — rideau baissé"
    # Already disused in OSM: only the city is told.
    gone = replace(LIBRARY, osm_tags={"disused:amenity": "library"})
    assert set(by_side("closed", gone)) == {"to_city"}


def test_moved_goes_to_each_side_far_from_the_tap() -> None:
    sides = by_side("moved", lat=47.201, lon=-1.551)
    assert set(sides) == {"to_osm", "to_city"}
    assert sides["to_osm"].survey_value == "47.2010000,-1.5510000"
    assert sides["to_osm"].distance_m is not None and 90 < sides["to_osm"].distance_m < 130
    # Tapped on top of the city's point: only OSM is off.
    assert set(by_side("moved", lat=47.2, lon=-1.55)) == {"to_osm"}


def test_value_seen_goes_where_it_differs_with_the_city_column() -> None:
    sides = by_side("value", field="opening_hours", value="Mo-Fr  09:00-18:00")
    assert sides["to_osm"].osm_edit == TagEdit.of({"opening_hours": "Mo-Fr 09:00-18:00"})
    assert sides["to_city"].city_field == "horaires" and sides["to_city"].city_value == "Mo 10:00-12:00"
    assert set(by_side("value", field="name", value="Médiathèque")) == {"review"}  # both agree


def test_a_survey_item_goes_one_way_and_sends_what_was_seen() -> None:
    sides = by_side("value", field="opening_hours", value="Mo-Fr 09:00-18:00")
    city = sides["to_city"]
    assert allowed_directions(city) == ("to_city",)
    assert proposed_value(city, "to_city") == "Mo-Fr 09:00-18:00"
    open_ = Decision(difference_id=city.id, dataset="d", state="open")
    accepted = apply_action(open_, city, Accept("to_city"), author="marc", now="2025-06-04T08:00:00+00:00")
    assert accepted.decision.value == "Mo-Fr 09:00-18:00"
    moved = by_side("moved", lat=47.201, lon=-1.551)["to_osm"]
    edited = apply_action(open_, moved, Edit("to_osm", "47.2011, -1.5512"), author="anne", now="2025-06-04")
    assert edited.decision.value == "47.2011000,-1.5512000"


def test_item_ids_are_stable_per_answer_and_side() -> None:
    first, again = by_side("closed"), by_side("closed")
    assert {k: d.id for k, d in first.items()} == {k: d.id for k, d in again.items()}
    assert first["to_osm"].id == survey_item_id("a1b2c3d4-0000", "to_osm") != first["to_city"].id


@pytest.mark.parametrize(("kind", "fields", "named"), [
    ("value", {"field": "Opening Hours", "value": "x"}, "'field'"),
    ("value", {"field": "opening_hours", "value": " "}, "'value'"),
    ("moved", {"lat": 95.0, "lon": 2.0}, "'lat' and 'lon'"),
    ("moved", {}, "'lat' and 'lon'"),
    ("gone", {}, "'answer'"),
])
def test_a_bad_answer_names_its_field(kind: str, fields: dict[str, object], named: str) -> None:
    with pytest.raises(SurveyError, match=named):
        answer(kind, **fields)


def test_an_answer_id_must_look_like_one() -> None:
    with pytest.raises(SurveyError, match="answer_id"):
        check_answer(SurveyAnswer(answer_id="x", dataset="d", source_id="1", osm_key=None, answer="exists",
                                  author="paul", observed_at="2025-06-03T09:15:00+00:00"))
