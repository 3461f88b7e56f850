"""Read an OSM file (.osm, .pbf, Overpass JSON) into OsmPlace records with osmbridge's own reader."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from osmbridge.model import OsmPlace, TagFilter
from osmbridge.osm import read_osm_file

READER = "osmbridge.osm.read_osm_file"


def read_places(path: Path, filters: Sequence[TagFilter] = ()) -> tuple[list[OsmPlace], str]:
    """Return the places of `path` that pass any filter (every tagged one without filters), and the reader used."""
    return list(read_osm_file(path, filters)), READER
