"""diff_dataset on hand-made libraries: field kinds, three-way proposals, ids, place-level kinds."""

from __future__ import annotations

from diff_builders import feature, matched, osm_place
from shapely.geometry import Polygon, box

from osmbridge.i18n import render_notes
from osmbridge.diff import diff_dataset, difference_id
from osmbridge.model import Difference, Match, Note, SyncBase, TagEdit

DEMY_CITY = {"amenity": "library", "name": "Médiathèque Jacques Demy", "phone": "02 40 41 95 95",
             "website": "http://www.bm.nantes.fr/", "opening_hours": "Tu-Sa 10:00-19:00"}
DEMY_OSM = {"amenity": "library", "name": "Médiathèque Jacques Demy", "phone": "+33 2 40 41 95 95",
            "website": "https://bm.nantes.fr", "opening_hours": "Tu,We,Th,Fr,Sa 10:00-19:00", "wheelchair": "yes"}


def diff_one(city_tags: dict[str, str], osm_tags: dict[str, str], base: SyncBase | None = None,
             **feature_options: object) -> list[Difference]:
    base = base or SyncBase()
    return diff_dataset("libraries", [feature("1", city_tags, **feature_options)],  # type: ignore[arg-type]
                        [osm_place("n10", osm_tags)], [matched("1", "n10")], base)


def by_field(differences: list[Difference]) -> dict[str | None, Difference]:
    return {d.field: d for d in differences}


def test_same_meaning_in_other_forms_gives_no_difference() -> None:
    assert diff_one(DEMY_CITY, DEMY_OSM) == []


def test_each_kind_of_field_difference() -> None:
    city = {**DEMY_CITY, "name": "MÉDIATHÈQUE JACQUES DEMY", "opening_hours": "Tu-Sa 10:00-18:00",
            "email": "bm@nantes.fr"}
    osm = {**DEMY_OSM, "website": "https://bm.nantes.fr", "operator": "Ville de Nantes"}
    differences = by_field(diff_one(city, {k: v for k, v in osm.items() if k != "phone"},
                                    field_of_tag={**{k: k.upper() for k in city}, "operator": "GESTIONNAIRE"}))
    assert set(differences) == {"name", "opening_hours", "email", "phone", "operator"}
    assert differences["name"].kind == "minor"
    assert differences["opening_hours"].kind == "differs"
    assert (differences["opening_hours"].city_value, differences["opening_hours"].osm_value) == (
        "Tu-Sa 10:00-18:00", "Tu,We,Th,Fr,Sa 10:00-19:00")
    assert differences["email"].kind == differences["phone"].kind == "only_city"
    # The city maps "operator" from a column this record left empty; OSM has one.
    assert differences["operator"].kind == "only_osm"
    assert differences["operator"].city_value is None
    assert differences["operator"].city_field == "GESTIONNAIRE"
    # A tag the mapping does not map (wheelchair) is not compared.
    assert "wheelchair" not in differences


def test_difference_fields_are_filled() -> None:
    [hours] = diff_one({**DEMY_CITY, "opening_hours": "du mardi au samedi de 10h à 18h"}, DEMY_OSM)
    assert hours.field == "opening_hours"
    assert hours.city_value == "Tu-Sa 10:00-18:00"  # converted: what would be written to OSM
    assert "du mardi au samedi de 10h à 18h" in render_notes(hours.note)
    assert (hours.source_id, hours.osm_key, hours.dataset) == ("1", "n10", "libraries")
    assert (hours.lon, hours.lat) == (-1.5536, 47.2173)
    assert hours.category == "Bibliothèque" and hours.name == "Médiathèque Jacques Demy"
    assert hours.osm_version == 3 and hours.city_field == "OPENING_HOURS"
    assert (hours.changed_side, hours.proposal) == ("unknown", "disagreement")
    assert len(hours.id) == 16 and int(hours.id, 16) >= 0


def test_free_text_city_hours_that_cannot_be_read_are_shown_raw_and_flagged() -> None:
    [hours] = diff_one({**DEMY_CITY, "opening_hours": "Fermé pendant les travaux"}, DEMY_OSM)
    assert hours.kind == "differs" and hours.city_value == "Fermé pendant les travaux"
    assert "not parseable" in render_notes(hours.note)


