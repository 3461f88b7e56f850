"""Reading one city dataset into CityPlace records: dispatch on the source kind, then check each record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from osmbridge.errors import BadRecord, SourceError
from osmbridge.model import CityPlace, SkippedRecord, SourceSpec
from osmbridge.sources.area import Bbox
from osmbridge.sources.columns import resolve_column
from osmbridge.sources.csv_reader import read_csv
from osmbridge.sources.json_reader import read_json
from osmbridge.sources.locate import build_locator
from osmbridge.sources.opendatasoft import read_opendatasoft
from osmbridge.sources.records import RawRecord, RawSource

_READERS = {"csv": read_csv, "geojson": read_json, "json": read_json, "opendatasoft": read_opendatasoft}


def read_city_places(spec: SourceSpec, *, dataset: str, id_field: str, licence: str,
                     skip_invalid: bool = False, bbox: Bbox | None = None
                     ) -> tuple[list[CityPlace], list[SkippedRecord]]:
    """Read every record of one city dataset as CityPlace (WGS84), dispatching on spec.kind.

    With `skip_invalid` False the first bad record raises BadRecord; with True, bad records come back
    as SkippedRecord and reading goes on. A source that cannot be read at all raises SourceError.
    """
    source = read_source(spec)
    places, skipped = place_records(source, source.records, spec, dataset=dataset, id_field=id_field,
                                    licence=licence, skip_invalid=skip_invalid, bbox=bbox)
    refuse_unusable(source.name, places, skipped)
    return places, skipped


def read_source(spec: SourceSpec) -> RawSource:
    """Return the records of a city source as its reader found them, none checked yet."""
    reader = _READERS.get(spec.kind)
    if reader is None:
        raise SourceError(f"{spec.location}: unknown source kind {spec.kind!r}; use one of {sorted(_READERS)}.")
    source = reader(spec)
    if not source.records:
        # An empty export would read as "every place has gone": refuse it rather than report that.
        raise SourceError(f"{source.name}: holds no records. Check the export (or the `where` filter).")
    return source


def place_records(source: RawSource, records: Sequence[RawRecord], spec: SourceSpec, *, dataset: str,
                  id_field: str, licence: str, skip_invalid: bool = False, bbox: Bbox | None = None
                  ) -> tuple[list[CityPlace], list[SkippedRecord]]:
    """Check the id and position of `records` (of `source`, those the caller keeps); return them as CityPlace.

    Only these records are checked: a record the caller leaves out (outside a mapping's filter) is
    never judged. Columns and coordinate orders are still learnt from the whole source. `bbox` is the
    dataset's area (south, west, north, east) when known.
    """
    id_column = _id_column(source, id_field)
    locator = build_locator(spec, source, bbox)
    places: list[CityPlace] = []
    skipped: list[SkippedRecord] = []
    first_seen: dict[str, str] = {}  # source id -> origin of the record that has it
    for record in records:
        try:
            source_id = _source_id(record, id_column)
            if source_id in first_seen:
                raise BadRecord(record.origin, id_column, f"duplicate id {source_id!r}, already used by the "
                                                          f"record at {first_seen[source_id]}")
            geometry = locator.locate(record)
        except BadRecord as bad:
            if not skip_invalid:
                raise
            skipped.append(SkippedRecord(bad.origin, bad.field, bad.problem))
            continue
        first_seen[source_id] = record.origin
        places.append(CityPlace(dataset, source_id, geometry, record.fields, licence, record.origin))
    return places, skipped


def refuse_unusable(name: str, places: Sequence[CityPlace], skipped: Sequence[SkippedRecord]) -> None:
    """SourceError when records were read but none is usable: a wrong spec (crs, fields), not bad data."""
    if places or not skipped:
        return
    first = skipped[0]
    where = f"{first.origin}: field {first.field!r}" if first.field else first.origin
    raise SourceError(f"{name}: none of the {len(skipped)} records could be used; the first: {where}: "
                      f"{first.problem}. Check the source spec (id_field, coordinate fields, crs).")


def _id_column(source: RawSource, id_field: str) -> str:
    """The column holding the id; a SourceError when no record has it (a config mistake, not bad data)."""
    column = resolve_column(id_field, source.columns)
    if column is None:
        shown = ", ".join(repr(column) for column in source.columns[:40])
        raise SourceError(f"{source.name}: the id field {id_field!r} is not among the fields ({shown}). "
                          "Set id_field of the dataset in config.toml to the column that identifies a record.")
    return column


def _source_id(record: RawRecord, id_column: str) -> str:
    """The record's id as text; BadRecord when the record is malformed or has no id."""
    if record.problem:
        raise BadRecord(record.origin, None, record.problem)
    value: Any = record.fields.get(id_column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 11.0 from a spreadsheet or JSON is the id 11
    if isinstance(value, dict | list):
        raise BadRecord(record.origin, id_column, f"the id is a JSON {type(value).__name__}, not a single value")
    text = "" if value is None else str(value).strip()
    if not text:
        raise BadRecord(record.origin, id_column, "missing id (the field is empty or absent)")
    return text
