"""The city columns behind a record's OSM keys, from its dataset's mapping (read once per file version)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from osmbridge.mapping.apply import FieldFailure, mapped_fields
from osmbridge.mapping.load import load_mapping
from osmbridge.mapping.rules import TagMapping
from osmbridge.survey.model import CityColumns


def city_columns(mapping_path: Path, fields: Mapping[str, object]) -> CityColumns:
    """Return where the record with these raw `fields` keeps each mapped OSM key, and its closure column."""
    mapping = _mapping(Path(mapping_path), Path(mapping_path).stat().st_mtime_ns)
    try:
        _, columns, _ = mapped_fields(mapping, SimpleNamespace(fields=dict(fields)))
    except FieldFailure:
        columns = {}
    if mapping.name_field:
        columns = {"name": mapping.name_field, **columns}
    return CityColumns(tags=columns, closed=mapping.closed.field if mapping.closed else None)


@lru_cache(maxsize=32)
def _mapping(path: Path, mtime_ns: int) -> TagMapping:
    # The modification time is part of the key: an edited mapping is read again.
    return load_mapping(path)