def test_type_tags_are_compared_so_a_type_change_shows() -> None:
    [amenity] = diff_one({**DEMY_CITY, "amenity": "public_bookcase"}, DEMY_OSM,
                         match_tags=(("amenity", "library"), ("amenity", "public_bookcase")))
    assert (amenity.field, amenity.kind) == ("amenity", "differs")


def test_osm_only_tags_are_never_compared() -> None:
    assert diff_one({**DEMY_CITY, "wheelchair": "no"}, DEMY_OSM, osm_only=frozenset({"wheelchair"})) == []


# --- three-way ---------------------------------------------------------------------------------


def base_with(city_phone: str, osm_phone: str) -> SyncBase:
    return SyncBase(city_tags={"1": {**DEMY_CITY, "phone": city_phone}},
                    osm_tags={"n10": {**DEMY_OSM, "phone": osm_phone}})


def test_three_way_city_changed_proposes_to_osm() -> None:
    [phone] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 00"}, DEMY_OSM,
                       base_with("02 40 41 95 95", "+33 2 40 41 95 95"))
    assert (phone.changed_side, phone.proposal) == ("city", "to_osm")
    assert (phone.base_city_value, phone.base_osm_value) == ("02 40 41 95 95", "+33 2 40 41 95 95")


def test_three_way_osm_changed_proposes_to_city() -> None:
    [phone] = diff_one(DEMY_CITY, {**DEMY_OSM, "phone": "+33 2 40 41 95 00"},
                       base_with("02 40 41 95 95", "+33 2 40 41 95 95"))
    assert (phone.changed_side, phone.proposal) == ("osm", "to_city")


def test_three_way_both_changed_is_a_conflict() -> None:
    [phone] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, {**DEMY_OSM, "phone": "+33 2 40 41 95 02"},
                       base_with("02 40 41 95 95", "+33 2 40 41 95 95"))
    assert (phone.changed_side, phone.proposal) == ("both", "conflict")


def test_three_way_no_base_is_a_disagreement() -> None:
    [phone] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, DEMY_OSM)
    assert (phone.changed_side, phone.proposal) == ("unknown", "disagreement")
    assert phone.base_city_value is None and phone.base_osm_value is None


def test_three_way_neither_changed_is_a_standing_disagreement() -> None:
    [phone] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, DEMY_OSM,
                       base_with("02.40.41.95.01", "+33240419595"))
    assert (phone.changed_side, phone.proposal) == ("none", "disagreement")


def test_three_way_reformatting_is_not_a_change() -> None:
    # The city rewrote its number in another format while OSM changed the number: only OSM changed.
    [phone] = diff_one({**DEMY_CITY, "phone": "+33 2 40 41 95 95"}, {**DEMY_OSM, "phone": "+33 2 40 41 95 00"},
                       base_with("02.40.41.95.95", "+33 2 40 41 95 95"))
    assert phone.changed_side == "osm"


def test_three_way_a_tag_added_in_osm_proposes_it_to_the_city() -> None:
    base = SyncBase(city_tags={"1": DEMY_CITY}, osm_tags={"n10": DEMY_OSM})
    [email] = diff_one(DEMY_CITY, {**DEMY_OSM, "email": "bm@nantes.fr"}, base, field_of_tag={
        **{k: k.upper() for k in DEMY_CITY}, "email": "MAIL"})
    assert (email.kind, email.changed_side, email.proposal) == ("only_osm", "osm", "to_city")


def test_three_way_with_one_side_synced_only_is_unknown() -> None:
    base = SyncBase(city_tags={"1": DEMY_CITY})
    [phone] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, DEMY_OSM, base)
    assert (phone.changed_side, phone.proposal) == ("unknown", "disagreement")
    assert phone.base_city_value == "02 40 41 95 95"


# --- ids ---------------------------------------------------------------------------------------


def test_ids_are_stable_across_calls_and_formats() -> None:
    first = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, DEMY_OSM)
    again = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, DEMY_OSM)
    reformatted = diff_one({**DEMY_CITY, "phone": "02.40.41.95.01"}, {**DEMY_OSM, "phone": "+33240419595"})
    assert [d.id for d in first] == [d.id for d in again] == [d.id for d in reformatted]


