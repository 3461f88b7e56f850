"""Reading the OSM notes near a dataset's places: tiles asked one at a time, full answers split and asked again."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from osmbridge.model import OsmNote
from osmbridge.osm_notes.api import NotesApi
from osmbridge.osm_notes.tiles import Tile, plan_tiles, split_tile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NotesRead:
    """The notes found near a set of places, and what the reading cost."""

    notes: tuple[OsmNote, ...]
    requests: int
    truncated: int = 0  # boxes still full at their smallest: some older notes there may be missing


def read_notes_near(api: NotesApi, points: Sequence[tuple[float, float]], *, distance_m: float,
                    max_area_deg2: float = 25.0, limit: int = 1000, closed_days: int = 7) -> NotesRead:
    """Return every note within about `distance_m` of the (lon, lat) `points`, each once.

    Open notes, and those closed in the last `closed_days` days. Raises NotesApiError (NotesRateLimited
    on a 429) when a request fails: the caller keeps what it knew rather than half an answer.
    """
    queue: list[Tile] = plan_tiles(points, distance_m, max_area_deg2)
    found: dict[int, OsmNote] = {}
    requests = truncated = 0
    while queue:
        tile = queue.pop(0)
        notes = api.notes_in_bbox(tile.bbox, limit=limit, closed_days=closed_days)
        requests += 1
        if len(notes) >= limit:
            parts = split_tile(tile, distance_m)
            if parts:
                queue.extend(parts)
                continue
            truncated += 1
            log.warning("%d notes or more around %s: the oldest ones there may be missing (raise [osm_notes] limit)",
                        limit, ", ".join(f"{v:.5f}" for v in tile.bbox))
        for note in notes:
            found[note.id] = note
    return NotesRead(notes=tuple(sorted(found.values(), key=lambda n: n.id)), requests=requests,
                     truncated=truncated)
