"""Is this OSM side trustworthy enough to propose from? An empty or suddenly shrunken one is not.

An Overpass answer cut short, an extract of the wrong region or a bbox that covers nothing all
look like "OSM has none of these places": every city record would become a creation. Such a run
is stopped before it writes anything, so the last good run stays the base of the next one.
"""

from __future__ import annotations

from collections.abc import Sequence

from osmbridge.errors import OsmbridgeError
from osmbridge.model import RunCounts


class SuspectOsmSide(OsmbridgeError):
    """The OSM side of a dataset is empty or shrank too much: nothing is proposed from it."""


def check_osm_side(dataset: str, count: int, history: Sequence[RunCounts], *, source: str,
                   max_shrink_share: float, allow_empty: bool = False) -> None:
    """Raise SuspectOsmSide when `count` OSM places cannot be the dataset's real OSM side.

    `history` holds the dataset's earlier successful runs, oldest first; `source` names where the
    places were read (a file, an Overpass URL), for the message.
    """
    keep = ("Nothing was written and the last good run stays the base; the other datasets still run.")
    last = history[-1] if history else None
    if count == 0 and not allow_empty:
        before = f" (the last good run, #{last.run_id}, had {last.osm_places})" if last else ""
        raise SuspectOsmSide(
            f"{dataset}: the OSM side is empty: no place of the mapped types from {source}{before}. {keep} "
            "Check the extract or the Overpass answer and the dataset's area (bbox order: south, west, "
            f"north, east); if OSM really has none yet, set allow_empty = true in [datasets.{dataset}.osm].")
    if last is None or last.osm_places == 0:
        return
    lost = 1 - count / last.osm_places
    if lost > max_shrink_share:
        raise SuspectOsmSide(
            f"{dataset}: the OSM side shrank from {last.osm_places} places (run #{last.run_id}) to {count} "
            f"from {source}, {lost:.0%} fewer, more than max_shrink_share = {max_shrink_share:g}. {keep} "
            "A truncated Overpass answer or a wrong extract or bbox is the usual cause; if OSM really lost "
            f"these objects, raise max_shrink_share in [datasets.{dataset}.osm] for one run.")