def test_ids_change_when_values_change() -> None:
    [one] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, DEMY_OSM)
    [other] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 02"}, DEMY_OSM)
    [osm_side] = diff_one({**DEMY_CITY, "phone": "02 40 41 95 01"}, {**DEMY_OSM, "phone": "+33 2 40 41 95 03"})
    assert len({one.id, other.id, osm_side.id}) == 3


def test_difference_id_is_a_short_hash_of_every_part() -> None:
    parts = ("libraries", "1", "n10", "phone", "+33240419501", "+33240419595", "differs")
    base_id = difference_id(*parts)
    assert base_id == difference_id(*parts) and len(base_id) == 16
    for index in range(len(parts)):
        changed = list(parts)
        changed[index] = None if index in (1, 2, 3, 4, 5) else changed[index] + "x"
        assert difference_id(*changed) != base_id, index
    # None and "" are not the same value; whitespace runs are.
    empty, absent = (difference_id("d", "1", None, "name", v, None, "only_osm") for v in ("", None))
    assert empty != absent
    spaced, plain = (difference_id("d", "1", "n1", "name", v, "c", "differs") for v in (" a  b ", "a b"))
    assert spaced == plain


# --- position, lifecycle -----------------------------------------------------------------------


def test_position_drift_above_half_the_match_distance() -> None:
    # 0.0008° of longitude at 47.2° N is about 60 m; the match distance is 80 m, drift threshold 40 m.
    differences = diff_dataset("libraries", [feature("1", DEMY_CITY)], [osm_place("n10", DEMY_OSM, lon=-1.5528)],
                               [matched("1", "n10")], SyncBase())
    [drift] = differences
    assert drift.kind == "position" and drift.field is None
    assert drift.distance_m is not None and 59 < drift.distance_m < 62
    assert drift.city_value == "47.21730,-1.55360" and drift.osm_value == "47.21730,-1.55280"


def test_no_drift_within_the_threshold_or_inside_the_osm_building() -> None:
    near = diff_dataset("libraries", [feature("1", DEMY_CITY)], [osm_place("n10", DEMY_OSM, lon=-1.5532)],
                        [matched("1", "n10")], SyncBase())
    building = box(-1.5540, 47.2170, -1.5530, 47.2176)  # the city point is inside, its center is not
    inside = diff_dataset("libraries", [feature("1", DEMY_CITY, lon=-1.5539, lat=47.2171)],
                          [osm_place("w10", DEMY_OSM, geometry=building)], [matched("1", "w10")], SyncBase())
    assert near == [] and inside == []


def test_drift_is_measured_to_the_polygon_edge() -> None:
    building = Polygon([(-1.5540, 47.2170), (-1.5530, 47.2170), (-1.5530, 47.2176), (-1.5540, 47.2176)])
    city_point = feature("1", DEMY_CITY, lon=-1.5530 + 0.0010, lat=47.2173)  # about 76 m east of the east wall
    [drift] = diff_dataset("libraries", [city_point], [osm_place("w10", DEMY_OSM, geometry=building)],
                           [matched("1", "w10")], SyncBase())
    assert drift.distance_m is not None and 74 < drift.distance_m < 78


def test_a_closed_place_proposes_a_lifecycle_prefix_not_a_deletion() -> None:
    [lifecycle] = diff_one({**DEMY_CITY, "phone": "02 00 00 00 00"}, DEMY_OSM, closed=True)
    assert lifecycle.kind == "lifecycle" and lifecycle.proposal == "to_osm"
    # Shown as whole tags (never `amenity=disused:amenity=library`), and stated as an edit: remove the
    # main key, add the prefixed one; name, phone and the rest stay.
    assert (lifecycle.field, lifecycle.city_value, lifecycle.osm_value) == (
        None, "disused:amenity=library", "amenity=library")
    assert lifecycle.osm_edit == TagEdit((("disused:amenity", "library"),), ("amenity",))
    after = lifecycle.osm_edit.apply(DEMY_OSM)
    assert after == {**{k: v for k, v in DEMY_OSM.items() if k != "amenity"}, "disused:amenity": "library"}


