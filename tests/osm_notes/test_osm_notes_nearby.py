"""Which place a note is about, and which notes become review items for the city."""

from __future__ import annotations

from shapely.geometry import Point, Polygon

from osmbridge.model import CityFeature, CityPlace, Match, NoteComment, OsmNote, OsmPlace
from osmbridge.osm_notes.differences import note_differences
from osmbridge.osm_notes.nearby import dataset_places, place_notes
from osmbridge.review import slot_key

METRE = 1 / 111_320  # degrees of latitude


def _note(note_id: int, lon: float, lat: float, text: str, status: str = "open") -> OsmNote:
    return OsmNote(id=note_id, lon=lon, lat=lat, status=status, created_at="2026-01-05T10:00:00+00:00",  # type: ignore[arg-type]
                   comments=(NoteComment("opened", "2026-01-05T10:00:00+00:00", "anne", text),))


def _feature(source_id: str, lon: float, lat: float, name: str) -> CityFeature:
    place = CityPlace("libs", source_id, Point(lon, lat), {}, "ODbL-1.0", f"libs.csv:{source_id}")
    return CityFeature(place=place, mapping="libs", category="library", name=name, tags={"amenity": "library"},
                       match_tags=(("amenity", "library"),), match_distance_m=50)


def _osm(key: str, lon: float, lat: float, name: str) -> OsmPlace:
    return OsmPlace(key[0], int(key[1:]), 1, Point(lon, lat), {"name": name}, Point(lon, lat))  # type: ignore[arg-type]


LIBRARY = _feature("L1", -1.55, 47.21, "Médiathèque Jules Verne")
SCHOOL = _feature("S1", -1.55, 47.21 + 30 * METRE, "École Jean Macé")
CAFE = _osm("n77", -1.55, 47.21 - 30 * METRE, "Café du Port")
PLACES = dataset_places([LIBRARY, SCHOOL], [_osm("n10", -1.55, 47.21 + 2 * METRE, "Médiathèque"), CAFE],
                        [Match("L1", "n10", "matched", "ref", 1.0), Match("S1", None, "city_only", "none", 0.0)])


def test_a_note_is_about_the_nearest_place_and_its_match() -> None:
    [found] = place_notes([_note(1, -1.55, 47.21 + 5 * METRE, "Fermé définitivement")], PLACES, 50)
    assert (found.source_id, found.osm_key, found.name) == ("L1", "n10", "Médiathèque Jules Verne")
    assert found.concern == "closure" and found.keyword == "Fermé définitivement" and 2 < found.distance_m < 4


def test_a_note_naming_an_osm_object_is_about_it_when_in_reach() -> None:
    text = "Unable to answer \"Is it open?\" for https://osm.org/node/77 via StreetComplete: shop is gone"
    [found] = place_notes([_note(2, -1.55, 47.21 - 5 * METRE, text)], PLACES, 50)
    assert (found.source_id, found.osm_key) == (None, "n77")


def test_notes_beyond_the_distance_are_about_nothing() -> None:
    assert place_notes([_note(3, -1.55, 47.21 + 200 * METRE, "fermé")], PLACES, 50) == []


def test_a_polygon_counts_from_its_edge() -> None:
    square = Polygon([(-1.5, 47.0), (-1.49, 47.0), (-1.49, 47.01), (-1.5, 47.01)])
    park = dataset_places([], [OsmPlace("w", 5, 1, square, {"name": "Parc"}, square.centroid)], [])
    [found] = place_notes([_note(4, -1.495, 47.005, "closed")], park, 50)
    assert found.osm_key == "w5" and found.distance_m == 0


def test_only_open_notes_with_a_concern_next_to_a_city_record_become_items() -> None:
    notes = place_notes([
        _note(10, -1.55, 47.21, "La médiathèque a fermé ses portes"),  # L1: item
        _note(11, -1.55, 47.21 + 29 * METRE, "nom faux"),  # S1: item
        _note(12, -1.55, 47.21, "very nice", status="open"),  # no concern
        _note(13, -1.55, 47.21, "closed for good", status="closed"),  # resolved
        _note(14, -1.55, 47.21 - 30 * METRE, "closed for good"),  # the café only OSM has
        _note(15, -1.55, 47.21, "fermé définitivement"),  # opened by osmbridge
        _note(16, -1.55, 47.21, "Lieu : X\nnom faux\n#osmbridge"),  # osmbridge's marker
    ], PLACES, 50)
    differences = note_differences("libs", notes, own_note_ids={15})
    assert [(d.field, d.source_id, d.osm_key) for d in differences] == [("note:10", "L1", "n10"),
                                                                        ("note:11", "S1", None)]
    first = differences[0]
    assert (first.kind, first.proposal, first.changed_side) == ("osm_note", "to_city", "osm")
    assert first.osm_value == "La médiathèque a fermé ses portes" and first.city_value is None
    assert first.note[0].code == "osm_note" and first.note[0].params["note_id"] == 10
    # Stable ids, and one review slot per note even at one place.
    again = note_differences("libs", notes, own_note_ids={15})
    assert [d.id for d in again] == [d.id for d in differences]
    both = place_notes([_note(20, -1.55, 47.21, "fermé définitivement"), _note(21, -1.55, 47.21, "nom faux")],
                       PLACES, 50)
    assert len({slot_key(d) for d in note_differences("libs", both)}) == 2
