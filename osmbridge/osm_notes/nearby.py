"""Which place each note is about: the nearest of a dataset's places within the search distance (pure).

A place is a city record with the OSM object it is matched to, or an OSM object alone. A note that
names an OSM object (StreetComplete writes "https://osm.org/node/123") is about that object when it is
one of the places within reach; otherwise about the nearest one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from osmbridge.diff.geometry import display_point, distance_m
from osmbridge.model import CityFeature, Match, OsmNote, OsmPlace, PlaceNote
from osmbridge.osm_notes.classify import classify_note
from osmbridge.osm_notes.tiles import margin_deg

_ELEMENT = re.compile(r"(?:openstreetmap|osm)\.org/(node|way|relation)/([1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class NotePlace:
    """One place a note can be about, with every geometry it has (the city's, OSM's)."""

    source_id: str | None
    osm_key: str | None
    name: str | None
    category: str
    geometries: tuple[BaseGeometry, ...]

    def points(self) -> list[tuple[float, float]]:
        """Display positions (lon, lat), one per geometry."""
        return [(p.x, p.y) for p in (display_point(g) for g in self.geometries)]


def dataset_places(city: Sequence[CityFeature], osm: Sequence[OsmPlace], matches: Sequence[Match]) -> list[NotePlace]:
    """Return the places of a run: each city record with its matched OSM object, then the OSM objects left."""
    by_key = {place.key: place for place in osm}
    linked = {m.source_id: m.osm_key for m in matches if m.status == "matched" and m.source_id and m.osm_key}
    places = []
    for feature in city:
        key = linked.get(feature.source_id)
        partner = by_key.get(key) if key else None
        geometries = (feature.geometry,) + ((partner.geometry,) if partner is not None else ())
        places.append(NotePlace(feature.source_id, key, feature.name, feature.category, geometries))
    taken = set(linked.values())
    places += [NotePlace(None, place.key, place.tags.get("name"), "", (place.geometry,))
               for place in osm if place.key not in taken]
    return places


def place_notes(notes: Sequence[OsmNote], places: Sequence[NotePlace], distance_m_max: float) -> list[PlaceNote]:
    """Return, for each note within `distance_m_max` of a place, that place and what the note reports."""
    geometries = [g for place in places for g in place.geometries]
    owner = [i for i, place in enumerate(places) for _ in place.geometries]
    tree = STRtree(geometries)
    found = []
    for note in notes:
        point = Point(note.lon, note.lat)
        dlon, dlat = margin_deg(distance_m_max, note.lat)
        near: dict[int, float] = {}
        for index in tree.query(box(note.lon - dlon, note.lat - dlat, note.lon + dlon, note.lat + dlat)):
            metres = distance_m(point, geometries[index])
            if metres <= distance_m_max:
                at = owner[int(index)]
                near[at] = min(metres, near.get(at, metres))
        if not near:
            continue
        named = {f"{kind[0]}{number}" for kind, number in _ELEMENT.findall(" ".join(c.text for c in note.comments))}
        chosen = min(near, key=lambda i: (places[i].osm_key not in named, near[i], i))
        place = places[chosen]
        concern, keyword = classify_note(note.text)
        found.append(PlaceNote(note=note, source_id=place.source_id, osm_key=place.osm_key, name=place.name,
                               category=place.category, distance_m=round(near[chosen], 1), concern=concern,
                               keyword=keyword))
    return found