def test_a_closed_pharmacy_moves_every_main_key_that_says_what_it_is() -> None:
    city = {"amenity": "pharmacy", "healthcare": "pharmacy", "name": "Pharmacie du Port"}
    osm = {**city, "dispensing": "yes", "building": "yes"}
    [lifecycle] = diff_one(city, osm, closed=True, match_tags=(("amenity", "pharmacy"),),
                           category_tags={"amenity": "pharmacy", "healthcare": "pharmacy"})
    assert lifecycle.osm_edit is not None
    assert lifecycle.osm_edit.apply(osm) == {"disused:amenity": "pharmacy", "disused:healthcare": "pharmacy",
                                             "name": "Pharmacie du Port", "dispensing": "yes", "building": "yes"}
    assert lifecycle.city_value == "disused:amenity=pharmacy\ndisused:healthcare=pharmacy"


def test_a_lifecycle_move_onto_a_taken_prefixed_key_is_left_to_a_person() -> None:
    osm = {**DEMY_OSM, "disused:amenity": "post_office"}
    [lifecycle] = diff_one(DEMY_CITY, osm, closed=True)
    assert lifecycle.proposal == "disagreement" and lifecycle.osm_edit is None
    assert "disused:amenity=post_office" in render_notes(lifecycle.note)


def test_closing_since_the_last_sync_is_a_city_side_change() -> None:
    open_at_sync = SyncBase(city_tags={"1": DEMY_CITY}, osm_tags={"n10": DEMY_OSM})
    closed_at_sync = SyncBase(city_tags={"1": DEMY_CITY}, osm_tags={"n10": DEMY_OSM}, city_closed=frozenset({"1"}))
    assert [d.changed_side for d in diff_one(DEMY_CITY, DEMY_OSM, open_at_sync, closed=True)] == ["city"]
    assert [d.changed_side for d in diff_one(DEMY_CITY, DEMY_OSM, closed_at_sync, closed=True)] == ["none"]
    assert [d.changed_side for d in diff_one(DEMY_CITY, DEMY_OSM, closed=True)] == ["unknown"]


def test_a_closed_place_already_disused_in_osm_gives_nothing() -> None:
    disused = {k: v for k, v in DEMY_OSM.items() if k != "amenity"} | {"disused:amenity": "library"}
    assert diff_one(DEMY_CITY, disused, closed=True) == []


# --- place-level kinds -------------------------------------------------------------------------

CITY = [feature("1", DEMY_CITY), feature("2", {"amenity": "library", "name": "Bibliothèque Chantenay"}, lon=-1.60),
        feature("3", {"amenity": "library", "name": "Bibliothèque fermée"}, closed=True)]
OSM = [osm_place("n10", DEMY_OSM), osm_place("w12", {"amenity": "library", "name": "Ludothèque", "building": "yes"},
                                             lon=-1.50, lat=47.25),
       osm_place("n13", {"amenity": "library", "name": "Bibliothèque de Rezé"}, lon=-1.56, lat=47.18)]
MATCHES = [matched("1", "n10"), Match("2", None, "city_only", "none", 0.0), Match("3", None, "city_only", "none", 0.0),
           Match(None, "w12", "osm_only", "none", 0.0), Match(None, "n13", "osm_only", "none", 0.0)]


def test_missing_both_ways() -> None:
    differences = diff_dataset("libraries", CITY, OSM, MATCHES, SyncBase())
    kinds = {(d.kind, d.source_id, d.osm_key) for d in differences}
    assert kinds == {("missing_in_osm", "2", None), ("missing_in_city", None, "w12"), ("missing_in_city", None, "n13")}
    create = next(d for d in differences if d.kind == "missing_in_osm")
    assert create.proposal == "to_osm" and create.city_value == "amenity=library\nname=Bibliothèque Chantenay"
    candidate = next(d for d in differences if d.osm_key == "w12")
    assert candidate.proposal == "to_city" and candidate.category == "Bibliothèque"
    assert candidate.osm_value == "amenity=library\nname=Ludothèque"  # building=yes is no mapped key
    assert (candidate.lon, candidate.lat) == (-1.50, 47.25)


def test_osm_only_places_outside_the_area_are_left_out() -> None:
    nantes = box(-1.58, 47.20, -1.45, 47.30)  # contains w12, not n13 (Rezé)
    differences = diff_dataset("libraries", CITY, OSM, MATCHES, SyncBase(), area=nantes)
    assert [d.osm_key for d in differences if d.kind == "missing_in_city"] == ["w12"]


