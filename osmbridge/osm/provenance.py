"""How reports name the OSM data: the extract's file name and timestamp, or the Overpass server read live."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import osmium

from osmbridge.model import DataSource, OsmPlace
from osmbridge.redact import redact


def extract_timestamp(path: Path) -> str | None:
    """Return the date an extract's header gives (replication timestamp), or None."""
    try:
        header = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header()
    except (RuntimeError, ValueError, OSError):
        return None  # not an osmium format (Overpass JSON) or unreadable: the caller falls back
    for key in ("osmosis_replication_timestamp", "timestamp"):
        value = header.get(key)
        if value:
            return value
    return None


def osm_data_source(backend: str, location: Path | str | None, places: Sequence[OsmPlace],
                    read_at: str) -> DataSource:
    """Return the OSM side's name and date.

    An extract is dated by its header, else by its newest object (a lower bound); Overpass answers with
    live data, dated when it was read.
    """
    if backend == "extract" and location is not None:
        path = Path(location)
        stamps = [p.timestamp for p in places if p.timestamp]
        return DataSource(path.name, extract_timestamp(path) or (max(stamps) if stamps else None))
    # A token written in the server URL is a secret: reports never show it.
    return DataSource(redact(f"Overpass {location}") if location else "Overpass", read_at)
