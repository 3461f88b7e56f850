"""Edits made since the last sync: the city's new release, mappers' edits, and both at once.

These are applied to `builder.current` (a copy of the previous state), so a three-way diff can
tell which side changed: the previous files are the base, the current files are now.
"""

from __future__ import annotations

from osmbridge.demo.builder import CITY_UPDATED_AFTER_SYNC, Builder, Case
from osmbridge.demo.elements import COLUMN_OF_TAG, Snapshot
from osmbridge.demo.formats import city_hours, city_phone, city_website, osm_hours, osm_phone, osm_website
from osmbridge.demo.places import (CATEGORY_BY_LABEL, HOURS, WEBSITE_HOST, Hours, Place, closure_keys, slug,
                                   tag_category)
from osmbridge.demo.static_cases import scaled

_FIELDS = ("phone", "opening_hours", "website", "name")


def _current(b: Builder) -> Snapshot:
    assert b.current is not None, "copy the previous state first"
    return b.current


def _new_value(b: Builder, place: Place, tag: str, side: str, taken: list[Hours]) -> str:
    """A value that differs in meaning from the place's (and from `taken` schedules), in `side`'s habits."""
    rng = b.rng
    if tag == "phone":
        return (city_phone if side == "city" else osm_phone)(rng, b.factory.phones.number())
    if tag == "opening_hours":
        other = rng.choice([hours for hours in HOURS if hours != place.hours and hours not in taken])
        taken.append(other)  # a conflict's two sides must not pick the same new schedule
        return (city_hours if side == "city" else osm_hours)(rng, other)
    if tag == "website":
        section = "vivre" if side == "city" else "sport-culture"
        page = slug(place.name or "")
        return (city_website if side == "city" else osm_website)(rng, f"https://{WEBSITE_HOST}/{section}/{page}")
    return b.factory.names.name(place.category.prefix or "")


def _has_both(b: Builder, source_id: str, tag: str) -> bool:
    now = _current(b)
    return bool(now.city[source_id].fields[COLUMN_OF_TAG[tag]]) and tag in b.osm_of(now, source_id).tags


def _change(b: Builder, kind: str, tags: list[str], sides: tuple[str, ...], expected: str, note: str) -> None:
    now = _current(b)
    for tag in tags:
        chosen = b.take(1, lambda s, p, tag=tag: _has_both(b, s, tag))  # type: ignore[misc]
        if not chosen:
            continue
        source_id = chosen[0]
        place, column = b.place_of[source_id], COLUMN_OF_TAG[tag]
        record, element = now.city[source_id], b.osm_of(now, source_id)
        base_city, base_osm = record.fields[column], element.tags[tag]
        taken: list[Hours] = []
        if "city" in sides:
            record.fields[column] = _new_value(b, place, tag, "city", taken)
            record.fields["date_maj"] = CITY_UPDATED_AFTER_SYNC
        if "osm" in sides:
            element.tags[tag] = _new_value(b, place, tag, "osm", taken)
            b.touch(element)
        b.record(Case(kind, source_id, element.key, field=tag, city_field=column, city_value=record.fields[column],
                      osm_value=element.tags[tag], base_city_value=base_city, base_osm_value=base_osm,
                      side="both" if len(sides) == 2 else sides[0], expected=expected, note=note))


def inject_city_changes(b: Builder, size: int) -> None:
    """The city's new release: edited fields, a new record, a removed one, a closure."""
    now = _current(b)
    count = scaled(size, 6)
    _change(b, "city_changed", [_FIELDS[i % len(_FIELDS)] for i in range(count)], ("city",),
            "differs (changed_side city, proposal to_osm)", "the city updated this field since the last sync")
    place = b.factory.place(CATEGORY_BY_LABEL["Maison de quartier"])
    source_id = b.new_source_id()
    record = b.city_record(source_id, place)
    record.fields["date_maj"] = CITY_UPDATED_AFTER_SYNC
    now.city[source_id] = record
    b.place_of[source_id] = place
    b.used.add(source_id)
    b.record(Case("city_changed", source_id, None, side="city", expected="missing_in_osm",
                  note="created: a new record in the city's current release"))
    for source_id in b.take(1, lambda s, p: True):
        del now.city[source_id]
        b.record(Case("city_changed", source_id, b.link[source_id], side="city", expected="missing_in_city",
                      category=tag_category(b.place_of[source_id].category),
                      note="deleted: the record is gone from the city's current release"))
    for source_id in b.take(1, lambda s, p: True):
        now.city[source_id].fields.update(statut="Fermé", date_maj=CITY_UPDATED_AFTER_SYNC)
        b.record(Case("city_changed", source_id, b.link[source_id], field=None, city_field="statut",
                      city_value="Fermé", base_city_value="Ouvert", side="city", expected="lifecycle",
                      lifecycle_keys=closure_keys(b.place_of[source_id].category), note="closed since the last sync"))


def inject_osm_changes(b: Builder, size: int) -> None:
    """Mappers' edits since the sync: edited tags, a new place, a deleted one, an unrelated tag edit."""
    now = _current(b)
    count = scaled(size, 6)
    _change(b, "osm_changed", [_FIELDS[(i + 1) % len(_FIELDS)] for i in range(count)], ("osm",),
            "differs (changed_side osm, proposal to_city)", "a mapper edited this tag since the last sync")
    place = b.factory.place(CATEGORY_BY_LABEL["Pharmacie"])
    element = now.add(b.element("n", b.osm_tags(place, None, with_ref=False), after_sync=True,
                                position=b.jitter(place.position, 3.0)))
    b.record(Case("osm_changed", None, element.key, side="osm", expected="missing_in_city",
                  category=tag_category(place.category), note="created: a mapper added a place the city does not list"))
    for source_id in b.take(1, lambda s, p: b.link[s].startswith("n")):
        key = b.link[source_id]
        del now.osm[key]
        b.record(Case("osm_changed", source_id, key, side="osm", expected="missing_in_osm",
                      note="deleted: a mapper removed the node since the last sync"))
    for source_id in b.take(1, lambda s, p: p.category.prefix is not None):
        element = b.osm_of(now, source_id)
        base = element.tags.get("wheelchair")
        element.tags["wheelchair"] = "limited" if base == "yes" else "yes"
        b.touch(element)
        b.record(Case("osm_changed", source_id, element.key, field="wheelchair", osm_value=element.tags["wheelchair"],
                      base_osm_value=base, side="osm", expected="nothing",
                      note="a new version that only touches an OSM-only tag"))


def inject_conflicts(b: Builder, size: int) -> None:
    """The same field changed on both sides, to different values."""
    count = scaled(size, 3)
    _change(b, "conflict", [("phone", "opening_hours", "name")[i % 3] for i in range(count)], ("city", "osm"),
            "differs (changed_side both, proposal conflict)", "both sides changed this field since the last sync")
