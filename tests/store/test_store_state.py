"""The state store on a real SQLite file and a real PostgreSQL: runs, history, the three-way base, decisions.

The `url` fixture (tests/store/conftest.py) gives a SQLite file and a private schema on the PostgreSQL of
$OSMBRIDGE_TEST_POSTGRES_URL (`.ci/run` starts a server and sets it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from osmbridge.diff import next_sync_base
from osmbridge.model import (CityFeature, CityPlace, DatasetResult, Difference, Match, MatchDecision, OsmPlace,
                             RunCounts, TagEdit)
from osmbridge.store import Fingerprints, Store, StoreError
from osmbridge.store.tables import DifferenceRow


def feature(source_id: str, **tags: str) -> CityFeature:
    place = CityPlace(dataset="libs", source_id=source_id, geometry=Point(-1.55, 47.21), fields={"id": source_id},
                      licence="ODbL-1.0", origin=f"libs.csv:{source_id}")
    return CityFeature(place=place, mapping="libs", category="library", name=tags.get("name"),
                       tags={"amenity": "library", **tags}, match_tags=(("amenity", "library"),),
                       match_distance_m=50)


def osm(osm_id: int, **tags: str) -> OsmPlace:
    return OsmPlace(osm_type="n", osm_id=osm_id, version=3, geometry=Point(-1.55, 47.21),
                    tags={"amenity": "library", **tags}, center=Point(-1.55, 47.21))


def differs(field: str, city: str, osm_value: str) -> Difference:
    return Difference(id=f"d-{field}", dataset="libs", kind="differs", source_id="1", osm_key="n10", field=field,
                      city_value=city, osm_value=osm_value, changed_side="unknown", proposal="disagreement",
                      lon=-1.55, lat=47.21)


def record(store: Store, city: list[CityFeature], places: list[OsmPlace], diffs: list[Difference]) -> int:
    run_id = store.start_run("test", "2026-01-01T00:00:00+00:00")
    dataset_run = store.start_dataset(run_id, "libs", "2026-01-01T00:00:00+00:00")
    matches = (Match(source_id="1", osm_key="n10", status="matched", method="ref", score=1.0),)
    counts = RunCounts(run_id=run_id, started_at="t", city_places=len(city), osm_places=len(places), matched=1,
                       ambiguous=0, missing_in_osm=0, missing_in_city=0, differences=len(diffs), skipped=0)
    result = DatasetResult(dataset="libs", licence="ODbL-1.0", run_id=run_id, started_at="t", city=tuple(city),
                           osm=tuple(places), matches=matches, differences=tuple(diffs))
    update = next_sync_base(store.sync_base("libs"), city, places, matches, diffs)
    store.record_dataset(dataset_run, result, counts, Fingerprints(city={}, osm={}), "reports/libs", update)
    store.finish_run(run_id, "ok", "2026-01-01T00:01:00+00:00")
    return run_id


def test_first_run_sets_the_base_then_only_agreement_moves_it(url: str) -> None:
    store = Store(url)
    assert store.sync_base("libs").empty
    record(store, [feature("1", name="Médiathèque", phone="+33240000000")],
           [osm(10, name="Mediatheque", phone="+33240000000")], [differs("name", "Médiathèque", "Mediatheque")])
    base = store.sync_base("libs")
    assert base.city_tags["1"]["name"] == "Médiathèque" and base.osm_tags["n10"]["name"] == "Mediatheque"

    # Second run: the city changed its phone (now differing) and OSM took the city's name (now agreeing).
    record(store, [feature("1", name="Médiathèque", phone="+33240999999")],
           [osm(10, name="Médiathèque", phone="+33240000000")],
           [differs("phone", "+33240999999", "+33240000000")])
    base = store.sync_base("libs")
    assert base.osm_tags["n10"]["name"] == "Médiathèque"  # agreed: the base follows
    assert base.city_tags["1"]["phone"] == "+33240000000"  # disagreed: the base keeps who changed what
    assert base.osm_tags["n10"]["phone"] == "+33240000000"


def test_history_lists_successful_runs_oldest_first(url: str) -> None:
    store = Store(url)
    first = record(store, [feature("1")], [osm(10)], [])
    failed_run = store.start_run("test", "t")
    store.fail_dataset(store.start_dataset(failed_run, "libs", "t"), "boom")
    second = record(store, [feature("1")], [osm(10)], [differs("name", "a", "b")])
    history = store.history("libs")
    assert [h.run_id for h in history] == [first, second]
    assert [h.differences for h in history] == [0, 1]


def test_decisions_survive_reopening_and_replace_the_same_link(url: str) -> None:
    store = Store(url)
    decision = MatchDecision(dataset="libs", source_id="1", verdict="not_same", osm_key="n10",
                             city_fingerprint="c1", osm_fingerprint="o1", author="anne")
    store.save_decision(decision)
    store.save_decision(MatchDecision(dataset="libs", source_id="1", verdict="no_counterpart", osm_key=None,
                                      city_fingerprint="c1", osm_fingerprint=None, author="anne"))
    store.save_decision(MatchDecision(dataset="libs", source_id="1", verdict="same", osm_key="n10",
                                      city_fingerprint="c2", osm_fingerprint="o2", author="bob"))
    store.close()
    verdicts = {(d.verdict, d.osm_key, d.author) for d in Store(url).decisions("libs")}
    assert verdicts == {("no_counterpart", None, "anne"), ("same", "n10", "bob")}


def test_unusable_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match=r"cannot open the state store postgresql\+nosuchdriver://u:\*\*\*@h/db"):
        Store("postgresql+nosuchdriver://u:secret@h/db")


def test_a_difference_on_an_osm_alias_keeps_the_base_of_the_mapped_tag(url: str) -> None:
    store = Store(url)
    record(store, [feature("1", phone="+33240000000")], [osm(10, **{"contact:phone": "+33240000000"})], [])
    # The city changed its number; OSM keeps it under contact:phone, so the difference names that key.
    record(store, [feature("1", phone="+33240999999")], [osm(10, **{"contact:phone": "+33240000000"})],
           [differs("contact:phone", "+33240999999", "+33240000000")])
    base = store.sync_base("libs")
    assert base.city_tags["1"]["phone"] == "+33240000000"
    assert base.osm_tags["n10"]["contact:phone"] == "+33240000000"


def test_a_sqlite_file_in_a_new_folder_is_created(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'state' / 'deeper' / 'osmbridge.sqlite'}")
    store.start_run("test", "t")
    assert (tmp_path / "state" / "deeper" / "osmbridge.sqlite").is_file()


def test_the_base_remembers_whether_the_city_had_the_place_closed(url: str) -> None:
    import dataclasses

    store = Store(url)
    record(store, [feature("1", name="Médiathèque")], [osm(10, name="Médiathèque")], [])
    assert store.sync_base("libs").city_closed == frozenset()
    closed = dataclasses.replace(feature("1", name="Médiathèque"), closed=True)
    # Closed by the city, still open in OSM: a lifecycle difference, so the base keeps "open".
    lifecycle = dataclasses.replace(differs("amenity", "disused:amenity=library", "amenity=library"),
                                    kind="lifecycle", field=None,
                                    osm_edit=TagEdit.of({"disused:amenity": "library"}, ["amenity"]))
    record(store, [closed], [osm(10, name="Médiathèque")], [lifecycle])
    assert store.sync_base("libs").city_closed == frozenset()
    # The move is kept as stated: what to remove and what to add, for a later push.
    with Session(store.engine) as session:
        stored = session.scalars(select(DifferenceRow.osm_edit).where(DifferenceRow.kind == "lifecycle")).one()
    assert stored == {"set": {"disused:amenity": "library"}, "unset": ["amenity"]}
    # OSM has taken the change (no lifecycle difference any more): closed becomes the base.
    record(store, [closed], [osm(10, name="Médiathèque")], [])
    assert store.sync_base("libs").city_closed == frozenset({"1"})


def test_the_base_keeps_positions_and_links_and_moves_positions_only_when_they_agree(url: str) -> None:
    import dataclasses

    store = Store(url)

    def moved(place, lon: float, lat: float):  # noqa: ANN001, ANN202
        if isinstance(place, OsmPlace):
            return dataclasses.replace(place, geometry=Point(lon, lat), center=Point(lon, lat))
        return dataclasses.replace(place, place=dataclasses.replace(place.place, geometry=Point(lon, lat)))

    record(store, [feature("1"), feature("2")], [osm(10), osm(11)], [])
    base = store.sync_base("libs")
    assert base.city_positions == {"1": (-1.55, 47.21), "2": (-1.55, 47.21)}
    assert base.osm_positions["n11"] == (-1.55, 47.21)
    # Links of the first sync: 1 with n10; record 2 and node n11 were unlinked.
    assert (base.city_links, base.osm_links) == ({"1": "n10"}, {"n10": "1"})
    # The city moves its point: a position difference, so the base keeps where both were.
    drift = dataclasses.replace(differs("x", "a", "b"), kind="position", field=None)
    record(store, [moved(feature("1"), -1.56, 47.21)], [osm(10)], [drift])
    assert store.sync_base("libs").city_positions["1"] == (-1.55, 47.21)
    # OSM follows: they agree again, and the base moves to the new positions.
    record(store, [moved(feature("1"), -1.56, 47.21)], [moved(osm(10), -1.56, 47.21)], [])
    base = store.sync_base("libs")
    assert base.city_positions["1"] == base.osm_positions["n10"] == (-1.56, 47.21)
