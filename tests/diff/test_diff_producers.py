"""Several producers: the producer holding each field speaks for it, disagreements go to both (`diff.producers`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from diff_builders import feature, osm_place  # tests/diff/diff_builders.py

from osmbridge.diff import diff_dataset
from osmbridge.diff.producers import last_changes, producer_stats, route_differences
from osmbridge.match.producers import link_producers
from osmbridge.model import CityFeature, DatasetResult, Difference, OsmPlace, Producer, ProducerStats, SyncBase
from osmbridge.review import allowed_directions, proposed_direction
from osmbridge.plan import plan_osm_edits
from osmbridge.review.directions import proposed_value

HEALTH = Producer("sante", "Direction de la santé", "Ville, direction de la santé", trust=80)
AID = Producer("secouristes", "Secouristes", "Association des secouristes", trust=40, holds=frozenset({"opening_hours"}))
DAE = (("emergency", "defibrillator"),)


def record(producer: Producer, record_id: str, tags: Mapping[str, str], *, lon: float = -1.5536,
           name: str | None = "Défibrillateur de la mairie") -> CityFeature:
    made = feature(record_id, {"emergency": "defibrillator", **tags}, lon=lon, name=name, match_tags=DAE,
                   match_distance_m=30, category="DAE", category_tags={"emergency": "defibrillator"})
    # The department's id is its ref tag in OSM; the association's list carries no id OSM would keep.
    if producer is HEALTH:
        made = replace(made, ref_tag="ref:sante", tags={**made.tags, "ref:sante": record_id})
    else:
        made = replace(made, ref_tag=None)
    return replace(made, place=replace(made.place, source_id=f"{producer.name}:{record_id}", producer=producer.name))


def run(health: Sequence[CityFeature], aid: Sequence[CityFeature], osm: Sequence[OsmPlace],
        producers: Sequence[Producer] = (HEALTH, AID), complete: Mapping[str, bool] | None = None
        ) -> tuple[list[Difference], list[ProducerStats]]:
    """Link, compare each producer with OSM, route: what the pipeline does for a dataset with producers."""
    features = {HEALTH.name: list(health), AID.name: list(aid)}
    order = [p.name for p in producers]
    links = link_producers(features, osm, order)
    own = {name: diff_dataset("dae", features[name], osm, links.matches[name], SyncBase(), region="FR",
                              report_osm_only=(complete or {}).get(name, True)) for name in order}
    routed = route_differences("dae", producers, features, osm, links.groups, own, SyncBase(), "FR")
    stats = producer_stats(producers, features, osm, links.matches, links.groups, own, routed,
                           {name: f"digest-{name}" for name in order}, {})
    return routed, stats


def test_the_most_trusted_producer_holds_a_field_and_disagreements_go_to_both() -> None:
    osm = [osm_place("n1", {"emergency": "defibrillator", "phone": "+33 2 40 41 00 01", "ref:sante": "D1"})]
    health = [record(HEALTH, "D1", {"phone": "+33240410001"})]
    aid = [record(AID, "S1", {"phone": "+33240419999"}, lon=-1.55363, name=None)]
    routed, _ = run(health, aid, osm)
    (disagreement,) = [d for d in routed if d.kind == "producers_disagree"]
    assert (disagreement.source_id, disagreement.field, disagreement.osm_key) == ("secouristes:S1", "phone", "n1")
    assert disagreement.producers == ("sante", "secouristes")
    assert disagreement.producer_values == (("sante", "+33240410001"), ("secouristes", "+33240419999"))
    # OSM agrees with the department: the association's list should take the department's number.
    assert disagreement.proposal == "to_city" and proposed_direction(disagreement) == "to_city"
    assert allowed_directions(disagreement) == ("to_city",)
    assert proposed_value(disagreement, "to_city") == "+33240410001"
    assert disagreement.name == "Défibrillateur de la mairie"  # the association records no names
    # The association's phone is not proposed to OSM against the department's.
    assert not [d for d in routed if d.kind != "producers_disagree" and d.field == "phone"]


def test_a_producer_configured_to_hold_a_field_speaks_for_it() -> None:
    osm = [osm_place("n1", {"emergency": "defibrillator", "opening_hours": "24/7", "ref:sante": "D1"})]
    health = [record(HEALTH, "D1", {"opening_hours": "24/7"})]
    aid = [record(AID, "S1", {"opening_hours": "Mo-Sa 08:00-20:00"}, lon=-1.55363, name=None)]
    routed, _ = run(health, aid, osm)
    by_kind = {d.kind: d for d in routed}
    assert set(by_kind) == {"differs", "producers_disagree"}
    # The association holds the hours: its value is the one compared with OSM...
    differs = by_kind["differs"]
    assert (differs.source_id, differs.city_value, differs.producers) == ("secouristes:S1", "Mo-Sa 08:00-20:00",
                                                                          ("secouristes",))
    assert [n.code for n in differs.note][-1] == "held_by"
    # ...and the department's record disagrees with it; OSM sides with the department: a person decides.
    disagreement = by_kind["producers_disagree"]
    assert disagreement.source_id == "sante:D1" and disagreement.producers == ("secouristes", "sante")
    assert disagreement.proposal == "disagreement"
    assert [n.code for n in disagreement.note] == ["producers_disagree", "producers_osm_agrees"]


def test_a_formatting_difference_between_producers_is_no_disagreement() -> None:
    osm = [osm_place("n1", {"emergency": "defibrillator", "phone": "+33 2 40 41 00 01", "ref:sante": "D1"})]
    health = [record(HEALTH, "D1", {"phone": "02 40 41 00 01", "opening_hours": "Mo-Fr 08:00-18:00"})]
    aid = [record(AID, "S1", {"phone": "+33 2 40 41 00 01", "opening_hours": "Mo,Tu,We,Th,Fr 08:00-18:00"},
                  lon=-1.55363, name=None)]
    routed, _ = run(health, aid, osm)
    assert not [d for d in routed if d.kind == "producers_disagree"]


def test_a_place_missing_in_osm_is_proposed_once_by_its_most_trusted_producer() -> None:
    health = [record(HEALTH, "D1", {"phone": "+33240410001"})]
    aid = [record(AID, "S1", {"phone": "+33240410001"}, lon=-1.55363, name=None)]
    routed, _ = run(health, aid, [osm_place("n9", {"emergency": "defibrillator"}, lon=-1.50)])
    creations = [d for d in routed if d.kind == "missing_in_osm"]
    assert [(d.source_id, d.producers) for d in creations] == [("sante:D1", ("sante",))]
    assert creations[0].note[-1].code == "also_listed_by"


def test_a_place_only_osm_has_is_reported_once_to_the_most_trusted_complete_producer() -> None:
    osm = [osm_place("n1", {"emergency": "defibrillator", "ref:sante": "D1"}),
           osm_place("n2", {"emergency": "defibrillator"}, lon=-1.50)]
    health = [record(HEALTH, "D1", {})]
    aid = [record(AID, "S1", {}, lon=-1.55363, name=None)]
    routed, _ = run(health, aid, osm)
    assert [(d.kind, d.osm_key, d.producers) for d in routed] == [("missing_in_city", "n2", ("sante",))]
    # A producer whose list is not complete is not asked about places it lacks.
    routed, _ = run(health, aid, osm, complete={"sante": False, "secouristes": True})
    assert [(d.kind, d.osm_key, d.producers) for d in routed] == [("missing_in_city", "n2", ("secouristes",))]


def test_a_dataset_whose_records_no_other_producer_lists_keeps_every_difference() -> None:
    osm = [osm_place("n1", {"emergency": "defibrillator", "phone": "+33240410002", "ref:sante": "D1"})]
    health = [record(HEALTH, "D1", {"phone": "+33240410001"})]
    routed, _ = run(health, [], osm)
    assert [(d.kind, d.field, d.producers) for d in routed] == [("differs", "phone", ("sante",))]
    assert [n.code for n in routed[0].note] == [n.code for n in routed[0].note if n.code != "held_by"]


def test_producer_stats_count_fields_agreeing_with_osm() -> None:
    osm = [osm_place("n1", {"emergency": "defibrillator", "phone": "+33 2 40 41 00 01", "opening_hours": "24/7",
                            "ref:sante": "D1"})]
    health = [record(HEALTH, "D1", {"phone": "+33240410001", "opening_hours": "24/7"})]
    aid = [record(AID, "S1", {"phone": "+33240419999", "opening_hours": "24/7"}, lon=-1.55363, name=None)]
    routed, stats = run(health, aid, osm)
    by_name = {row.producer: row for row in stats}
    # emergency, phone, opening_hours compared (the own ref tag is not): the association's phone differs.
    assert (by_name["sante"].fields_compared, by_name["sante"].fields_agreed) == (3, 3)
    assert (by_name["secouristes"].fields_compared, by_name["secouristes"].fields_agreed) == (3, 2)
    assert by_name["secouristes"].share_agreed == 2 / 3
    assert (by_name["sante"].records, by_name["sante"].matched, by_name["sante"].linked) == (1, 1, 1)
    assert by_name["sante"].disagreements == by_name["secouristes"].disagreements == 1
    assert by_name["sante"].routed == 1 and by_name["secouristes"].routed == 0  # routed: its field first


def test_last_change_is_when_the_current_data_was_first_read() -> None:
    stats = [ProducerStats("a", 1, 1, 0, 0, 0, 0, 0, digest="x"), ProducerStats("b", 1, 1, 0, 0, 0, 0, 0, digest="y"),
             ProducerStats("c", 1, 1, 0, 0, 0, 0, 0, digest="z")]
    earlier = {"a": [("2024-01-01", "w"), ("2024-02-01", "x"), ("2024-03-01", "x")], "b": [("2024-03-01", "x")]}
    changed = {row.producer: row.last_change for row in last_changes(stats, "2024-04-01", earlier)}
    assert changed == {"a": "2024-02-01", "b": "2024-04-01", "c": "2024-04-01"}


def _planned(routed: Sequence[Difference], osm: Sequence[OsmPlace], *city: CityFeature) -> list[str]:
    """The OSM keys the run's upload files would edit (what the report writes from the proposals)."""
    result = DatasetResult("dae", "ODbL-1.0", 1, "2026-01-01T00:00:00Z", city, tuple(osm), (), tuple(routed))
    return [edit.osm_key for edit in plan_osm_edits(result).file_edits]


