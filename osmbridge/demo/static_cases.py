"""Disagreements already there at the last sync: they appear identically in both snapshots."""

from __future__ import annotations

import dataclasses
import math

from osmbridge.demo.builder import REF_TAG, Builder, Case
from osmbridge.demo.elements import COLUMN_OF_TAG, OsmElement
from osmbridge.demo.formats import osm_hours, osm_phone
from osmbridge.demo.places import (CATEGORY_BY_LABEL, HOURS, MIN_SPACING_M, WEBSITE_HOST, closure_keys, slug,
                                   tag_category)
from osmbridge.demo.town import distance_m, offset


def scaled(size: int, base: int) -> int:
    """`base` cases for a 300-record town, in proportion for other sizes, at least one."""
    return max(1, round(base * size / 300))


def _is_node(b: Builder, source_id: str) -> bool:
    return b.link[source_id].startswith("n")


def _rectangle(centre: tuple[float, float], width_m: float, height_m: float, angle: float) -> list[tuple[float, float]]:
    """Corners of a rotated rectangle, counter-clockwise."""
    cos, sin = math.cos(angle), math.sin(angle)
    corners = [(-width_m / 2, -height_m / 2), (width_m / 2, -height_m / 2),
               (width_m / 2, height_m / 2), (-width_m / 2, height_m / 2)]
    return [(centre[0] + x * cos - y * sin, centre[1] + x * sin + y * cos) for x, y in corners]


def _closed_way(b: Builder, corners: list[tuple[float, float]], tags: dict[str, str]) -> OsmElement:
    """A closed way through new untagged nodes at `corners`."""
    nodes = [b.previous.add(b.element("n", {}, position=corner)) for corner in corners]
    ids = [node.osm_id for node in nodes]
    return b.previous.add(b.element("w", tags, node_ids=ids + ids[:1]))


def inject_polygons(b: Builder, size: int) -> None:
    """Places mapped as areas in OSM (closed ways, one multipolygon) and a couple of city polygons."""
    chosen = b.take(scaled(size, 6), lambda _, p: p.category.footprint)
    chosen_relation = b.take(1, lambda _, p: p.category.label == "Piscine") or \
        b.take(1, lambda _, p: p.category.footprint)
    for index, source_id in enumerate(chosen + chosen_relation):
        place, node = b.place_of[source_id], b.osm_of(b.previous, source_id)
        del b.previous.osm[node.key]
        corners = _rectangle(place.position, b.rng.uniform(34, 44), b.rng.uniform(22, 28), b.rng.uniform(0, math.pi))
        tags = dict(node.tags)
        if place.category.label in ("Gymnase", "Piscine"):
            tags["building"] = "yes"
        if source_id in chosen_relation:
            outer = _closed_way(b, corners, {})
            element = b.previous.add(b.element("r", {"type": "multipolygon", **tags},
                                               members=[("way", outer.osm_id, "outer")]))
            note = "multipolygon relation"
        else:
            element = _closed_way(b, corners, tags)
            note = "closed way"
        b.link[source_id] = element.key
        # The city's point falls inside the OSM area: distance 0 to its edge.
        b.previous.city[source_id].position = b.jitter(place.position, 2.0)
        city_polygon = index == 0
        if city_polygon:  # the city draws its own outline of the same site
            b.previous.city[source_id].outline = tuple(_rectangle(place.position, 40, 26, b.rng.uniform(0, math.pi)))
            note += "; city record is a polygon too"
        b.record(Case("polygon", source_id, element.key, expected="nothing", note=note))
    # One city polygon whose OSM counterpart is a plain node.
    for source_id in b.take(1, lambda s, p: p.category.footprint and _is_node(b, s)):
        place = b.place_of[source_id]
        b.previous.city[source_id].outline = tuple(_rectangle(place.position, 36, 24, b.rng.uniform(0, math.pi)))
        b.record(Case("polygon", source_id, b.link[source_id], expected="nothing",
                      note="city record is a polygon, OSM has a node inside it"))


