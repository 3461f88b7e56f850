"""Datasets with several producers in the store (SQLite and PostgreSQL): routed differences, filters by
producer, each producer's counts and freshness run after run."""

from __future__ import annotations

import dataclasses

from review_fixtures import DATASET, difference, feature, osm_place  # tests/review_fixtures.py

from osmbridge.diff import next_sync_base
from osmbridge.model import DatasetResult, Producer, ProducerStats, RunCounts
from osmbridge.review import Accept, ItemFilter
from osmbridge.store import Fingerprints, Store

HEALTH = Producer("sante", "Direction de la santé", "Ville, direction de la santé", "sante@example.org",
                  "etalab-2.0", 80, frozenset({"phone"}))
CLUB = Producer("club_a", "Club A", "Club A (association)", licence="ODbL-1.0", trust=30)
LOOKALIKE = Producer("clubxa", "Club X", "Club X", trust=20)  # "club_a" as a LIKE pattern would match it

PHONE = dataclasses.replace(difference("phone", "+33240000001", "+33240000000", source_id="1"), producers=("sante",))
DISAGREE = dataclasses.replace(
    difference("phone", "+33240000009", "+33240000000", kind="producers_disagree", proposal="to_city",
               source_id="2"),
    producers=("sante", "club_a"), producer_values=(("sante", "+33240000001"), ("club_a", "+33240000009")))
OTHER = dataclasses.replace(difference("website", "https://x.example", None, kind="only_city", source_id="3"),
                            producers=("clubxa",))


def stats(producer: str, digest: str, records: int = 3, agreed: int = 2) -> ProducerStats:
    return ProducerStats(producer=producer, records=records, matched=2, linked=1, fields_compared=4,
                         fields_agreed=agreed, routed=1, disagreements=1, digest=digest, data_date="2024-03-15",
                         last_change=None)


def record(store: Store, when: str, rows: tuple[ProducerStats, ...]) -> None:
    run_id = store.start_run("test", when)
    dataset_run = store.start_dataset(run_id, DATASET, when)
    differences = (PHONE, DISAGREE, OTHER)
    result = DatasetResult(dataset=DATASET, licence="etalab-2.0", run_id=run_id, started_at=when,
                           city=tuple(feature(s) for s in ("1", "2", "3")), osm=(osm_place("n10"),), matches=(),
                           differences=differences, producers=(HEALTH, CLUB, LOOKALIKE),
                           producer_stats=tuple(dataclasses.replace(r, last_change=when) for r in rows))
    counts = RunCounts(run_id=run_id, started_at=when, city_places=3, osm_places=1, matched=0, ambiguous=0,
                       missing_in_osm=0, missing_in_city=0, differences=len(differences), skipped=0)
    store.record_dataset(dataset_run, result, counts, Fingerprints(city={}, osm={}), "reports/dae",
                         next_sync_base(store.sync_base(DATASET), result.city, result.osm, (), differences))
    store.finish_run(run_id, "ok", when)


def test_routed_items_are_listed_by_producer_and_keep_what_each_producer_says(url: str) -> None:
    store = Store(url)
    try:
        record(store, "2024-06-01T00:00:00+00:00", (stats("sante", "a"), stats("club_a", "b")))
        assert store.review_item(DISAGREE.id).difference == DISAGREE
        assert store.review_item(PHONE.id).difference.producer_values == ()

        def routed(name: str) -> set[str]:
            return {item.id for item in store.review_items(ItemFilter(dataset=DATASET, producer=name))}

        assert routed("sante") == {PHONE.id, DISAGREE.id}
        assert routed("club_a") == {DISAGREE.id}  # not "clubxa": the name is no pattern
        assert routed("clubxa") == {OTHER.id}
        assert routed("club") == routed("%") == set()
        assert store.count_review_items(ItemFilter(dataset=DATASET, producer="club_a")) == 1
        # Accepting a disagreement sends the value of the producer holding the field.
        done = store.decide(DISAGREE.id, Accept("to_city"), author="carla")
        assert done.decision.value == "+33240000001"
    finally:
        store.close()


def test_freshness_is_the_latest_runs_with_the_history(url: str) -> None:
    store = Store(url)
    try:
        assert store.producer_freshness(DATASET) == [] and store.producer_history(DATASET) == {}
        record(store, "2024-06-01T00:00:00+00:00", (stats("sante", "a"), stats("club_a", "b", agreed=1)))
        record(store, "2024-07-01T00:00:00+00:00", (stats("club_a", "c", records=4), stats("sante", "a")))
        assert store.producer_history(DATASET) == {
            "sante": [("2024-06-01T00:00:00+00:00", "a"), ("2024-07-01T00:00:00+00:00", "a")],
            "club_a": [("2024-06-01T00:00:00+00:00", "b"), ("2024-07-01T00:00:00+00:00", "c")]}
        latest = store.producer_freshness(DATASET)
        assert [r.producer.name for r in latest] == ["sante", "club_a"]  # the most trusted first
        sante, club = latest
        assert (sante.producer.owner, sante.producer.contact, sante.producer.trust) == (
            "Ville, direction de la santé", "sante@example.org", 80)
        assert club.stats.records == 4 and club.stats.last_change == "2024-07-01T00:00:00+00:00"
        assert [(h[1], h[2], h[3]) for h in club.history] == [("2024-06-01T00:00:00+00:00", 3, 0.25),
                                                              ("2024-07-01T00:00:00+00:00", 4, 0.5)]
    finally:
        store.close()
