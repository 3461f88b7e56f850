"""The review state machine: each action from each state, what it records, and what it refuses."""

from __future__ import annotations

import dataclasses

import pytest
from review_fixtures import difference  # tests/review_fixtures.py

from osmbridge.model import Decision
from osmbridge.review import (Accept, Choose, Defer, Edit, InvalidDecision, InvalidTransition, NoCounterpart, NotSame,
                              Reject, Reopen, Same, Survey, action_direction, allowed_directions, apply_action, candidates,
                              decision_side, mark_pushed, mark_stale, proposed_direction)

NOW = "2026-02-01T10:00:00+00:00"
PHONE = difference("phone", "+33240000001", "+33240000000")


def state(name: str, diff=PHONE, **fields: object) -> Decision:
    return Decision(difference_id=diff.id, dataset=diff.dataset, state=name, **fields)  # type: ignore[arg-type]


def test_accept_sends_the_other_sides_value_and_remembers_what_was_seen() -> None:
    to_osm = apply_action(state("open"), PHONE, Accept("to_osm"), author="anne", now=NOW).decision
    assert (to_osm.state, to_osm.direction, to_osm.value) == ("accepted", "to_osm", "+33240000001")
    assert (to_osm.author, to_osm.decided_at) == ("anne", NOW)
    assert (to_osm.seen_city_value, to_osm.seen_osm_value, to_osm.seen_osm_version) == ("+33240000001",
                                                                                       "+33240000000", 3)
    to_city = apply_action(state("open"), PHONE, Accept("to_city"), author="carla", now=NOW).decision
    assert (to_city.direction, to_city.value) == ("to_city", "+33240000000")


def test_edit_sends_the_typed_value_and_checks_it() -> None:
    edited = apply_action(state("open"), PHONE, Edit("to_osm", " +33240000002 "), author="anne", now=NOW).decision
    assert (edited.state, edited.direction, edited.value) == ("edited", "to_osm", "+33240000002")
    with pytest.raises(InvalidDecision, match="cannot be empty"):
        apply_action(state("open"), PHONE, Edit("to_osm", "  "), author="anne", now=NOW)
    position = difference(None, "47.21000,-1.55000", "47.21100,-1.55100", kind="position", proposal="disagreement")
    moved = apply_action(state("open"), position, Edit("to_city", "47.2105, -1.5505"), author="carla", now=NOW)
    assert moved.decision.value == "47.2105000,-1.5505000"
    with pytest.raises(InvalidDecision, match="latitude,longitude"):
        apply_action(state("open"), position, Edit("to_city", "north of the church"), author="carla", now=NOW)
    created = difference(None, "amenity=library\nname=X", None, kind="missing_in_osm", osm_key=None)
    with pytest.raises(InvalidDecision, match="cannot take a typed value"):
        apply_action(state("open"), created, Edit("to_osm", "amenity=library"), author="anne", now=NOW)


def test_reject_needs_a_reason_defer_and_survey_do_not() -> None:
    with pytest.raises(InvalidDecision, match="needs a reason"):
        apply_action(state("open"), PHONE, Reject("  "), author="anne", now=NOW)
    rejected = apply_action(state("open"), PHONE, Reject("the city's number is the switchboard"),
                            author="anne", now=NOW).decision
    assert (rejected.state, rejected.reason, rejected.direction, rejected.value) == (
        "rejected", "the city's number is the switchboard", None, None)
    assert apply_action(state("open"), PHONE, Defer(), author="anne", now=NOW).decision.state == "deferred"
    survey = apply_action(state("open"), PHONE, Survey("sign at the door?"), author="anne", now=NOW).decision
    assert (survey.state, survey.reason) == ("needs_survey", "sign at the door?")


@pytest.mark.parametrize("before", ["accepted", "edited", "rejected", "deferred", "needs_survey", "stale"])
def test_reopen_undoes_any_decision_not_pushed(before: str) -> None:
    outcome = apply_action(state(before, reason="x"), PHONE, Reopen("wrong click"), author="anne", now=NOW,
                           previous=state("accepted") if before == "stale" else None)
    assert outcome.decision.state == "open" and outcome.decision.reason == "wrong click"
    assert outcome.previous is None  # a person's decision replaces what a stale item kept


