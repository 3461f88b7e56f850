"""Schools mapped as polygons in a real Paris 9e export: distance is to the edge, not the centroid."""

from __future__ import annotations

import pytest
from match_factories import by_city, by_osm
from pyproj import Geod
from shared_data import require_shared
from shapely.geometry import Point

from osmbridge.i18n import render_notes
from osmbridge.match import match_places
from osmbridge.model import CityFeature, CityPlace, TagFilter
from osmbridge.osm import read_osm_file

SCHOOL = ("amenity", "school")
# Lycée général Lamartine (UAI 0750670W), 121 rue du Faubourg-Poissonnière: its OSM polygon
# w377038968 is an L-shaped block; this point is 2 m inside its south-west corner, 56 m from the
# centroid. Collège Lamartine (n4786041265) is a separate school on the same block.
LYCEE_GATE = (2.348043001904915, 48.877888807070605)
COLLEGE = (2.3490357, 48.8784177)  # 3 m east of the collège's OSM node


def _feature(source_id: str, lon: float, lat: float, name: str, extra: dict[str, str] | None = None) -> CityFeature:
    tags = {"amenity": "school", "name": name, **(extra or {})}
    place = CityPlace("ecoles", source_id, Point(lon, lat), {}, "etalab-2.0", f"annuaire.csv:{source_id}")
    return CityFeature(place, "ecoles", "lycee", name, tags, (SCHOOL,), 30.0)


@pytest.fixture(scope="module")
def schools():
    return read_osm_file(require_shared("paris-9e-osm-2021/map.osm"), [TagFilter(*SCHOOL)])


def test_point_inside_a_school_polygon_is_at_distance_zero(schools) -> None:
    polygon = next(p for p in schools if p.key == "w377038968")
    centroid = polygon.geometry.centroid
    _, _, centroid_m = Geod(ellps="WGS84").inv(*LYCEE_GATE, centroid.x, centroid.y)
    assert centroid_m > 30  # a centroid matcher with this 30 m threshold would miss it
    features = [
        _feature("L", *LYCEE_GATE, "Lycée Lamartine"),
        _feature("C", *COLLEGE, "Collège Lamartine"),
    ]
    matches = by_city(match_places(features, schools))
    assert (matches["L"].status, matches["L"].osm_key) == ("matched", "w377038968")
    assert matches["L"].evidence.distance_m == 0.0
    # Two schools of one block, names differing in one word: each to its own.
    assert (matches["C"].status, matches["C"].osm_key) == ("matched", "n4786041265")
    assert 2.5 < matches["C"].evidence.distance_m < 3.5


def test_ref_uai_links_a_misplaced_record(schools) -> None:
    # The same lycée placed 400 m east of its gate (a geocoding slip), 330 m from the polygon's
    # nearest edge, but carrying its UAI.
    features = [_feature("L", LYCEE_GATE[0] + 0.0055, LYCEE_GATE[1], "Lycée Lamartine", {"ref:UAI": "0750670W"})]
    match = by_city(match_places(features, schools))["L"]
    assert (match.status, match.osm_key, match.method) == ("matched", "w377038968", "ref")
    assert match.evidence.ref_match and 300 < match.evidence.distance_m < 360
    assert "328 m apart" in render_notes(match.note)


def test_leftover_schools_are_osm_only_and_overlapping_schools_with_distinct_uai_are_not_duplicates(schools) -> None:
    features = [_feature("L", *LYCEE_GATE, "Lycée Lamartine")]
    leftovers = by_osm(match_places(features, schools))
    assert "w377038968" not in leftovers
    # Rocroy Saint-Vincent-de-Paul (relation) and the collège of the same name inside it carry
    # different UAIs: two schools, not one mapped twice.
    assert leftovers["r1796435"].status == "osm_only"
    assert leftovers["w133669396"].status == "osm_only"
    assert len(leftovers) == len(schools) - 1


@pytest.fixture(scope="module")
def shops():
    filters = [TagFilter("amenity", v) for v in ("pharmacy", "dentist", "cafe", "fast_food", "restaurant")]
    return read_osm_file(require_shared("paris-9e-osm-2021/map.osm"), filters)


def _poi(source_id: str, at_place, name: str, primary: tuple[str, str], match_tags) -> CityFeature:
    point = at_place.geometry
    place = CityPlace("commerces", source_id, Point(point.x, point.y), {}, "etalab-2.0", f"x.csv:{source_id}")
    return CityFeature(place, "commerces", primary[1], name, {primary[0]: primary[1], "name": name}, match_tags, 30.0)


def test_place_of_another_type_a_few_metres_away_is_no_candidate(shops) -> None:
    by_key = {p.key: p for p in shops}
    # Pharmacie Anglaise (n3286368365) and a dental laboratory (n4829548218, amenity=dentist) are
    # 4.9 m apart. The city's pharmacy point is put right on the laboratory.
    feature = _poi("P", by_key["n4829548218"], "Pharmacie Anglaise", ("amenity", "pharmacy"),
                   (("amenity", "pharmacy"), ("healthcare", "pharmacy")))
    match = by_city(match_places([feature], shops))["P"]
    assert (match.status, match.osm_key) == ("matched", "n3286368365")
    assert match.evidence.type_check == "same" and 4 < match.evidence.distance_m < 6


def test_within_a_compatible_family_the_name_decides(shops) -> None:
    by_key = {p.key: p for p in shops}
    # Café "Le Saint-Georges" (n4879142525) and fast food "Xin Kai Yue" (n4879421321), 4.1 m apart;
    # a mapping that lets cafés and fast foods stand for each other, city point on the fast food.
    family = (("amenity", "cafe"), ("amenity", "fast_food"), ("amenity", "restaurant"))
    feature = _poi("C", by_key["n4879421321"], "Le Saint Georges", ("amenity", "cafe"), family)
    match = by_city(match_places([feature], shops))["C"]
    assert (match.status, match.osm_key, match.method) == ("matched", "n4879142525", "geometry+name")
