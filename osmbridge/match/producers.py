"""Several producers of one dataset: each producer's records linked to OSM and to each other's.

Each producer is matched to OSM by the conflation engine, as a dataset with one source is. Then
each pair of producers is matched through the same engine, the less trusted producer's records
standing in for OSM places (their own ids left out: two producers number their records
independently). Places are then built by joining records: two records linked to the same OSM
place are one place; a direct link between two producers' records joins them too, unless it would
put two records of one producer, or two OSM places, in one place (the matchers then disagree and
each record stays with its own OSM link). A record the engine left without an OSM counterpart
takes its place's OSM link, found through another producer's record; so does a record the engine
found ambiguous, when that link is one of its candidates (the other producer settles the choice).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from shapely.geometry import Point

from osmbridge.match.engine import match_places
from osmbridge.match.notes import note
from osmbridge.match.rules import MatchRules
from osmbridge.model import CityFeature, Match, MatchDecision, OsmPlace, PlaceGroup

Record = tuple[str, int]  # (producer, index in its features)


@dataclass(frozen=True, slots=True)
class ProducerLinks:
    """The outcome of linking several producers: each producer's matches with OSM, and the places."""

    matches: Mapping[str, tuple[Match, ...]]  # producer -> one Match per record, then its OSM-only places
    groups: tuple[PlaceGroup, ...]  # every record in exactly one place, in the producers' order


def link_producers(features: Mapping[str, Sequence[CityFeature]], osm: Sequence[OsmPlace], order: Sequence[str],
                   rules: MatchRules = MatchRules(), decisions: Sequence[MatchDecision] = ()) -> ProducerLinks:
    """Match each producer's features to OSM and to the other producers' features; return matches and places.

    `order` lists the producers, the most trusted first: a place lists its records in that order.
    `decisions` are the dataset's sticky verdicts (keyed by the records' dataset-wide ids).
    """
    own = {producer: match_places(features[producer], osm, rules, decisions) for producer in order}
    index = {producer: {f.source_id: i for i, f in enumerate(features[producer])} for producer in order}
    places = _Places(order)
    by_osm: dict[str, Record] = {}
    linkable: set[Record] = set()
    for producer in order:
        for match in own[producer]:
            if match.source_id is None:
                continue
            record = (producer, index[producer][match.source_id])
            places.add(record)
            if match.status in ("matched", "city_only", "ambiguous"):
                linkable.add(record)
            if match.status == "matched" and match.osm_key is not None:
                places.set_osm(record, match.osm_key)
                if match.osm_key in by_osm:  # two producers' records on one OSM place: one place
                    places.join(by_osm[match.osm_key], record)
                else:
                    by_osm[match.osm_key] = record
    for links in _cross_links(features, order, rules):
        for _, first, second in links:
            if first in linkable and second in linkable:
                places.join(first, second)
    groups = places.groups(lambda record: features[record[0]][record[1]].source_id)
    return ProducerLinks(matches={p: _effective(p, own[p], groups) for p in order},
                         groups=tuple(groups))


def _cross_links(features: Mapping[str, Sequence[CityFeature]], order: Sequence[str],
                 rules: MatchRules) -> list[list[tuple[float, Record, Record]]]:
    """Return, per pair of producers (more trusted first), their records the engine links, best first."""
    found = []
    for n, first in enumerate(order):
        for second in order[n + 1:]:
            stand_ins = [_stand_in(j, feature) for j, feature in enumerate(features[second])]
            if not features[first] or not stand_ins:
                continue
            records = list(features[first])
            if not any(place.tags.get("name") for place in stand_ins):
                # A producer that records no names (a checklist) says nothing against a name: without
                # this, every named record would count as facing an unnamed place.
                records = [replace(feature, name=None) for feature in records]
            # The engine returns one match per record of `first`, in order, then the stand-ins left alone.
            links = [(match.score, (first, i), (second, int(match.osm_key[1:]) - 1))
                     for i, match in enumerate(match_places(records, stand_ins, rules)[:len(records)])
                     if match.status == "matched" and match.osm_key is not None]
            found.append(sorted(links, key=lambda link: (-link[0], link[1], link[2])))
    return found


def _stand_in(j: int, feature: CityFeature) -> OsmPlace:
    """A producer's record as an OSM place for the engine: its tags and name, without its own id."""
    tags = {key: value for key, value in feature.tags.items() if key != feature.ref_tag and value}
    if feature.name and "name" not in tags:
        tags["name"] = feature.name
    geometry = feature.geometry
    center = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return OsmPlace(osm_type="n", osm_id=j + 1, version=0, geometry=geometry, tags=tags, center=center)


def _effective(producer: str, matches: Sequence[Match], groups: Sequence[PlaceGroup]) -> tuple[Match, ...]:
    """Return a producer's matches with the OSM links found through other producers' records."""
    group_of = {source_id: group for group in groups for source_id in group.source_ids}
    gained: set[str] = set()
    result: list[Match] = []
    for match in matches:
        group = group_of.get(match.source_id) if match.source_id else None
        if group is not None and group.osm_key is not None and (
                match.status == "city_only" or (match.status == "ambiguous" and group.osm_key in match.candidates)):
            other, via = next((p, source_id) for p, source_id in group.records if p != producer)
            result.append(replace(match, osm_key=group.osm_key, status="matched", method="producer",
                                  note=(note("via_producer", osm=group.osm_key, producer=other, record=via),)))
            gained.add(group.osm_key)
        else:
            result.append(match)
    # An OSM place now linked to one of this producer's records is no longer "only in OSM" for it.
    return tuple(m for m in result if not (m.status == "osm_only" and m.osm_key in gained))


class _Places:
    """Records joined into places (union-find), each place with at most one record per producer and one OSM place."""

    def __init__(self, order: Sequence[str]) -> None:
        self.rank = {producer: n for n, producer in enumerate(order)}
        self.parent: dict[Record, Record] = {}
        self.members: dict[Record, list[Record]] = {}
        self.osm: dict[Record, str | None] = {}

    def add(self, record: Record) -> None:
        if record not in self.parent:
            self.parent[record], self.members[record], self.osm[record] = record, [record], None

    def root(self, record: Record) -> Record:
        while self.parent[record] != record:
            self.parent[record] = self.parent[self.parent[record]]
            record = self.parent[record]
        return record

    def set_osm(self, record: Record, osm_key: str) -> None:
        self.osm[self.root(record)] = osm_key

    def join(self, first: Record, second: Record) -> bool:
        """Join the places of two records when that keeps one record per producer and one OSM place."""
        a, b = self.root(first), self.root(second)
        if a == b:
            return True
        producers_a = {producer for producer, _ in self.members[a]}
        if any(producer in producers_a for producer, _ in self.members[b]):
            return False
        osm_a, osm_b = self.osm[a], self.osm[b]
        if osm_a is not None and osm_b is not None and osm_a != osm_b:
            return False
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] += self.members.pop(b)
        self.osm[a] = osm_a or osm_b
        del self.osm[b]
        return True

    def groups(self, source_id: Callable[[Record], str]) -> list[PlaceGroup]:
        """Return the places, each listing its records in the producers' order; places in that order too."""
        found = []
        for root, members in self.members.items():
            ordered = sorted(members, key=lambda record: (self.rank[record[0]], record[1]))
            found.append((ordered, PlaceGroup(records=tuple((p, source_id((p, i))) for p, i in ordered),
                                              osm_key=self.osm[root])))
        found.sort(key=lambda item: [(self.rank[p], i) for p, i in item[0]][:1])
        return [group for _, group in found]