@pytest.mark.parametrize("before", ["open", "accepted", "edited", "rejected", "deferred", "needs_survey", "stale"])
def test_a_decision_can_be_changed_until_it_is_pushed(before: str) -> None:
    outcome = apply_action(state(before), PHONE, Accept("to_city"), author="bob", now=NOW,
                           previous=state("rejected") if before == "stale" else None)
    assert outcome.decision.state == "accepted" and outcome.previous is None


@pytest.mark.parametrize("action", [Accept("to_osm"), Edit("to_osm", "x"), Reject("no"), Defer(), Survey(),
                                    Reopen(), NotSame()])
@pytest.mark.parametrize("before", ["pushed", "resolved"])
def test_pushed_and_resolved_items_refuse_every_action(before: str, action: object) -> None:
    with pytest.raises(InvalidTransition, match="pushed|resolved"):
        apply_action(state(before, push_ref="osm:changeset/1"), PHONE, action, author="anne", now=NOW)  # type: ignore[arg-type]


def test_refusals_that_say_what_to_do_instead() -> None:
    with pytest.raises(InvalidTransition, match="nothing to reopen"):
        apply_action(state("open"), PHONE, Reopen(), author="anne", now=NOW)
    with pytest.raises(InvalidTransition, match="match verdict"):
        apply_action(state("match_decided"), PHONE, Accept("to_osm"), author="anne", now=NOW)
    with pytest.raises(InvalidDecision, match="signed"):
        apply_action(state("open"), PHONE, Accept("to_osm"), author=" ", now=NOW)
    only_osm = difference("website", None, "https://library.example", kind="only_osm", proposal="to_city")
    with pytest.raises(InvalidDecision, match="can go to the city, not to OSM"):
        apply_action(state("open"), only_osm, Accept("to_osm"), author="anne", now=NOW)


def test_directions_follow_the_kind() -> None:
    assert allowed_directions(PHONE) == ("to_osm", "to_city")
    assert allowed_directions(difference("phone", "+33240000001", None, kind="only_city")) == ("to_osm",)
    missing_in_city = difference(None, None, "amenity=library", kind="missing_in_city", source_id=None,
                                 proposal="to_city")
    assert allowed_directions(missing_in_city) == ("to_city",) and decision_side(missing_in_city) == "to_city"
    ambiguous = difference(None, None, "n11, n12", kind="ambiguous", osm_key=None, proposal="review")
    assert allowed_directions(ambiguous) == () and decision_side(ambiguous) is None
    assert proposed_direction(PHONE) == "to_osm" and decision_side(PHONE) is None
    assert proposed_direction(dataclasses.replace(PHONE, proposal="conflict")) is None


def test_the_push_stage_marks_accepted_items_pushed_or_stale() -> None:
    accepted = apply_action(state("open"), PHONE, Accept("to_osm"), author="anne", now=NOW).decision
    pushed = mark_pushed(accepted, "osm:changeset/4242", author="osmbridge-push", now=NOW).decision
    assert (pushed.state, pushed.push_ref, pushed.value, pushed.author) == ("pushed", "osm:changeset/4242",
                                                                           "+33240000001", "anne")
    with pytest.raises(InvalidTransition, match="only accepted or edited"):
        mark_pushed(state("rejected"), "osm:changeset/1", author="osmbridge-push", now=NOW)
    with pytest.raises(InvalidDecision, match="changeset id"):
        mark_pushed(accepted, " ", author="osmbridge-push", now=NOW)
    stale = mark_stale(accepted, "n10 is at version 4", author="osmbridge-push", now=NOW)
    assert stale.decision.state == "stale" and stale.previous == accepted
    assert stale.decision.reason == "n10 is at version 4"
    with pytest.raises(InvalidTransition):
        mark_stale(pushed, "late", author="osmbridge-push", now=NOW)


def test_choosing_a_candidate_of_an_ambiguous_item() -> None:
    ambiguous = difference(None, None, "n11, n12, w20", kind="ambiguous", source_id="2", osm_key=None,
                           proposal="review")
    assert candidates(ambiguous) == ("n11", "n12", "w20")
    outcome = apply_action(state("open", ambiguous), ambiguous, Choose(osm_key="n12"), author="anne", now=NOW)
    assert outcome.decision.state == "match_decided" and outcome.decision.match_verdict == "same"
    assert [(v.source_id, v.verdict, v.osm_key) for v in outcome.verdicts] == [
        ("2", "same", "n12"), ("2", "not_same", "n11"), ("2", "not_same", "w20")]
    with pytest.raises(InvalidDecision, match="not a candidate"):
        apply_action(state("open", ambiguous), ambiguous, Choose(osm_key="n99"), author="anne", now=NOW)
    with pytest.raises(InvalidDecision, match="choose the OSM object among n11, n12, w20"):
        apply_action(state("open", ambiguous), ambiguous, Choose(), author="anne", now=NOW)
    # A verdict can be corrected by another one.
    again = apply_action(outcome.decision, ambiguous, Choose(osm_key="n11"), author="bob", now=NOW)
    assert again.verdicts[0].osm_key == "n11" and again.decision.author == "bob"