def inject_confusables(b: Builder, size: int) -> None:
    """Different features a few metres from a place, and a kindergarten beside a school."""
    libraries = b.take(scaled(size, 2), lambda s, p: p.category.tags[0] == ("amenity", "library") and _is_node(b, s))
    for source_id in libraries:
        library = b.osm_of(b.previous, source_id)
        assert library.position is not None  # a node
        tags = {"amenity": "public_bookcase", "name": f"Boîte à livres {library.tags['name']}"}
        position = offset(library.position, b.rng.uniform(4, 8), b.rng.uniform(0, math.tau))
        bookcase = b.previous.add(b.element("n", tags, position=position))
        b.record(Case("confusable", source_id, b.link[source_id], osm_keys=[bookcase.key], expected="nothing",
                      note="public_bookcase a few metres from the library, with a similar name"))
    for source_id in b.take(1, lambda s, p: p.category.label == "Bureau de poste" and _is_node(b, s)):
        office = b.osm_of(b.previous, source_id)
        assert office.position is not None  # a node
        position = offset(office.position, b.rng.uniform(5, 9), b.rng.uniform(0, math.tau))
        box = b.previous.add(b.element("n", {"amenity": "post_box", "operator": "La Poste", "ref": "44999_0001"},
                                       position=position))
        b.record(Case("confusable", source_id, b.link[source_id], osm_keys=[box.key], expected="nothing",
                      note="post_box just outside the post office"))
    _inject_school_group(b)


def _inject_school_group(b: Builder) -> None:
    """Move a kindergarten next to an elementary school: same street, 40-50 m apart, both on both sides."""
    schools = b.take(1, lambda s, p: p.category.label == "École élémentaire" and _is_node(b, s))
    kindergartens = b.take(1, lambda s, p: p.category.label == "École maternelle" and _is_node(b, s))
    if not schools or not kindergartens:
        return
    school_id, kindergarten_id = schools[0], kindergartens[0]
    school, kindergarten = b.place_of[school_id], b.place_of[kindergarten_id]
    others = [p.position for s, p in b.place_of.items() if s not in (school_id, kindergarten_id)]
    for attempt in range(24):
        spot = offset(school.position, 45.0, attempt * math.tau / 24)
        if all(distance_m(spot, other) >= MIN_SPACING_M for other in others):
            break
    else:
        return
    b.factory.reserve(spot)
    address = type(school.address)(school.address.street, school.address.number + 2, spot)
    b.place_of[kindergarten_id] = dataclasses.replace(kindergarten, address=address, position=spot)
    record = b.previous.city[kindergarten_id]
    record.position = b.jitter(spot, 3.0)
    record.fields.update(numero=address.number, voie=address.street)
    element = b.osm_of(b.previous, kindergarten_id)
    element.position = b.jitter(spot, 3.0)
    element.tags.update({"addr:housenumber": str(address.number), "addr:street": address.street})
    b.record(Case("confusable", kindergarten_id, element.key, osm_keys=[b.link[school_id]], expected="nothing",
                  note=f"groupe scolaire: this kindergarten is 45 m from school {school_id}; each must match its own"))


# What a hasty mapper puts on a duplicate node: the type and the name, no contact details.
_TWIN_KEYS = ("name", "amenity", "leisure", "school:FR", "healthcare", "sport", "townhall:type", "police:FR")


def inject_duplicates(b: Builder, size: int) -> None:
    """A second OSM node for the same place, a few metres away, older and with fewer tags."""
    for source_id in b.take(scaled(size, 2), lambda s, p: p.name is not None and _is_node(b, s)):
        original = b.osm_of(b.previous, source_id)
        assert original.position is not None  # a node
        tags = {key: value for key, value in original.tags.items() if key in _TWIN_KEYS}
        twin = b.previous.add(b.element("n", tags, position=offset(original.position, b.rng.uniform(6, 12),
                                                                   b.rng.uniform(0, math.tau))))
        b.record(Case("duplicate", source_id, original.key, osm_keys=[original.key, twin.key], expected="duplicate",
                      note="two OSM nodes for one place"))


