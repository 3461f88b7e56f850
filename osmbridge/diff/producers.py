"""Several producers of one dataset: who holds each field, what reaches OSM, where producers disagree.

Each producer's records are first compared with OSM like a dataset with one source (`diff_dataset`).
Then, place by place (`PlaceGroup`), one producer speaks for each field: the producer configured to
hold it (`Producer.holds`), else the most trusted one with a value. Only its differences with OSM
are kept, routed to it; the others' on that field are dropped, so OSM never gets two proposals for
one field. Place-level differences (position, creation) come from the place's most trusted
producer, with a note naming the others. A closure reaches OSM only when every producer listing the
place says closed; otherwise it goes to a person ("disagreement"), routed to the producers
concerned. OSM places no producer has are reported once, routed to the most trusted producer that
reports places missing from its data.

Where another producer gives the place a value the holder contradicts (the same comparators decide:
a formatting difference is no disagreement), a "producers_disagree" difference is added on that
producer's record, routed to the holder first, then to it. Accepting it sends the holder's value to
that producer's data ("to_city"); when OSM agrees with that producer and not with the holder, the
proposal is "disagreement": a person checks who is right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from osmbridge.diff.build import present
from osmbridge.diff.comparators import comparator_for, osm_aliases
from osmbridge.diff.geometry import display_point
from osmbridge.diff.ids import difference_id
from osmbridge.diff.notes import join_notes, note
from osmbridge.diff.region import pair_region
from osmbridge.model import (CityFeature, Difference, Match, OsmPlace, PlaceGroup, Producer, ProducerStats, Proposal,
                             SyncBase)

FIELD_KINDS = frozenset({"differs", "minor", "only_city", "only_osm"})
# Kinds about one producer's record and the matcher's view of it: every producer keeps its own.
_OWN_KINDS = frozenset({"ambiguous", "duplicate"})


def route_differences(dataset: str, producers: Sequence[Producer], features: Mapping[str, Sequence[CityFeature]],
                      osm: Sequence[OsmPlace], groups: Sequence[PlaceGroup],
                      differences: Mapping[str, Sequence[Difference]], base: SyncBase,
                      region: str | None) -> list[Difference]:
    """Return the dataset's differences: each producer's with OSM, routed to the producer holding the
    field, and the producers' disagreements. `producers` are the most trusted first; `differences`
    are each producer's own `diff_dataset` output."""
    by_name = {producer.name: producer for producer in producers}
    by_id = {f.source_id: f for name in by_name for f in features.get(name, ())}
    group_of = {source_id: group for group in groups for source_id in group.source_ids}
    linked_osm = {group.osm_key for group in groups if group.osm_key}
    kept: list[Difference] = []
    osm_side: set[tuple[str, str | None]] = set()
    for producer in producers:
        for difference in differences.get(producer.name, ()):
            if difference.source_id is None:  # an OSM place no record of this producer has
                if difference.osm_key in linked_osm or (difference.kind, difference.osm_key) in osm_side:
                    continue  # another producer has it, or already reports it
                osm_side.add((difference.kind, difference.osm_key))
                kept.append(replace(difference, producers=(producer.name,)))
                continue
            group = group_of.get(difference.source_id)
            members = [by_id[source_id] for source_id in group.source_ids] if group else []
            routed = _routed(difference, producer, members, by_name)
            if routed is not None:
                kept.append(routed)
    places = {place.key: place for place in osm}
    for group in groups:
        if len(group.records) > 1:
            place = places.get(group.osm_key) if group.osm_key else None
            kept += disagreements(dataset, [by_id[source_id] for source_id in group.source_ids], place, by_name,
                                  base, region)
    unique = {d.id: d for d in reversed(kept)}
    return sorted(unique.values(), key=lambda d: (d.source_id is None, d.source_id or "", d.osm_key or "",
                                                  d.field is not None, d.field or "", d.kind, d.id))


