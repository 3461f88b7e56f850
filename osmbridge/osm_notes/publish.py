"""Publishing a needs-survey item as an OSM note, when a reviewer asks: never twice, never too fast.

One publisher at a time (a lock in the store), then in this order:
1. the item already follows an open note: nothing is written;
2. the API is searched for an open note within the dataset's distance of the place: the item follows
   that one (a second note there would split the answers);
3. only then the pace is checked (`[osm_notes] max_per_hour`, `min_interval_s`, counted from the notes
   osmbridge opened, as the store records them), and the note is opened, signed with the token.
The note and the item's audit entry are recorded together. Should the process die between opening
the note and recording it, the next attempt finds that note open nearby and follows it: still one note.
A later run reads the note again (`steps.follow_run_notes`) and reopens the item when it is resolved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from shapely.geometry import Point

from osmbridge.config_osm_notes import DatasetNotesConfig
from osmbridge.diff.geometry import distance_m
from osmbridge.errors import OsmbridgeError
from osmbridge.model import NoteLinkOrigin, OsmNote
from osmbridge.osm_notes.api import NotesApi
from osmbridge.osm_notes.text import survey_note_text
from osmbridge.osm_notes.tiles import around
from osmbridge.store import Owner, Store

LOCK = "osm_notes:publish"
_LOCK_TTL_S = 300.0


class NotePublishRefused(OsmbridgeError):
    """The item may not be published as a note (not opted in, not needs-survey, no position, busy)."""


class NotesPaceExceeded(OsmbridgeError):
    """osmbridge opened as many notes as `[osm_notes]` allows for now; `retry_at` says when it may again."""

    def __init__(self, message: str, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class Published:
    """What publishing did: the note the item now follows, and how it came to follow it."""

    item_id: str
    note: OsmNote
    origin: NoteLinkOrigin  # created: a new note; existing: an open note found nearby
    already: bool = False  # the item already followed this open note: nothing written


def publish_item_note(store: Store, api: NotesApi, settings: DatasetNotesConfig, item_id: str, *, author: str,
                      now: datetime, title: str, city_url_template: str | None = None) -> Published:
    """Make the needs-survey item `item_id` follow an open OSM note, opening one only when none is near."""
    item = store.review_item(item_id)
    dataset, difference = item.dataset, item.difference
    if not settings.publish:
        raise NotePublishRefused(f"dataset {dataset} does not publish needs-survey items as OSM notes; an "
                                 f"administrator can set [datasets.{dataset}.osm_notes] publish = true")
    if item.state != "needs_survey" or not item.present:
        state = item.state if item.present else "resolved"
        raise NotePublishRefused(f"item {item_id} is {state}: only an item marked needs-survey is published as an "
                                 "OSM note")
    if not (math.isfinite(difference.lon) and math.isfinite(difference.lat)):
        raise NotePublishRefused(f"item {item_id} has no position to put a note at")
    owner = Owner.new()
    holder = store.acquire_lock(LOCK, owner, _LOCK_TTL_S)
    if holder is not None:
        raise NotePublishRefused(f"another OSM note is being published ({holder.describe()}); try again in a moment")
    try:
        for known in store.osm_notes(dataset, item_id=item_id):
            link = next((link for link in known.links if link.item_id == item_id), None)
            if known.note.status == "open" and link is not None:
                return Published(item_id, known.note, link.origin, already=True)
        stamp = now.isoformat(timespec="seconds")
        nearby = _open_note_near(api, difference.lon, difference.lat, settings.distance_m)
        if nearby is not None:
            store.link_note(item_id, nearby, "existing", author=author, now=stamp)
            return Published(item_id, nearby, "existing")
        _check_pace(store, settings, now)
        city_url = (city_url_template.replace("{id}", difference.source_id)
                    if city_url_template and difference.source_id else None)
        text = survey_note_text(difference, settings.languages, title=title, city_url=city_url)
        note = api.create(difference.lon, difference.lat, text)
        store.link_note(item_id, note, "created", author=author, now=stamp)
        return Published(item_id, note, "created")
    finally:
        store.release_lock(LOCK, owner)


def _open_note_near(api: NotesApi, lon: float, lat: float, within_m: float) -> OsmNote | None:
    """The nearest open note within `within_m` of (lon, lat), by a search of the API around it."""
    candidates = api.search(bbox=around([(lon, lat)], within_m), closed_days=0, limit=100)
    place = Point(lon, lat)
    near = [(distance_m(place, Point(n.lon, n.lat)), n.id, n) for n in candidates if n.status == "open"]
    near = [entry for entry in near if entry[0] <= within_m]
    return min(near)[2] if near else None


def _check_pace(store: Store, settings: DatasetNotesConfig, now: datetime) -> None:
    """Refuse (NotesPaceExceeded) a new note beyond `max_per_hour` in the last hour or sooner than `min_interval_s`."""
    api = settings.api
    hour_ago = (now - timedelta(hours=1)).isoformat(timespec="seconds")
    opened = [datetime.fromisoformat(at) for at in store.notes_created_since(hour_ago)]
    if len(opened) >= api.max_per_hour:
        retry_at = opened[-api.max_per_hour] + timedelta(hours=1)
        raise NotesPaceExceeded(f"osmbridge opened {len(opened)} OSM notes in the last hour, the most "
                                f"[osm_notes] max_per_hour allows; try again after {retry_at:%H:%M} UTC", retry_at)
    if opened and now - opened[-1] < timedelta(seconds=api.min_interval_s):
        retry_at = opened[-1] + timedelta(seconds=api.min_interval_s)
        raise NotesPaceExceeded(f"osmbridge opened an OSM note {int((now - opened[-1]).total_seconds())} s ago; "
                                f"[osm_notes] min_interval_s asks for {api.min_interval_s:.0f} s between two: try "
                                f"again after {retry_at:%H:%M:%S} UTC", retry_at)
