"""Linking several producers' records to OSM and to each other (`match.producers.link_producers`)."""

from __future__ import annotations

from dataclasses import replace

from match_factories import at, city, osm  # tests/match/match_factories.py

from osmbridge.match.producers import link_producers
from osmbridge.model import CityFeature, MatchDecision

HALL = ("leisure", "sports_hall")


def record(producer: str, record_id: str, east_m: float, north_m: float, name: str | None = None,
           **tags: str) -> CityFeature:
    """A producer's record as the pipeline makes it: its id "producer:id", its own id in its ref tag."""
    feature = city(record_id, at(east_m, north_m), name, HALL, ref_tag=f"ref:{producer}", extra=tags)
    return replace(feature, place=replace(feature.place, source_id=f"{producer}:{record_id}", producer=producer))


def groups_of(links) -> dict[frozenset[str], str | None]:
    return {frozenset(group.source_ids): group.osm_key for group in links.groups}


def test_records_of_two_producers_on_one_osm_place_are_one_place() -> None:
    places = [osm("n1", at(0, 0), {"leisure": "sports_hall", "name": "Gymnase Jean Moulin"}),
              osm("n2", at(400, 0), {"leisure": "sports_hall", "name": "Gymnase du Port"})]
    sports = [record("sports", "G1", 3, 0, "Gymnase Jean Moulin"), record("sports", "G2", 400, 4, "Gymnase du Port")]
    clubs = [record("clubs", "7", 0, 5, "Gymnase Jean-Moulin"), record("clubs", "8", 402, 0, "Gymnase du Port")]
    links = link_producers({"sports": sports, "clubs": clubs}, places, ["sports", "clubs"])
    assert groups_of(links) == {frozenset({"sports:G1", "clubs:7"}): "n1", frozenset({"sports:G2", "clubs:8"}): "n2"}
    # Each place lists the most trusted producer's record first.
    assert all(group.records[0][0] == "sports" for group in links.groups)
    assert {m.source_id: m.osm_key for m in links.matches["clubs"] if m.status == "matched"} == {
        "clubs:7": "n1", "clubs:8": "n2"}


def test_a_record_the_engine_left_alone_takes_the_osm_place_of_its_place() -> None:
    # OSM has the hall under another name: the department's ref links it, the association's record
    # (a different name, no ref) is left alone by the engine, but sits on the department's record.
    places = [osm("n1", at(0, 0), {"leisure": "sports_hall", "name": "Complexe sportif", "ref:sports": "G1"})]
    sports = [record("sports", "G1", 80, 0, "Halle des sports")]
    clubs = [record("clubs", "7", 81, 1, "Halle des sports")]
    links = link_producers({"sports": sports, "clubs": clubs}, places, ["sports", "clubs"])
    (club,) = [m for m in links.matches["clubs"] if m.source_id]
    assert (club.status, club.osm_key, club.method) == ("matched", "n1", "producer")
    assert club.note[0].code == "via_producer" and club.note[0].params["record"] == "sports:G1"
    # n1 is no longer "only in OSM" for the association.
    assert not [m for m in links.matches["clubs"] if m.status == "osm_only"]
    assert groups_of(links) == {frozenset({"sports:G1", "clubs:7"}): "n1"}


def test_records_both_missing_in_osm_are_linked_to_each_other() -> None:
    # The association records no names: its silence on the name is no evidence against the place.
    sports = [record("sports", "G1", 0, 0, "Gymnase Simone Veil"), record("sports", "G2", 300, 0, "Gymnase Zola")]
    clubs = [record("clubs", "7", 4, -3, None), record("clubs", "8", 298, 2, None)]
    links = link_producers({"sports": sports, "clubs": clubs}, [], ["sports", "clubs"])
    assert groups_of(links) == {frozenset({"sports:G1", "clubs:7"}): None, frozenset({"sports:G2", "clubs:8"}): None}


def test_producers_ids_never_link_records() -> None:
    # Both producers number their records 1, 2...: equal own ids are no evidence of one place.
    sports = [record("sports", "1", 0, 0, "Gymnase A")]
    clubs = [replace(record("clubs", "1", 2000, 0, "Gymnase B"), ref_tag="ref:sports")]
    clubs = [replace(clubs[0], tags={**clubs[0].tags, "ref:sports": "1"})]
    links = link_producers({"sports": sports, "clubs": clubs}, [], ["sports", "clubs"])
    assert groups_of(links) == {frozenset({"sports:1"}): None, frozenset({"clubs:1"}): None}


def test_a_place_never_gets_two_osm_places_nor_two_records_of_one_producer() -> None:
    # Two OSM halls 20 m apart; each producer links a different one: the records stay apart.
    places = [osm("n1", at(0, 0), {"leisure": "sports_hall", "ref:sports": "G1"}),
              osm("n2", at(20, 0), {"leisure": "sports_hall", "ref:clubs": "7"})]
    sports = [record("sports", "G1", 10, 0, "Gymnase"), record("sports", "G2", 12, 0, "Gymnase")]
    clubs = [record("clubs", "7", 10, 1, "Gymnase")]
    links = link_producers({"sports": sports, "clubs": clubs}, places, ["sports", "clubs"])
    for group in links.groups:
        producers = [producer for producer, _ in group.records]
        assert len(producers) == len(set(producers))
    assert groups_of(links)[frozenset({"clubs:7"})] == "n2"
    assert sorted(len(g.records) for g in links.groups) == [1, 1, 1]


def test_decisions_apply_to_each_producers_records() -> None:
    places = [osm("n1", at(0, 0), {"leisure": "sports_hall", "name": "Gymnase"}),
              osm("n2", at(10, 0), {"leisure": "sports_hall", "name": "Gymnase"})]
    clubs = [record("clubs", "7", 0, 0, "Gymnase")]
    decided = MatchDecision(dataset="test", source_id="clubs:7", verdict="same", osm_key="n2",
                            city_fingerprint="", osm_fingerprint=None, author="anne", decided_at="2024-01-01")
    from osmbridge.match import city_fingerprint, osm_fingerprint

    decided = replace(decided, city_fingerprint=city_fingerprint(clubs[0]), osm_fingerprint=osm_fingerprint(places[1]))
    links = link_producers({"clubs": clubs}, places, ["clubs"], decisions=[decided])
    (club,) = [m for m in links.matches["clubs"] if m.source_id]
    assert (club.osm_key, club.method) == ("n2", "decision")
