"""OSM notes on the item page: the notes next to the place, and publishing a needs-survey item as a note.

Publishing is the shared `osmbridge.osm_notes.publish` (search first, paced, recorded with the audit
log); this module checks who may ask, builds the signed client from the config, and says what
happened or why not in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from osmbridge.config import DatasetConfig
from osmbridge.errors import OsmbridgeError
from osmbridge.model import Difference, NoteConcern, OsmNote
from osmbridge.osm_notes.api import NotesApiError, NotesRateLimited, NotesTokenMissing, NotesTokenRefused
from osmbridge.osm_notes.client import notes_api
from osmbridge.osm_notes.publish import NotePublishRefused, NotesPaceExceeded, Published, publish_item_note
from osmbridge.report.links import note_url
from osmbridge.review import ReviewItem, Survey
from osmbridge.store import Store
from osmbridge.store.accounts import User
from osmbridge.web.permissions import check_action
from osmbridge.web.problems import Problem


@dataclass(frozen=True, slots=True)
class NoteView:
    """A note as the item page lists it."""

    note: OsmNote
    url: str
    followed_by: tuple[str, ...]  # the items of this page that follow it
    concern: NoteConcern | None
    keyword: str | None
    distance_m: float | None


def place_notes(store: Store, place: Difference, item_ids: Sequence[str]) -> list[NoteView]:
    """The notes next to an item's place, or followed by one of its items: open ones first, newest first."""
    if place.source_id is None and place.osm_key is None and not item_ids:
        return []
    known = store.osm_notes(place.dataset, source_id=place.source_id, osm_key=place.osm_key, item_ids=item_ids)
    return [NoteView(note=k.note, url=note_url(k.note.id),
                     followed_by=tuple(link.item_id for link in k.links if link.item_id in item_ids),
                     concern=k.concern, keyword=k.keyword, distance_m=k.distance_m) for k in known]


def may_publish(user: User | None, item: ReviewItem, dataset: DatasetConfig) -> bool:
    """Whether the page offers `user` to publish `item` as a note (the server checks again when asked)."""
    if user is None or not dataset.osm_notes.publish or item.state != "needs_survey" or not item.present:
        return False
    try:
        check_action(user, item, Survey())
    except Problem:
        return False
    return True


def publish(store: Store, dataset: DatasetConfig, item: ReviewItem, user: User) -> Published:
    """Publish `item` as an OSM note for `user`; a Problem with the status and the reason when it cannot be."""
    check_action(user, item, Survey())  # 403 for a role that may not decide this item
    try:
        api = notes_api(dataset.osm_notes.api, signed=True)
        return publish_item_note(store, api, dataset.osm_notes, item.id, author=user.username,
                                 now=datetime.now(UTC), title=dataset.title,
                                 city_url_template=dataset.city_url_template)
    except OsmbridgeError as error:
        raise Problem(_status(error), "error.osm_note", str(error)) from None


def _status(error: OsmbridgeError) -> int:
    if isinstance(error, (NotesPaceExceeded, NotesRateLimited)):
        return 429
    if isinstance(error, NotesTokenMissing):
        return 503
    if isinstance(error, (NotesTokenRefused, NotesApiError)):
        return 502
    if isinstance(error, NotePublishRefused):
        return 409
    return 400
