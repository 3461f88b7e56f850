"""The whole demo story: the town, both sides at the last sync and now, and the truth about it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Polygon

from osmbridge.demo import dynamic_cases, static_cases
from osmbridge.demo.builder import REF_TAG, SYNC_TIMESTAMP, Builder, Case
from osmbridge.demo.elements import COLUMN_OF_TAG, Snapshot
from osmbridge.demo.places import HOURS, PlaceFactory, make_places
from osmbridge.demo.producers import ProducersStory, add_defibrillators
from osmbridge.demo.town import Town, build_town
from osmbridge.errors import OsmbridgeError

DATASET = "demo-equipements"
MIN_SIZE = 60
MAX_SIZE = 3000
_FORMAT_TAGS = ("phone", "website", "opening_hours")
_FRENCH_HOURS = {hours.french for hours in HOURS}


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything the writers need: the town, both snapshots and truth.json's content."""

    town: Town
    previous: Snapshot
    current: Snapshot
    truth: dict[str, Any]
    producers: ProducersStory  # the second dataset: defibrillators kept by two producers


def build_scenario(seed: int, size: int) -> Scenario:
    """The demo town with `size` city records and every injected disagreement, from `seed`."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise OsmbridgeError(f"the demo town needs between {MIN_SIZE} and {MAX_SIZE} records; got --size {size}")
    rng = random.Random(seed)
    town = build_town(rng, size)
    factory = PlaceFactory(rng, town)
    b = Builder(rng, town, factory)
    for place in make_places(rng, factory, size):
        b.add_place(place)
    static_cases.inject_polygons(b, size)
    static_cases.inject_confusables(b, size)
    static_cases.inject_duplicates(b, size)
    static_cases.inject_moves(b, size)
    static_cases.inject_field_differences(b, size)
    static_cases.inject_lifecycle(b, size)
    static_cases.inject_missing(b, size)
    _add_scenery(b, size)
    _settle_neighbourhoods(town, b.previous)
    b.current = b.previous.copy()
    dynamic_cases.inject_city_changes(b, size)
    dynamic_cases.inject_osm_changes(b, size)
    dynamic_cases.inject_conflicts(b, size)
    _settle_neighbourhoods(town, b.current)
    _add_format_only(b)
    _add_missing_refs(b)
    # Last: the defibrillators use their own random generator and the builder's ids after every other.
    producers = add_defibrillators(b, seed)
    truth = _truth(b, seed, size) | {"producers": producers.truth}
    return Scenario(town, b.previous, b.current, truth, producers)


def _add_scenery(b: Builder, size: int) -> None:
    """Streets, benches, shops and other OSM features a good tool must leave out of the comparison."""
    rng, town = b.rng, b.town
    for street in town.streets:
        nodes = [b.previous.add(b.element("n", {}, position=point)) for point in street.line]
        b.add_unrelated([b.element("w", {"highway": street.highway, "name": street.name},
                                   node_ids=[node.osm_id for node in nodes])], "street")
    furniture = [({"amenity": "bench"}, size // 8), ({"amenity": "waste_basket"}, size // 15),
                 ({"highway": "street_lamp"}, size // 15)]
    for tags, count in furniture:
        for _ in range(count):
            position = b.jitter(town.random_address(rng).position, 6.0)
            b.add_unrelated([b.element("n", tags, position=position)], "street furniture")
    shops = [{"shop": "bakery", "name": "Boulangerie de la Lune"}, {"shop": "books", "name": "Librairie du Croissant"},
             {"shop": "hairdresser", "name": "Lun'Hair"}, {"shop": "supermarket", "name": "Marché des Marais"},
             {"shop": "florist", "name": "Fleurs de Grève"}, {"amenity": "cafe", "name": "Café de la Mairie"},
             {"amenity": "restaurant", "name": "La Crêperie du Port", "cuisine": "crepe"},
             {"amenity": "place_of_worship", "religion": "christian", "name": "Église Saint-Rémi"},
             {"highway": "bus_stop", "name": "Mairie"}, {"highway": "bus_stop", "name": "Le Port"},
             {"shop": "books", "name": "Bibliothèque du Bouquiniste"}]
    for tags in shops:
        address = town.random_address(rng)
        if "shop" in tags or "amenity" in tags:
            tags = {**tags, "addr:housenumber": str(address.number), "addr:street": address.street}
        looks_like = " (a shop whose name looks like a library)" if "Biblioth" in tags["name"] else ""
        b.add_unrelated([b.element("n", tags, position=address.position)], "not a mapped type" + looks_like)
    # A library just outside the dataset's area: in the extract, but not the town's business.
    west, south = -town.half_width_m - 2500.0, -town.half_height_m - 1500.0
    b.add_unrelated([b.element("n", {"amenity": "library", "name": "Bibliothèque de Saint-Vaast-des-Prés"},
                               position=(west, south))], "outside the dataset's area")
    for source_id, place in list(b.place_of.items()):
        if not place.category.mapped:  # the mapping skips toilets: OSM's copies are out of scope
            key = b.link.pop(source_id)
            b.unrelated.append({"osm_key": key, "note": "category the mapping skips (toilets)"})
            b.used.add(source_id)
            b.record(Case("skipped", source_id, key, expected="nothing",
                          note="the mapping skips this category on purpose"))


def _settle_neighbourhoods(town: Town, snapshot: Snapshot) -> None:
    """Name each record's neighbourhood from where the record finally stands (after cases moved it)."""
    for record in snapshot.city.values():
        where = Polygon(record.outline).centroid.coords[0] if record.outline else record.position
        where = (where[0], where[1])
        record.fields["quartier"] = town.neighbourhood_of(where).name


