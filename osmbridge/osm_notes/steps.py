"""What a run does with OSM notes: read those near the places before the report, follow the linked ones after.

Reading is a step of the dataset's run when `[datasets.X.osm_notes] read = true`. A failure there (the
API down, a 429) does not stop the sync: the run keeps the `osm_note` items the store has, so that
none is resolved for a note nobody could read, and the report says why the notes are missing.
After the store has the run, the notes that items follow (published or linked, `publish = true`) are
read again one by one: new comments go to the items' audit log, a resolved note reopens its items.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from osmbridge.config_osm_notes import DatasetNotesConfig
from osmbridge.errors import OsmbridgeError
from osmbridge.model import CityFeature, Difference, Match, OsmNote, OsmPlace, PlaceNote
from osmbridge.osm_notes.api import NoteHidden, NotesApi, NotesApiError
from osmbridge.osm_notes.client import notes_api
from osmbridge.osm_notes.differences import note_differences
from osmbridge.osm_notes.nearby import dataset_places, place_notes
from osmbridge.osm_notes.read import read_notes_near
from osmbridge.redact import redact
from osmbridge.review.items import ItemFilter
from osmbridge.store import Store
from osmbridge.store.osm_notes_store import NoteFollowUp

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunNotes:
    """The notes a run read near the dataset's places, the items they make, and why none were read."""

    place_notes: tuple[PlaceNote, ...] = ()
    differences: tuple[Difference, ...] = ()
    problem: str | None = None
    requests: int = 0


def read_run_notes(settings: DatasetNotesConfig, store: Store, dataset: str, city: Sequence[CityFeature],
                   osm: Sequence[OsmPlace], matches: Sequence[Match], *, api: NotesApi | None = None) -> RunNotes:
    """Read the notes near a run's places and turn those reporting a problem next to a city record into items."""
    places = dataset_places(city, osm, matches)
    points = [point for place in places for point in place.points()]
    client = api or notes_api(settings.api)
    try:
        read = read_notes_near(client, points, distance_m=settings.distance_m,
                               max_area_deg2=settings.api.max_area_deg2, limit=settings.api.limit,
                               closed_days=settings.api.closed_days)
    except OsmbridgeError as error:
        problem = redact(str(error))
        log.warning("%s: OSM notes not read, the last known ones are kept: %s", dataset, problem)
        kept = store.review_items(ItemFilter(dataset=dataset, kinds=("osm_note",), present=True))
        return RunNotes(differences=tuple(item.difference for item in kept), problem=problem)
    found = place_notes(read.notes, places, settings.distance_m)
    differences = note_differences(dataset, found, store.own_note_ids(dataset))
    log.info("%s: %d OSM notes near the places (%d requests), %d reporting a problem next to a city record",
             dataset, len(found), read.requests, len(differences))
    return RunNotes(place_notes=tuple(found), differences=tuple(differences), requests=read.requests)


def follow_run_notes(settings: DatasetNotesConfig, store: Store, dataset: str, run_id: int, now: str,
                     fresh: Sequence[PlaceNote] = (), *, api: NotesApi | None = None) -> list[NoteFollowUp]:
    """Bring the followed notes up to date, then record the notes read this run; return the notes that changed.

    A note read near the places this run is taken as read; the other open ones are asked for one by
    one. A failure stops the follow-up for this run (logged): the next run tries again.
    """
    known = {place_note.note.id: place_note.note for place_note in fresh}
    client = api or notes_api(settings.api)
    changes = []
    # Followed notes first, compared with what the store knew; a closed one is read again only when
    # this run saw it near a place (reopened), not asked for one by one forever.
    for followed in store.followed_notes(dataset, status=None):
        note = known.get(followed.note.id)
        if note is None and followed.note.status == "open":
            try:
                note = _read_note(client, followed.note)
            except OsmbridgeError as error:
                log.warning("%s: OSM note %d not followed this run: %s", dataset, followed.note.id,
                            redact(str(error)))
                break
        if note is None:
            continue
        change = store.follow_note(dataset, note, now, run_id=run_id)
        if change.new_comments or change.status_now != change.status_before:
            log.info("%s: OSM note %d: %d new comments, %s -> %s, items reopened: %s", dataset, note.id,
                     change.new_comments, change.status_before, change.status_now, ", ".join(change.reopened) or "-")
            changes.append(change)
    if fresh:
        store.save_place_notes(dataset, run_id, fresh, now)
    return changes


def _read_note(client: NotesApi, last_known: OsmNote) -> OsmNote:
    """The note as the API has it now; a hidden one (410) keeps what was known, status hidden."""
    try:
        return client.note(last_known.id)
    except NoteHidden:
        pass
    except NotesApiError as error:
        if error.status != 404:
            raise
    return replace(last_known, status="hidden")
