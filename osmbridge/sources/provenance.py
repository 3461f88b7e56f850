"""How reports name a city source: its file name (never a local folder) or URL, and the data's date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from osmbridge.model import DataSource, SourceSpec
from osmbridge.redact import redact
from osmbridge.sources.download import is_url


def city_data_source(spec: SourceSpec, read_at: str) -> DataSource:
    """Return the source's name and date: a file's modification time, or `read_at` for data read live."""
    if spec.kind == "opendatasoft":
        return DataSource(redact(f"{spec.location.rstrip('/')} ({spec.dataset_id})"), read_at)
    if is_url(spec.location):
        # A token written in the URL is a secret: reports never show it.
        return DataSource(redact(spec.location.strip()), read_at)
    path = Path(spec.location)
    try:
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    except OSError:
        modified = None
    return DataSource(path.name, modified)


def city_data_sources(specs: Sequence[SourceSpec], read_at: str) -> DataSource:
    """Return the sources of several producers as one: every name, dated by the oldest of them."""
    sources = [city_data_source(spec, read_at) for spec in specs]
    dates = [source.date for source in sources if source.date]
    return DataSource(", ".join(dict.fromkeys(source.name for source in sources)), min(dates) if dates else None)
