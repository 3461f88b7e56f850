"""Refusing an OSM answer far smaller than the last good one, so a failing server never empties the OSM side."""

from __future__ import annotations

from collections.abc import Sequence

from osmbridge.config import DatasetConfig
from osmbridge.errors import OsmSourceError
from osmbridge.model import RunCounts


def check_osm_drop(dataset: DatasetConfig, osm_places: int, history: Sequence[RunCounts]) -> None:
    """Raise OsmSourceError when OSM gave `max_drop` fewer places than the dataset's last successful run.

    An Overpass server that lost its areas, or a truncated extract, answers with few or no places;
    comparing with that would report every city place "missing in OSM" and move the sync base.
    """
    if not history or dataset.osm.max_drop >= 1:
        return
    last = history[-1]
    if last.osm_places and osm_places < last.osm_places * (1 - dataset.osm.max_drop):
        raise OsmSourceError(
            f"{dataset.name}: OSM gave {osm_places} places of the mapped types where the last good run "
            f"({last.run_id}, {last.started_at}) had {last.osm_places}; not used, so the reports keep the last "
            "good data instead of calling every city place missing in OSM. If the places were really removed, "
            f"raise [osm] max_drop (now {dataset.osm.max_drop:g}) for one run.")