def _routed(difference: Difference, producer: Producer, members: Sequence[CityFeature],
            by_name: Mapping[str, Producer]) -> Difference | None:
    """Return a producer's difference routed to it when it speaks for this field of the place, else None."""
    if len(members) < 2 or difference.kind in _OWN_KINDS:
        return replace(difference, producers=(producer.name,))
    # A producer that records no names (an association's checklist) shows the place by another's name.
    if not difference.name:
        difference = replace(difference, name=next((f.name for f in members if f.name), None))
    others = ", ".join(by_name[f.producer].title for f in members if f.producer != producer.name)
    if difference.kind in FIELD_KINDS and difference.field is not None:
        tag = mapped_tag(difference.field, members)
        if field_holder(tag, members, by_name).producer != producer.name:
            return None
        return replace(difference, producers=(producer.name,),
                       note=join_notes(difference.note, note("held_by", producer=producer.title, others=others)))
    if difference.kind == "lifecycle":
        return _closure(difference, producer, members, by_name)
    if members[0].producer != producer.name:
        return None  # position, creation: the place's most trusted producer speaks
    return replace(difference, producers=(producer.name,),
                   note=join_notes(difference.note, note("also_listed_by", producers=others)))


def _closure(difference: Difference, producer: Producer, members: Sequence[CityFeature],
             by_name: Mapping[str, Producer]) -> Difference | None:
    """A producer's closure of a place the others list: proposed to OSM only when every producer says closed.

    Where another producer still lists the place open, nobody knows who is right: the closure goes to
    a person ("disagreement": in no upload file; pushed only if a reviewer accepts it), routed to
    this producer first, then to those that disagree.
    """
    still_open = [f for f in members if f.producer != producer.name and not f.closed]
    if not still_open:
        if members[0].producer != producer.name:
            return None  # every producer closed it: the most trusted one speaks
        others = ", ".join(by_name[f.producer].title for f in members if f.producer != producer.name)
        return replace(difference, producers=(producer.name,),
                       note=join_notes(difference.note, note("also_listed_by", producers=others)))
    return replace(difference, proposal="disagreement",
                   producers=(producer.name, *dict.fromkeys(f.producer for f in still_open)),
                   note=join_notes(difference.note, note(
                       "closure_disputed", producer=producer.title,
                       others=", ".join(by_name[f.producer].title for f in still_open))))


def field_holder(tag: str, members: Sequence[CityFeature], by_name: Mapping[str, Producer]) -> CityFeature:
    """Return the record that speaks for `tag` in a place: its configured holder's, else the most
    trusted one with a value, else the most trusted. `members` are the place's records, most trusted first."""
    for feature in members:
        if tag in by_name[feature.producer].holds:
            return feature
    for feature in members:
        if has_value(feature, tag):
            return feature
    return members[0]


def has_value(feature: CityFeature, tag: str) -> bool:
    """Return whether a record gives a value for `tag` (or a key OSM uses for the same thing)."""
    return any(present(feature.tags.get(key)) is not None for key in (tag, *osm_aliases(tag)))


def mapped_tag(field: str, members: Sequence[CityFeature]) -> str:
    """Return the tag the records map for a difference's `field` (which may be the alias OSM uses)."""
    if any(field in f.tags or field in f.field_of_tag for f in members):
        return field
    return next((alias for alias in osm_aliases(field) if any(alias in f.tags for f in members)), field)


def compared_tags(feature: CityFeature) -> set[str]:
    """Return the tags of a record worth comparing with another producer's: with a value, not its own id."""
    return {key for key, value in feature.tags.items()
            if present(value) is not None and key != feature.ref_tag and key not in feature.osm_only}


def agree(tag: str, first: str, second: str, region: str | None) -> bool:
    """Return whether two city values of `tag` mean the same (a formatting difference is agreement)."""
    comparator = comparator_for(tag)
    shown_first, _ = comparator.present_city(first)
    shown_second, _ = comparator.present_city(second)
    return comparator.compare(shown_first, shown_second, region).verdict != "differs"


def disagreements(dataset: str, members: Sequence[CityFeature], place: OsmPlace | None,
                  by_name: Mapping[str, Producer], base: SyncBase, region: str | None) -> list[Difference]:
    """Return the "producers_disagree" differences of one place: each record contradicting the field's holder."""
    found = []
    for tag in sorted(set().union(*(compared_tags(f) for f in members))):
        holder = field_holder(tag, members, by_name)
        holder_value = present(holder.tags.get(tag))
        if holder_value is None:
            continue
        for other in members:
            value = present(other.tags.get(tag))
            if other is holder or value is None:
                continue
            pair = pair_region(holder.tags, other.tags, region)
            if agree(tag, holder_value, value, pair):
                continue
            found.append(_disagreement(dataset, tag, holder, holder_value, other, value, place, by_name, base, pair))
    return found