def test_choosing_for_duplicates_on_either_side() -> None:
    osm_twin = difference(None, None, "n11", kind="duplicate", source_id=None, osm_key="n12", proposal="review")
    with pytest.raises(InvalidDecision, match="city record"):
        apply_action(state("open", osm_twin), osm_twin, Choose(osm_key="n12"), author="anne", now=NOW)
    outcome = apply_action(state("open", osm_twin), osm_twin, Choose(osm_key="n12", source_id="3"),
                           author="anne", now=NOW)
    assert [(v.source_id, v.verdict, v.osm_key) for v in outcome.verdicts] == [("3", "same", "n12"),
                                                                              ("3", "not_same", "n11")]
    city_twin = difference(None, "1", None, kind="duplicate", source_id="2", osm_key=None, proposal="review")
    outcome = apply_action(state("open", city_twin), city_twin, Choose(source_id="1", osm_key="n10"),
                           author="anne", now=NOW)
    assert [(v.source_id, v.verdict, v.osm_key) for v in outcome.verdicts] == [("1", "same", "n10"),
                                                                              ("2", "not_same", "n10")]
    with pytest.raises(InvalidDecision, match="ambiguous and duplicate"):
        apply_action(state("open"), PHONE, Choose(osm_key="n10"), author="anne", now=NOW)


def test_match_verdicts_settle_the_item_only_when_they_change_what_it_is_about() -> None:
    # "Not the same place" on a field of a linked pair: the pair will be unlinked, the field moot.
    not_same = apply_action(state("open"), PHONE, NotSame(), author="anne", now=NOW)
    assert not_same.decision.state == "match_decided" and not_same.decision.match_verdict == "not_same"
    assert [(v.source_id, v.verdict, v.osm_key) for v in not_same.verdicts] == [("1", "not_same", "n10")]
    # "Same" on the pair confirms the link: the field still waits for a decision.
    same = apply_action(state("open"), PHONE, Same(), author="anne", now=NOW)
    assert same.decision.state == "open" and same.verdicts[0].verdict == "same"
    missing = difference(None, "amenity=library", None, kind="missing_in_osm", osm_key=None)
    # "No counterpart" confirms a missing place: it still waits for "create it" (accept).
    confirmed = apply_action(state("open", missing), missing, NoCounterpart(), author="anne", now=NOW)
    assert confirmed.decision.state == "open" and confirmed.verdicts[0].verdict == "no_counterpart"
    found = apply_action(state("open", missing), missing, Same(osm_key="w20"), author="anne", now=NOW)
    assert found.decision.state == "match_decided" and found.verdicts[0].osm_key == "w20"
    with pytest.raises(InvalidDecision, match="n, w or r"):
        apply_action(state("open", missing), missing, Same(osm_key="way 20"), author="anne", now=NOW)
    osm_only = difference(None, None, "amenity=library", kind="missing_in_city", source_id=None, proposal="to_city")
    with pytest.raises(InvalidDecision, match="no city record"):
        apply_action(state("open", osm_only), osm_only, NoCounterpart(), author="anne", now=NOW)
    linked = apply_action(state("open", osm_only), osm_only, Same(source_id="3"), author="anne", now=NOW)
    assert linked.decision.state == "match_decided" and linked.verdicts[0].source_id == "3"


def test_the_direction_an_action_decides_about_for_role_checks() -> None:
    only_osm = difference("website", None, "https://library.example", kind="only_osm", proposal="to_city")
    assert action_direction(PHONE, Accept("to_city")) == "to_city"
    assert action_direction(PHONE, Edit("to_osm", "x")) == "to_osm"
    assert action_direction(PHONE, Reject("no")) is None  # either way: nothing goes anywhere
    assert action_direction(only_osm, Reject("no")) == "to_city"  # a proposal to the city: city staff's call
    assert action_direction(only_osm, Defer()) == "to_city"
    assert action_direction(only_osm, NotSame()) is None