def test_a_partial_dataset_reports_no_osm_only_place() -> None:
    differences = diff_dataset("libraries", CITY, OSM, MATCHES, SyncBase(), report_osm_only=False)
    assert {d.kind for d in differences if d.source_id is None} == set()
    assert any(d.kind == "missing_in_osm" for d in differences)


def test_places_new_since_the_last_sync_say_which_side_changed() -> None:
    base = SyncBase(city_tags={"1": DEMY_CITY}, osm_tags={"n10": DEMY_OSM, "n13": dict(OSM[2].tags)})
    sides = {(d.source_id, d.osm_key): d.changed_side for d in diff_dataset("libraries", CITY, OSM, MATCHES, base)}
    # n13 was there, unlinked, at the last sync: neither side changed that it is OSM-only.
    assert sides == {("2", None): "city", (None, "w12"): "osm", (None, "n13"): "none"}


def test_ambiguous_and_duplicate_matches_need_review() -> None:
    matches = [Match("1", None, "ambiguous", "geometry", 0.5, candidates=("n13", "n10")),
               Match("2", "n10", "duplicate", "geometry+name", 0.8, candidates=("1",),
                     note=(Note("city_duplicate", {"twin": "1", "detail": " (same name)"}),)),
               Match(None, "w12", "duplicate", "geometry", 0.7, candidates=("n13",))]
    differences = diff_dataset("libraries", CITY, OSM, matches, SyncBase())
    assert [(d.kind, d.proposal, d.city_value, d.osm_value) for d in differences] == [
        ("ambiguous", "review", None, "n10, n13"),
        ("duplicate", "review", "1", None),
        ("duplicate", "review", None, "n13"),
    ]
    assert "same name" in render_notes(differences[1].note)


def test_output_order_is_deterministic_by_place_then_field() -> None:
    city = [feature(str(i), {**DEMY_CITY, "phone": f"02 40 41 95 {i:02d}", "email": "x@y.fr"}) for i in (10, 9, 2)]
    osm = [osm_place(f"n{i}", DEMY_OSM) for i in (10, 9, 2)]
    matches = [matched(str(i), f"n{i}") for i in (9, 10, 2)]
    differences = diff_dataset("libraries", city, osm, matches, SyncBase())
    assert [(d.source_id, d.field) for d in differences] == [
        ("2", "email"), ("2", "phone"), ("9", "email"), ("9", "phone"), ("10", "email"), ("10", "phone")]
    shuffled = diff_dataset("libraries", city[::-1], osm[::-1], matches[::-1], SyncBase())
    assert shuffled == differences


def test_a_tag_mapped_for_other_records_is_only_osm_where_this_record_left_it_empty() -> None:
    # The mapping records only the tags a record gave a value: record 2 has no e-mail in the city.
    with_email = feature("1", {**DEMY_CITY, "email": "bm@nantes.fr"})
    without = feature("2", {"amenity": "library", "name": "Bibliothèque Chantenay"})
    other_mapping = feature("3", {"amenity": "library", "name": "Bibliobus"}, mapping="bookmobiles")
    osm = [osm_place("n10", {**DEMY_OSM, "email": "bm@nantes.fr"}),
           osm_place("n11", {"amenity": "library", "name": "Bibliothèque Chantenay", "email": "chantenay@nantes.fr"}),
           osm_place("n12", {"amenity": "library", "name": "Bibliobus", "email": "bus@nantes.fr"})]
    differences = diff_dataset("libraries", [with_email, without, other_mapping], osm,
                               [matched("1", "n10"), matched("2", "n11"), matched("3", "n12")], SyncBase())
    assert [(d.source_id, d.field, d.kind, d.osm_value) for d in differences] == [
        ("2", "email", "only_osm", "chantenay@nantes.fr")]
    assert differences[0].city_field == "EMAIL"


def test_a_position_id_survives_a_nudge_of_a_metre() -> None:
    def drift(osm_lon: float) -> Difference:
        [difference] = diff_dataset("libraries", [feature("1", DEMY_CITY)], [osm_place("n10", DEMY_OSM, lon=osm_lon)],
                                    [matched("1", "n10")], SyncBase())
        return difference
    assert drift(-1.55282).id == drift(-1.55281).id  # about 0.8 m apart
    assert drift(-1.55282).id != drift(-1.55200).id  # about 60 m further


