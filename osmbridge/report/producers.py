"""Datasets with several producers: who they are and how fresh their data is, and who says what per place.

`freshness_rows` is shared by report.html and the web application's producers page; `who_says_what`
lays each place's values side by side (every producer, then OSM), and `write_producers_csv` writes
them all to producers.csv.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osmbridge.diff.build import present
from osmbridge.diff.comparators import osm_aliases
from osmbridge.diff.producers import agree, compared_tags, field_holder
from osmbridge.model import (CityFeature, DatasetResult, OsmPlace, PlaceGroup, Producer, ProducerStats,
                             record_id_of)
from osmbridge.report.atomic import write_csv_atomic
from osmbridge.report.links import city_url, osm_url

# Places report.html lists in "who says what" (disagreements first); producers.csv has them all.
PAGE_PLACES = 300


def freshness_rows(producers: Sequence[Producer], stats: Sequence[ProducerStats]) -> list[dict[str, Any]]:
    """Return one display row per producer (most trusted first): who it is, its counts, its freshness.

    `share_agreed` is a whole percentage (None when none of its fields could be compared with OSM);
    `data_date` the data's own date, `last_change` when osmbridge first read its current data.
    """
    by_name = {row.producer: row for row in stats}
    rows = []
    for producer in producers:
        row = by_name.get(producer.name)
        share = row.share_agreed if row is not None else None
        rows.append({
            "name": producer.name, "title": producer.title, "owner": producer.owner, "contact": producer.contact,
            "contact_url": _contact_url(producer.contact), "licence": producer.licence, "trust": producer.trust,
            "holds": sorted(producer.holds),
            "records": row.records if row else 0, "matched": row.matched if row else 0,
            "linked": row.linked if row else 0, "fields_compared": row.fields_compared if row else 0,
            "fields_agreed": row.fields_agreed if row else 0,
            "share_agreed": None if share is None else round(100 * share),
            "routed": row.routed if row else 0, "disagreements": row.disagreements if row else 0,
            "data_date": (row.data_date or "")[:10] if row else "",
            "last_change": (row.last_change or "")[:10] if row else "",
        })
    return rows


def _contact_url(contact: str) -> str | None:
    if "@" in contact and "://" not in contact:
        return f"mailto:{contact}"
    return contact if contact.startswith(("http://", "https://")) else None


@dataclass(frozen=True, slots=True)
class FieldView:
    """One field of one place: what each producer says (None: nothing), what OSM says, who holds it."""

    field: str
    values: tuple[str | None, ...]  # in the order of DatasetResult.producers
    osm: str | None
    holder: str  # the producer speaking for it
    differing: tuple[bool, ...]  # per producer: contradicts the holder
    osm_differs: bool  # OSM contradicts the holder


@dataclass(frozen=True, slots=True)
class PlaceView:
    """One place as every producer and OSM see it."""

    name: str
    category: str
    records: tuple[str | None, ...]  # the source id of each producer's record (None: not listed by it)
    record_urls: tuple[str | None, ...]
    osm_key: str | None
    fields: tuple[FieldView, ...]

    @property
    def disagreement(self) -> bool:
        """Whether producers contradict each other here."""
        return any(any(field.differing) for field in self.fields)

    @property
    def differs_from_osm(self) -> bool:
        return any(field.osm_differs for field in self.fields)


def who_says_what(result: DatasetResult) -> list[PlaceView]:
    """Return the places at least two producers list, each field's values side by side with OSM's.

    Places where producers disagree come first, then those where OSM differs, then the others.
    """
    features = {f.source_id: f for f in result.city}
    places = {p.key: p for p in result.osm}
    by_name = {producer.name: producer for producer in result.producers}
    views = [_place(group, features, places, result.producers, by_name)
             for group in result.groups if len(group.records) > 1
             and all(source_id in features for source_id in group.source_ids)]
    return sorted(views, key=lambda v: (not v.disagreement, not v.differs_from_osm, v.category, v.name))


def _place(group: PlaceGroup, features: Mapping[str, CityFeature], places: Mapping[str, OsmPlace],
           producers: Sequence[Producer], by_name: Mapping[str, Producer]) -> PlaceView:
    members = [features[source_id] for source_id in group.source_ids]
    of_producer = {feature.producer: feature for feature in members}
    place = places.get(group.osm_key or "")
    region = None
    fields = []
    # The tags every record's category sets (emergency=defibrillator) say nothing new unless they differ.
    category = set.intersection(*(set(f.category_tags) for f in members))
    for tag in sorted(set().union(*(compared_tags(f) for f in members))):
        holder = field_holder(tag, members, by_name)
        reference = present(holder.tags.get(tag))
        values = tuple(present(of_producer[p.name].tags.get(tag)) if p.name in of_producer else None
                       for p in producers)
        osm = _osm_value(place, tag)
        if tag in category and len({value for value in values if value is not None} | ({osm} if osm else set())) == 1:
            continue
        fields.append(FieldView(
            field=tag, values=values, osm=osm, holder=holder.producer,
            differing=tuple(reference is not None and value is not None and not agree(tag, reference, value, region)
                            for value in values),
            osm_differs=reference is not None and osm is not None and not agree(tag, reference, osm, region)))
    first = members[0]
    return PlaceView(
        name=first.name or (place.tags.get("name", "") if place else "") or first.source_id,
        category=first.category,
        records=tuple(of_producer[p.name].source_id if p.name in of_producer else None for p in producers),
        record_urls=tuple(city_url(p.city_url_template, record_id_of(of_producer[p.name].source_id, p.name))
                          if p.name in of_producer else None for p in producers),
        osm_key=group.osm_key, fields=tuple(fields))


def _osm_value(place: OsmPlace | None, tag: str) -> str | None:
    if place is None:
        return None
    return next((value for key in (tag, *osm_aliases(tag)) if (value := present(place.tags.get(key))) is not None),
                None)


def write_producers_csv(result: DatasetResult, path: Path) -> Path:
    """Write producers.csv: one row per field of every place several producers list (`;`, UTF-8 with BOM)."""
    names = [producer.name for producer in result.producers]
    header = ["place", "category", *[f"{name}_id" for name in names], "osm_id", "osm_url", "field",
              *names, "osm", "holder", "producers_disagree", "osm_differs"]
    rows = []
    for view in who_says_what(result):
        for field in view.fields:
            rows.append([view.name, view.category, *[record or "" for record in view.records], view.osm_key or "",
                         osm_url(view.osm_key) or "", field.field, *[value or "" for value in field.values],
                         field.osm or "", field.holder, "yes" if any(field.differing) else "",
                         "yes" if field.osm_differs else ""])
    return write_csv_atomic(path, header, rows, excel=True)