def _add_format_only(b: Builder) -> None:
    """Every linked field written differently on the two sides with the same meaning, in the current files."""
    assert b.current is not None
    real = {(case.source_id, case.field) for case in b.cases if case.field}
    for source_id, key in sorted(b.link.items()):
        if source_id not in b.current.city or key not in b.current.osm:
            continue
        record, element = b.current.city[source_id], b.current.osm[key]
        for tag in _FORMAT_TAGS:
            column = COLUMN_OF_TAG[tag]
            city_value, osm_value = record.fields.get(column), element.tags.get(tag)
            if not city_value or not osm_value or city_value == osm_value or (source_id, tag) in real:
                continue
            note = {"phone": "phone number formatting", "website": "URL scheme or trailing slash"}.get(tag, "")
            if tag == "opening_hours":
                note = "French free text" if city_value in _FRENCH_HOURS else "equivalent opening_hours syntax"
            b.record(Case("format_only", source_id, key, field=tag, city_field=column, city_value=city_value,
                          osm_value=osm_value, expected="nothing", note=note))


def _add_missing_refs(b: Builder) -> None:
    """Every linked OSM object without the ref tag: adding it is a fair proposal, never an error."""
    assert b.current is not None
    for source_id, key in sorted(b.link.items()):
        if source_id in b.current.city and key in b.current.osm and REF_TAG not in b.current.osm[key].tags:
            b.record(Case("missing_ref", source_id, key, field=REF_TAG, city_field="identifiant", city_value=source_id,
                          expected="only_city or nothing", note="OSM does not carry the city's id yet"))


def _links(b: Builder, snapshot: Snapshot) -> list[dict[str, Any]]:
    return [{"source_id": source_id, "osm_key": key, "ref": b.has_ref.get(source_id, False)}
            for source_id, key in sorted(b.link.items())
            if source_id in snapshot.city and key in snapshot.osm]


def _truth(b: Builder, seed: int, size: int) -> dict[str, Any]:
    assert b.current is not None
    order = ("polygon", "confusable", "duplicate", "moved", "renamed", "case_only", "phone_diff", "website_diff",
             "hours_diff", "closed", "missing_in_osm", "missing_in_city", "skipped", "city_changed", "osm_changed",
             "conflict", "format_only", "missing_ref")
    cases = sorted(b.cases, key=lambda case: (order.index(case.kind), case.source_id or "", case.osm_key or "",
                                              case.field or ""))
    counts = {kind: sum(1 for case in cases if case.kind == kind) for kind in order}
    return {
        "town": b.town.name,
        "fictional": True,
        "seed": seed,
        "size": size,
        "dataset": DATASET,
        "ref_tag": REF_TAG,
        "sync_timestamp": SYNC_TIMESTAMP,
        "bbox": list(b.town.bbox()),
        "files": {"city_previous": len(b.previous.city), "city_current": len(b.current.city),
                  "osm_previous": len(b.previous.osm), "osm_current": len(b.current.osm)},
        "case_counts": counts,
        "links_previous": _links(b, b.previous),
        "links_current": _links(b, b.current),
        "unrelated": sorted(b.unrelated, key=lambda item: item["osm_key"]),
        "cases": [case.to_json() for case in cases],
    }