def inject_moves(b: Builder, size: int) -> None:
    """OSM nodes 12-38 m from the city's point, and one 350-450 m away that only its ref can match."""
    for source_id in b.take(scaled(size, 6), lambda s, p: _is_node(b, s)):
        distance = round(b.rng.uniform(12, 38), 1)
        _move(b, source_id, distance, b.rng.uniform(0, math.tau))
        b.record(Case("moved", source_id, b.link[source_id], distance_m=distance, expected="position or nothing",
                      note="within the match distance; whether it is reported depends on the position threshold"))
    for source_id in b.take(1, lambda s, p: _is_node(b, s) and p.name is not None):
        distance = round(b.rng.uniform(350, 450), 1)
        position = b.previous.city[source_id].position
        towards_centre = math.atan2(-position[1], -position[0]) + b.rng.uniform(-0.4, 0.4)
        _move(b, source_id, distance, towards_centre)
        b.osm_of(b.previous, source_id).tags[REF_TAG] = source_id  # only the ref can link them
        b.has_ref[source_id] = True
        b.record(Case("moved", source_id, b.link[source_id], distance_m=distance, expected="position",
                      note="far: OSM node misplaced, linked by its ref tag"))


def _move(b: Builder, source_id: str, distance: float, bearing: float) -> None:
    element = b.osm_of(b.previous, source_id)
    element.position = offset(b.previous.city[source_id].position, distance, bearing)


def inject_field_differences(b: Builder, size: int) -> None:
    """Renames, case-only names, and real phone, website and hours differences."""
    city, osm = b.previous.city, b.previous.osm
    for index, source_id in enumerate(b.take(scaled(size, 4), lambda _, p: p.name is not None)):
        place = b.place_of[source_id]
        new_name = b.factory.names.name(place.category.prefix or "")
        side = "city" if index % 2 == 0 else "osm"
        if side == "city":
            city[source_id].fields["nom"] = new_name
        else:
            osm[b.link[source_id]].tags["name"] = new_name
        _field_case(b, "renamed", source_id, "name", side=side, expected="differs",
                    note=f"renamed; the {side} has the new name")
    for index, source_id in enumerate(b.take(scaled(size, 3), lambda _, p: p.name is not None)):
        name = city[source_id].fields["nom"]
        city[source_id].fields["nom"] = name.upper() if index % 2 == 0 else name.lower()
        _field_case(b, "case_only", source_id, "name", expected="minor or nothing", note="name differs only in case")

    for source_id in b.take(scaled(size, 4), lambda _, p: p.phone is not None):
        osm[b.link[source_id]].tags["phone"] = osm_phone(b.rng, b.factory.phones.number())
        _field_case(b, "phone_diff", source_id, "phone", expected="differs", note="OSM has an old number")
    for source_id in b.take(1, lambda _, p: p.phone is not None):
        del osm[b.link[source_id]].tags["phone"]
        _field_case(b, "phone_diff", source_id, "phone", expected="only_city", note="OSM has no phone")
    for source_id in b.take(1, lambda _, p: p.phone is not None):
        city[source_id].fields["telephone"] = None
        _field_case(b, "phone_diff", source_id, "phone", expected="only_osm", note="the city has no phone")

    for source_id in b.take(scaled(size, 3), lambda _, p: p.website is not None):
        page = slug(b.place_of[source_id].name or "")
        osm[b.link[source_id]].tags["website"] = f"https://{WEBSITE_HOST}/anciennes-pages/{page}.html"
        _field_case(b, "website_diff", source_id, "website", expected="differs", note="OSM has the old page")
    for source_id in b.take(1, lambda _, p: p.website is not None):
        city[source_id].fields["site_web"] = ""
        _field_case(b, "website_diff", source_id, "website", expected="only_osm",
                    note="the city's website column is an empty string")

    for source_id in b.take(scaled(size, 4), lambda _, p: p.hours is not None):
        other = b.rng.choice([hours for hours in HOURS if hours != b.place_of[source_id].hours])
        osm[b.link[source_id]].tags["opening_hours"] = osm_hours(b.rng, other)
        _field_case(b, "hours_diff", source_id, "opening_hours", expected="differs", note="different schedule")
    for source_id in b.take(1, lambda _, p: p.hours is not None):
        del osm[b.link[source_id]].tags["opening_hours"]
        _field_case(b, "hours_diff", source_id, "opening_hours", expected="only_city", note="OSM has no hours")


