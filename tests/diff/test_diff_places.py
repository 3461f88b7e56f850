"""The category of an OSM-only place: the most specific one, "unknown" when two fit equally well."""

from __future__ import annotations

from diff_builders import feature, osm_place

from osmbridge.diff import diff_dataset
from osmbridge.diff.places import UNKNOWN_CATEGORY, category_of, rules_of
from osmbridge.model import Match, SyncBase

RECYCLING = (("amenity", "recycling"),)
SPORT = (("leisure", "sports_hall"), ("leisure", "sports_centre"))


def _city() -> list:
    # Alphabetical order puts the composter first: the old rule gave every container its category.
    return [
        feature("1", {"amenity": "recycling"}, category="Composteur collectif", match_tags=RECYCLING,
                category_tags={"amenity": "recycling", "recycling_type": "container", "recycling:organic": "yes"}),
        feature("2", {"amenity": "recycling"}, category="Point d'apport volontaire", match_tags=RECYCLING,
                category_tags={"amenity": "recycling", "recycling_type": "container",
                               "recycling:glass_bottles": "yes"}),
        feature("3", {"leisure": "sports_hall"}, category="Gymnase", match_tags=SPORT,
                category_tags={"leisure": "sports_hall"}),
        feature("4", {"leisure": "sports_centre"}, category="Piscine",
                match_tags=(("leisure", "sports_centre"), ("leisure", "sports_hall"), ("leisure", "swimming_pool")),
                category_tags={"leisure": "sports_centre", "sport": "swimming"}),
        feature("5", {"amenity": "library"}, category="Bibliothèque", category_tags={"amenity": "library"}),
        feature("6", {"amenity": "library"}, category="Médiathèque", category_tags={"amenity": "library"}),
        feature("7", {"amenity": "townhall"}, category="Mairie", match_tags=(("amenity", "townhall"),),
                category_tags={"amenity": "townhall"}),
        feature("8", {"office": "government"}, category="Service public", match_tags=(("office", "*"),),
                category_tags={}),
        feature("9", {"office": "government"}, category="Impôts", match_tags=(("office", "government"),),
                category_tags={}),
    ]


def _category(**tags: str) -> str:
    return category_of(osm_place("n1", tags), rules_of(_city()))


def test_the_category_whose_own_tags_the_place_has_wins() -> None:
    assert _category(amenity="recycling", recycling_type="container", **{"recycling:glass_bottles": "yes"}) == (
        "Point d'apport volontaire")
    assert _category(amenity="recycling", recycling_type="container", **{"recycling:organic": "yes"}) == (
        "Composteur collectif")
    # A sports hall fits the pool's match tags too, but only the gymnasium's own tags.
    assert _category(leisure="sports_hall") == "Gymnase"
    assert _category(leisure="sports_centre", sport="swimming") == "Piscine"


def test_a_key_value_match_beats_a_key_star_match() -> None:
    assert _category(office="government") == "Impôts"
    assert _category(office="association") == "Service public"


def test_two_categories_equally_good_give_unknown() -> None:
    assert _category(amenity="library") == UNKNOWN_CATEGORY == "unknown"
    # A container with neither sub-tag fits both recycling categories as well.
    assert _category(amenity="recycling") == UNKNOWN_CATEGORY


def test_the_osm_only_difference_carries_the_category() -> None:
    city = _city()
    glass = osm_place("n20", {"amenity": "recycling", "recycling_type": "container",
                              "recycling:glass_bottles": "yes"})
    library = osm_place("n21", {"amenity": "library", "name": "Bibliothèque de Rezé"})
    matches = [Match(None, "n20", "osm_only", "none", 0.0), Match(None, "n21", "osm_only", "none", 0.0)]
    differences = diff_dataset("libraries", city, [glass, library], matches, SyncBase())
    assert {d.osm_key: d.category for d in differences} == {"n20": "Point d'apport volontaire", "n21": "unknown"}
