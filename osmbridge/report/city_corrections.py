"""city_corrections.csv: what OSM suggests the city fix, in the city dataset's own columns.

One row per city record: its id column, then for each corrected column the proposed value (named
exactly like the city's column, so it can be pasted back) and the current value (`<column>__old`).
Places OSM has and the city lacks go to city_additions.csv, with their OSM tags.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from osmbridge.model import CityFeature, DatasetResult, Difference, record_id_of
from osmbridge.report.atomic import write_csv_atomic
from osmbridge.report.links import osm_url
from osmbridge.report.rows import has_position, record_url
from osmbridge.review.directions import proposed_value

OLD_SUFFIX = "__old"


def id_column(features: list[CityFeature]) -> str:
    """Return the name of the city column holding the record id (the first whose value is the id)."""
    for feature in features:
        own_id = record_id_of(feature.source_id, feature.producer)
        for column, value in feature.place.fields.items():
            if value is not None and str(value).strip() == own_id:
                return column
    return "source_id"


def _city_proposals(result: DatasetResult) -> dict[str, list[Difference]]:
    by_record: dict[str, list[Difference]] = defaultdict(list)
    for diff in result.differences:
        if diff.proposal == "to_city" and diff.source_id and diff.city_field:
            by_record[diff.source_id].append(diff)
    return by_record


def write_city_corrections(result: DatasetResult, path: Path) -> Path:
    """Write the `to_city` proposals as a `;` CSV with BOM, one row per city record; return path."""
    by_record = _city_proposals(result)
    features = {f.source_id: f for f in result.city}
    id_col = id_column([features[s] for s in sorted(by_record) if s in features])
    columns = sorted({d.city_field for diffs in by_record.values() for d in diffs if d.city_field})
    # Several producers: each row says whose data it corrects, and the record's id column and id there.
    owners = {producer.name: producer.owner for producer in result.producers}
    id_fields = {name: id_column([f for f in result.city if f.producer == name]) for name in owners}
    header = [*(["producer", "owner", "id_field", "id"] if owners else [id_col]),
              *[name for column in columns for name in (column, column + OLD_SUFFIX)],
              "osm_id", "osm_url", "city_url", "difference_ids"]
    rows = []
    for source_id in sorted(by_record):
        diffs = sorted(by_record[source_id], key=lambda d: d.id)
        feature = features.get(source_id)
        new: dict[str, str] = {}
        old: dict[str, str] = {}
        for diff in diffs:
            if diff.city_field is None:
                continue  # selected with a city field; kept for the type checker
            # OSM's value, or, where producers disagree, the value of the producer holding the field.
            new[diff.city_field] = proposed_value(diff, "to_city") or ""
            current = feature.place.fields.get(diff.city_field) if feature else None
            old[diff.city_field] = "" if current is None else str(current)
        osm_key = next((d.osm_key for d in diffs if d.osm_key), None)
        producer = feature.producer if feature else ""
        row: list[object] = [producer, owners.get(producer, ""), id_fields.get(producer, "")] if owners else []
        row.append(record_id_of(source_id, producer))
        for column in columns:
            row += [new.get(column, ""), old.get(column, "")] if column in new else ["", ""]
        row += [osm_key or "", osm_url(osm_key) or "", record_url(result, source_id) or "",
                " ".join(d.id for d in diffs)]
        rows.append(row)
    return write_csv_atomic(path, header, rows, excel=True)


ADDITION_COLUMNS = ("osm_id", "name", "category", "lat", "lon", "tags", "osm_url", "difference_id")


def write_city_additions(result: DatasetResult, path: Path) -> Path:
    """Write the places OSM has and the city lacks, proposed to the city, as a `;` CSV with BOM; return path."""
    osm = {place.key: place for place in result.osm}
    rows = []
    for diff in sorted(result.differences, key=lambda d: (d.osm_key or "", d.id)):
        if diff.kind != "missing_in_city" or diff.proposal != "to_city":
            continue
        place = osm.get(diff.osm_key or "")
        tags = " | ".join(f"{k}={v}" for k, v in sorted(place.tags.items())) if place else ""
        placed = has_position(diff)
        # Numbers, not text: a west longitude written as text "-1.5" would be escaped as a formula.
        rows.append((diff.osm_key or "", diff.name or "", diff.category,
                     round(diff.lat, 7) if placed else "", round(diff.lon, 7) if placed else "",
                     tags, osm_url(diff.osm_key) or "", diff.id))
    return write_csv_atomic(path, ADDITION_COLUMNS, rows, excel=True)