def test_a_closure_other_producers_dispute_goes_to_a_person_not_to_osm() -> None:
    osm = [osm_place("n1", {"emergency": "defibrillator", "ref:sante": "D1"})]
    aid = record(AID, "S1", {}, lon=-1.55363, name=None)
    health = record(HEALTH, "D1", {})
    # The department closed the device; the association, which checks it on the ground, still lists it.
    routed, _ = run([replace(health, closed=True)], [aid], osm)
    (closure,) = [d for d in routed if d.kind == "lifecycle"]
    assert (closure.source_id, closure.proposal) == ("sante:D1", "disagreement")
    assert closure.producers == ("sante", "secouristes") and closure.note[-1].code == "closure_disputed"
    assert _planned(routed, osm, replace(health, closed=True), aid) == []  # in no upload file
    # The association closed it, the department did not: no closure reaches OSM either, a person checks.
    routed, _ = run([health], [replace(aid, closed=True)], osm)
    (closure,) = [d for d in routed if d.kind == "lifecycle"]
    assert (closure.source_id, closure.proposal) == ("secouristes:S1", "disagreement")
    assert closure.producers == ("secouristes", "sante")
    # Both closed it: one closure, proposed to OSM by the most trusted producer.
    closed = (replace(health, closed=True), replace(aid, closed=True))
    routed, _ = run([closed[0]], [closed[1]], osm)
    (closure,) = [d for d in routed if d.kind == "lifecycle"]
    assert (closure.source_id, closure.proposal) == ("sante:D1", "to_osm")
    assert _planned(routed, osm, *closed) == ["n1"]