def _field_case(b: Builder, kind: str, source_id: str, tag: str, **details) -> None:
    column = COLUMN_OF_TAG[tag]
    b.record(Case(kind, source_id, b.link[source_id], field=tag, city_field=column,
                  city_value=b.previous.city[source_id].fields[column],
                  osm_value=b.osm_of(b.previous, source_id).tags.get(tag), **details))


def inject_lifecycle(b: Builder, size: int) -> None:
    """Places the city marks closed: still active in OSM, absent from OSM, or already disused there."""
    city = b.previous.city
    for source_id in b.take(scaled(size, 3), lambda _, p: True):
        city[source_id].fields["statut"] = "Fermé"
        b.record(Case("closed", source_id, b.link[source_id], expected="lifecycle",
                      lifecycle_keys=closure_keys(b.place_of[source_id].category),
                      note="the city says closed, OSM still has it"))
    for source_id in b.take(1, lambda _, p: True):
        city[source_id].fields["statut"] = "Fermé"
        key = b.link.pop(source_id)
        _remove(b, key)
        b.record(Case("closed", source_id, None, expected="nothing",
                      note="closed and already gone from OSM: not missing"))
    for source_id in b.take(1, lambda s, p: p.category.tags[0][0] == "amenity" and _is_node(b, s)):
        city[source_id].fields["statut"] = "Fermé"
        # No longer an active feature of the mapped types: not a counterpart to match any more.
        element = b.previous.osm[b.link.pop(source_id)]
        element.tags["disused:amenity"] = element.tags.pop("amenity")
        element.tags.pop(REF_TAG, None)
        element.tags = dict(sorted(element.tags.items()))
        b.record(Case("closed", source_id, element.key, expected="nothing",
                      note="closed, and OSM already tags it disused:amenity (not linked)"))


def _remove(b: Builder, key: str) -> None:
    """Delete an element and, for a way, its nodes."""
    element = b.previous.osm.pop(key)
    for node_id in element.node_ids:
        b.previous.osm.pop(f"n{node_id}", None)


def inject_missing(b: Builder, size: int) -> None:
    """City records OSM lacks, and OSM places of the mapped types the city lacks."""
    for source_id in b.take(scaled(size, 8), lambda s, p: _is_node(b, s)):
        key = b.link.pop(source_id)
        _remove(b, key)
        b.record(Case("missing_in_osm", source_id, None, expected="missing_in_osm", note="not mapped in OSM yet"))
    labels = ("Pharmacie", "Bibliothèque", "École maternelle", "Maison de quartier", "Point d'apport volontaire")
    for index in range(scaled(size, 5)):
        category = CATEGORY_BY_LABEL[labels[index % len(labels)]]
        name = None
        if category.label == "École maternelle":
            name = b.factory.names.name("École maternelle privée")  # private schools are not in the city's list
        _, element = b.add_place(b.factory.place(category, name), city=False)
        assert element is not None  # added to OSM
        b.record(Case("missing_in_city", None, element.key, expected="missing_in_city", category=tag_category(category),
                      note="in OSM only" + (" (private school)" if name else "")))