def _disagreement(dataset: str, tag: str, holder: CityFeature, holder_value: str, other: CityFeature, value: str,
                  place: OsmPlace | None, by_name: Mapping[str, Producer], base: SyncBase,
                  region: str | None) -> Difference:
    comparator = comparator_for(tag)
    osm_value = None
    if place is not None:
        osm_value = next((present(place.tags.get(key)) for key in (tag, *osm_aliases(tag))
                          if present(place.tags.get(key)) is not None), None)
    holder_title, other_title = by_name[holder.producer].title, by_name[other.producer].title
    notes = [note("producers_disagree", holder=holder_title, holder_value=holder_value, other=other_title,
                  value=value)]
    proposal: Proposal = "to_city"  # the holder's value goes to the other producer's data
    if osm_value is not None and agree(tag, value, osm_value, region) and not agree(tag, holder_value, osm_value,
                                                                                      region):
        proposal = "disagreement"
        notes.append(note("producers_osm_agrees", other=other_title))
    elif osm_value is not None and not agree(tag, holder_value, osm_value, region):
        notes.append(note("producers_osm_other", value=osm_value))
    point = display_point(other.geometry)
    return Difference(
        id=difference_id(dataset, other.source_id, holder.source_id, tag, comparator.key(value, region),
                         comparator.key(holder_value, region), "producers_disagree"),
        dataset=dataset, kind="producers_disagree", source_id=other.source_id,
        osm_key=place.key if place is not None else None, field=tag, city_value=value, osm_value=osm_value,
        changed_side="unknown" if base.empty else "none", proposal=proposal, lon=point.x, lat=point.y,
        category=other.category, name=holder.name or other.name,
        osm_version=(place.version or None) if place is not None else None, city_field=other.field_of_tag.get(tag),
        note=join_notes(*notes), producers=(holder.producer, other.producer),
        producer_values=((holder.producer, holder_value), (other.producer, value)),
    )


def producer_stats(producers: Sequence[Producer], features: Mapping[str, Sequence[CityFeature]],
                   osm: Sequence[OsmPlace], matches: Mapping[str, Sequence[Match]], groups: Sequence[PlaceGroup],
                   own: Mapping[str, Sequence[Difference]], routed: Sequence[Difference],
                   digests: Mapping[str, str], data_dates: Mapping[str, str | None]) -> list[ProducerStats]:
    """Return what each producer brought to the run: its counts, and how many of its fields agree with OSM.

    `own` are each producer's differences with OSM before routing (every field of its records
    counts for its agreement); `routed` the dataset's differences after routing.
    """
    places = {p.key: p for p in osm}
    linked = Counter(producer for group in groups if len(group.records) > 1 for producer, _ in group.records)
    routed_to = Counter(d.producers[0] for d in routed if d.producers)
    disagreeing = Counter(name for d in routed if d.kind == "producers_disagree" for name in set(d.producers))
    found = []
    for producer in producers:
        records = {f.source_id: f for f in features.get(producer.name, ())}
        compared = 0
        pairs = [(records[m.source_id], places[m.osm_key]) for m in matches.get(producer.name, ())
                 if m.status == "matched" and m.source_id in records and m.osm_key in places]
        for feature, place in pairs:
            if not feature.closed:
                compared += sum(1 for tag in compared_tags(feature)
                                if any(present(place.tags.get(key)) is not None for key in (tag, *osm_aliases(tag))))
        refs = {f.source_id: f.ref_tag for f in records.values()}
        differing = sum(1 for d in own.get(producer.name, ()) if d.kind == "differs" and d.source_id in records
                        and d.field != refs.get(d.source_id) and not records[d.source_id].closed)
        found.append(ProducerStats(
            producer=producer.name, records=len(records), matched=len(pairs), linked=linked[producer.name],
            fields_compared=compared, fields_agreed=max(0, compared - differing), routed=routed_to[producer.name],
            disagreements=disagreeing[producer.name], digest=digests.get(producer.name, ""),
            data_date=data_dates.get(producer.name)))
    return found


def last_changes(stats: Sequence[ProducerStats], started_at: str,
                 earlier: Mapping[str, Sequence[tuple[str, str]]]) -> list[ProducerStats]:
    """Return the stats with `last_change`: when osmbridge first read each producer's current data.

    `earlier` holds, per producer, its earlier runs' (started_at, digest), oldest first.
    """
    found = []
    for row in stats:
        since = started_at
        for when, digest in reversed(earlier.get(row.producer, ())):
            if digest != row.digest:
                break
            since = when
        found.append(replace(row, last_change=since))
    return found
