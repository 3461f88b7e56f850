"""OSM notes that report a closure or a wrong value next to a city place, as review items for its owner (pure).

An open note whose text reports a closure or a wrong value and whose nearest place is a city record
becomes an `osm_note` difference: the note's text on the OSM side, its id in `field` ("note:123"),
proposed to the city (city staff review it: check the record, reject with a reason, or ask for a
survey). It stays while the note is open; once the note is closed, the next run no longer reports it
and the item is resolved. Notes osmbridge wrote itself (by id, or by their "#osmbridge" line) never
become items.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from osmbridge.diff.ids import difference_id
from osmbridge.model import OSM_NOTE_FIELD_PREFIX, Difference, Note, PlaceNote
from osmbridge.osm_notes.text import MARKER

MAX_TEXT = 1000  # characters of a note's text kept in the item (a note holds up to 2000)


def note_differences(dataset: str, notes: Sequence[PlaceNote], own_note_ids: Collection[int] = ()) -> list[Difference]:
    """Return one `osm_note` difference per open note reporting a concern next to a city record."""
    found = []
    for place_note in notes:
        note = place_note.note
        if (note.status != "open" or place_note.concern is None or place_note.source_id is None
                or note.id in own_note_ids or MARKER in note.text):
            continue
        field = f"{OSM_NOTE_FIELD_PREFIX}{note.id}"
        text = " ".join(note.text.split())[:MAX_TEXT]
        found.append(Difference(
            id=difference_id(dataset, place_note.source_id, place_note.osm_key, field, None, text, "osm_note"),
            dataset=dataset, kind="osm_note", source_id=place_note.source_id, osm_key=place_note.osm_key,
            field=field, city_value=None, osm_value=text, changed_side="osm", proposal="to_city", lon=note.lon,
            lat=note.lat, category=place_note.category, name=place_note.name, distance_m=place_note.distance_m,
            note=(Note("osm_note", {"note_id": note.id, "distance_m": place_note.distance_m,
                                    "concern": Note(f"osm_note_concern.{place_note.concern}"),
                                    "keyword": place_note.keyword or ""}),)))
    return found