def test_national_numbers_are_read_in_the_country_the_dataset_points_to() -> None:
    city = [feature("1", {**DEMY_CITY, "phone": "47 83 12 900"})]
    polish = [osm_place("n10", {**DEMY_OSM, "phone": "478312900"}),  # national too: no help from this pair
              osm_place("n11", {"amenity": "library", "phone": "+48 22 621 13 41"}),
              osm_place("n12", {"amenity": "library", "addr:country": "PL"})]
    matches = [matched("1", "n10")]
    assert diff_dataset("libraries", city, polish, matches, SyncBase()) == []
    # Told the numbers are French, "47 83 12 900" is a Lyon number, not the Polish one.
    international = [osm_place("n10", {**DEMY_OSM, "phone": "+48 47 831 29 00"})]
    assert diff_dataset("libraries", city, international, matches, SyncBase()) == []
    [phone] = diff_dataset("libraries", city, international, matches, SyncBase(), region="FR")
    assert phone.kind == "differs"


def test_without_history_the_city_reference_tags_are_proposed_to_osm() -> None:
    authoritative = frozenset({"phone", "email", "name"})
    city = {**DEMY_CITY, "phone": "02 40 41 95 01", "email": "bm@nantes.fr", "name": "MÉDIATHÈQUE JACQUES DEMY",
            "ref:FR:NM": "NM-12", "opening_hours": "Tu-Sa 10:00-18:00"}
    osm = {**DEMY_OSM, "website": "https://bm.nantes.fr"}
    proposals = {d.field: (d.kind, d.proposal) for d in diff_one(city, osm, city_authoritative=authoritative)}
    assert proposals == {
        "phone": ("differs", "to_osm"),
        "email": ("only_city", "to_osm"),
        "ref:FR:NM": ("only_city", "to_osm"),  # the ref tag: only the city knows its own ids
        "name": ("minor", "disagreement"),  # case only: not worth an OSM edit
        "opening_hours": ("differs", "disagreement"),  # not a tag the city is the reference for
    }


def test_the_city_reference_never_asks_to_delete_an_osm_value_nor_overrides_history() -> None:
    authoritative = frozenset({"phone", "email"})
    fields = {**{k: k.upper() for k in DEMY_CITY}, "email": "MAIL"}
    [email] = diff_one(DEMY_CITY, {**DEMY_OSM, "email": "bm@nantes.fr"}, city_authoritative=authoritative,
                       field_of_tag=fields)
    assert (email.kind, email.proposal) == ("only_osm", "disagreement")
    [phone] = diff_one(DEMY_CITY, {**DEMY_OSM, "phone": "+33 2 40 41 95 00"},
                       base_with("02 40 41 95 95", "+33 2 40 41 95 95"), city_authoritative=authoritative)
    assert (phone.changed_side, phone.proposal) == ("osm", "to_city")


def test_osm_values_under_contact_keys_are_compared_with_the_plain_keys() -> None:
    osm = {k: v for k, v in DEMY_OSM.items() if k not in ("phone", "website")}
    same = {**osm, "contact:phone": "+33 2 40 41 95 95", "contact:website": "https://bm.nantes.fr/"}
    assert diff_one(DEMY_CITY, same) == []
    [phone] = diff_one(DEMY_CITY, {**same, "contact:phone": "+33 2 40 41 95 00"})
    assert (phone.kind, phone.field, phone.city_field) == ("differs", "contact:phone", "PHONE")
    assert phone.osm_value == "+33 2 40 41 95 00" and "contact:phone" in render_notes(phone.note)


def test_a_contact_key_the_mapping_maps_itself_is_not_borrowed() -> None:
    city = {**DEMY_CITY, "contact:phone": "02 40 41 95 00"}
    osm = {k: v for k, v in DEMY_OSM.items() if k != "phone"} | {"contact:phone": "+33 2 40 41 95 00"}
    [phone] = diff_one(city, osm)
    assert (phone.kind, phone.field, phone.osm_value) == ("only_city", "phone", None)


def test_a_place_open_in_the_city_but_disused_in_osm_says_so() -> None:
    disused = {k: v for k, v in DEMY_OSM.items() if k != "amenity"} | {"disused:amenity": "library"}
    [amenity] = diff_one(DEMY_CITY, disused)
    assert (amenity.kind, amenity.field, amenity.city_value) == ("only_city", "amenity", "library")
    assert "disused:amenity=library" in render_notes(amenity.note)
