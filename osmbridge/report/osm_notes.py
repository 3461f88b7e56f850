"""The OSM notes near a run's places, grouped by place for report.html."""

from __future__ import annotations

from dataclasses import dataclass

from osmbridge.model import DatasetResult, PlaceNote


@dataclass(frozen=True, slots=True)
class PlaceNotes:
    """One place and the notes next to it: open ones first, newest first."""

    name: str | None
    source_id: str | None
    osm_key: str | None
    notes: tuple[PlaceNote, ...]

    @property
    def open_count(self) -> int:
        return sum(1 for n in self.notes if n.note.status == "open")


def notes_by_place(result: DatasetResult) -> list[PlaceNotes]:
    """Return the run's notes per place, places with open notes first, then by name."""
    groups: dict[tuple[str | None, str | None], list[PlaceNote]] = {}
    for place_note in result.osm_notes:
        groups.setdefault((place_note.source_id, place_note.osm_key), []).append(place_note)
    places = []
    for (source_id, osm_key), notes in groups.items():
        notes.sort(key=lambda n: (n.note.created_at, n.note.id), reverse=True)
        notes.sort(key=lambda n: n.note.status != "open")
        places.append(PlaceNotes(notes[0].name, source_id, osm_key, tuple(notes)))
    return sorted(places, key=lambda p: (p.open_count == 0, p.name or "", p.source_id or "", p.osm_key or ""))
