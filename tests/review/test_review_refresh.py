"""After a run: new differences open, unchanged ones keep their decision, changed ones go stale, gone ones close."""

from __future__ import annotations

from review_fixtures import changed, difference  # tests/review_fixtures.py

from osmbridge.model import Decision
from osmbridge.review import plan_refresh, slot_key
from osmbridge.review.refresh import GONE, REAPPEARED, REPLACED, VALUES_CHANGED, VERDICT_UNSETTLED, KnownItem

NOW = "2026-03-01T00:00:00+00:00"
PHONE = difference("phone", "+33240000001", "+33240000000")
SITE = difference("website", "https://a.example", "https://b.example")


def known(diff, state: str = "open", *, present: bool = True, previous: Decision | None = None,
          decided_run_id: int | None = None, **fields: object) -> KnownItem:
    decision = Decision(difference_id=diff.id, dataset=diff.dataset, state=state, **fields)  # type: ignore[arg-type]
    return KnownItem(id=diff.id, slot=slot_key(diff), decision=decision, previous=previous, present=present,
                     decided_run_id=decided_run_id)


def actions(plan) -> dict[str, str]:
    return {change.item_id: change.action for change in plan.changes}


def test_the_slot_ignores_values_and_the_field_kind() -> None:
    assert slot_key(PHONE) == slot_key(changed(PHONE, city_value="+33240000009"))
    assert slot_key(PHONE) == slot_key(changed(PHONE, kind="only_osm", city_value=None))
    assert slot_key(PHONE) != slot_key(SITE)
    assert slot_key(PHONE) != slot_key(changed(PHONE, source_id="2"))


def test_first_run_opens_everything() -> None:
    plan = plan_refresh([], [PHONE, SITE], run_id=1, now=NOW)
    assert actions(plan) == {PHONE.id: "opened", SITE.id: "opened"}
    assert all(c.decision.state == "open" and c.previous is None for c in plan.changes)


def test_an_unchanged_difference_keeps_its_decision() -> None:
    decided = known(PHONE, "rejected", reason="switchboard", author="anne")
    plan = plan_refresh([decided], [PHONE], run_id=2, now=NOW)
    (change,) = plan.changes
    assert change.action == "seen" and change.decision == decided.decision


def test_a_changed_value_reopens_a_decided_item_as_stale_with_the_old_decision() -> None:
    accepted = known(PHONE, "accepted", direction="to_osm", value="+33240000001", author="anne",
                     decided_at="2026-02-01", seen_city_value="+33240000001", seen_osm_value="+33240000000")
    new = changed(PHONE, city_value="+33240000009")
    plan = plan_refresh([accepted], [new], run_id=2, now=NOW)
    assert actions(plan) == {new.id: "stale", PHONE.id: "resolved"}
    (stale,) = plan.by_action("stale")
    assert stale.decision.state == "stale" and stale.decision.reason == VALUES_CHANGED
    assert stale.previous == accepted.decision and stale.replaces == PHONE.id
    assert (stale.decision.seen_city_value, stale.previous.seen_city_value) == ("+33240000009", "+33240000001")
    (resolved,) = plan.by_action("resolved")
    assert resolved.decision.reason == REPLACED and resolved.replaces == new.id
    assert resolved.previous == accepted.decision  # kept to show on the closed item


def test_a_changed_value_of_an_undecided_item_just_opens_the_new_one() -> None:
    new = changed(PHONE, osm_value="+33240000001 ")
    plan = plan_refresh([known(PHONE)], [new], run_id=2, now=NOW)
    assert actions(plan) == {new.id: "opened", PHONE.id: "resolved"}
    assert plan.by_action("resolved")[0].decision.reason == GONE


def test_a_stale_item_that_changes_again_still_carries_the_first_decision() -> None:
    rejected = known(PHONE, "rejected", reason="switchboard")
    second = changed(PHONE, city_value="+33240000009")
    stale = known(second, "stale", previous=rejected.decision)
    third = changed(PHONE, city_value="+33240000008")
    plan = plan_refresh([stale], [third], run_id=3, now=NOW)
    assert plan.by_action("stale")[0].previous == rejected.decision


def test_a_resolved_item_that_comes_back() -> None:
    was_rejected = known(PHONE, "resolved", present=False, previous=Decision(
        difference_id=PHONE.id, dataset="libs", state="rejected", reason="switchboard"))
    never_decided = known(SITE, "resolved", present=False)
    plan = plan_refresh([was_rejected, never_decided], [PHONE, SITE], run_id=4, now=NOW)
    assert actions(plan) == {PHONE.id: "reappeared", SITE.id: "reappeared"}
    by_id = {c.item_id: c for c in plan.changes}
    assert by_id[PHONE.id].decision.state == "stale" and by_id[PHONE.id].decision.reason == REAPPEARED
    assert by_id[PHONE.id].previous.reason == "switchboard"
    assert by_id[SITE.id].decision.state == "open"


def test_a_match_verdict_the_next_run_ignores_goes_stale() -> None:
    ambiguous = difference(None, None, "n11, n12", kind="ambiguous", osm_key=None, proposal="review")
    settled = known(ambiguous, "match_decided", match_verdict="same", decided_run_id=3)
    # The run that was under way when the verdict was given has not seen it: no change yet.
    assert actions(plan_refresh([settled], [ambiguous], run_id=3, now=NOW)) == {ambiguous.id: "seen"}
    later = plan_refresh([settled], [ambiguous], run_id=4, now=NOW)
    assert actions(later) == {ambiguous.id: "stale"}
    assert later.changes[0].decision.reason == VERDICT_UNSETTLED and later.changes[0].previous == settled.decision
