"""Hand-checked links between the Polish police register and OSM amenity=police (all of Poland)."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
from shared_data import require_shared
from match_factories import by_city
from shapely.geometry import Point

from osmbridge.match import match_places
from osmbridge.model import CityFeature, CityPlace, TagFilter
from osmbridge.osm import read_osm_file


def _register_police(path) -> list[CityFeature]:
    """Return the police units of the register as city features (by website, as the mapping does)."""
    features = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if "policja" not in (row["ADRES WWW URZĘDU"] or "").lower():
                continue
            lat = float(row["SZEROKOŚĆ GEOGRAFICZNA"].replace(",", "."))
            lon = float(row["DŁUGOŚĆ GEOGRAFICZNA"].replace(",", "."))
            name = " ".join(row["NAZWA URZĘDU"].split())
            tags = {
                "amenity": "police",
                "name": name,
                # Polish OSM leaves "ul." out of addr:street.
                "addr:street": re.sub(r"^ul\.\s*", "", row["ULICA"].strip()),
                "addr:housenumber": row["NR DOMU"].strip(),
            }
            place = CityPlace("policja", row["L.p."].strip(), Point(lon, lat), dict(row), "other", f"gov.csv:{row['L.p.']}")
            features.append(CityFeature(place, "poland-policja", "police", name, tags, (("amenity", "police"),), 150.0))
    return features


@pytest.fixture(scope="module")
def police():
    folder = require_shared("poland-offices/policja")
    features = _register_police(folder / "gov.csv")
    places = read_osm_file(folder / "osm_overpass.json", [TagFilter("amenity", "police")])
    matches = match_places(features, places)
    names = {place.key: place.tags.get("name") for place in places}
    return features, matches, names


def _of(features, matches, register_name: str):
    """Return the match of the register row with this name (unique in the register)."""
    rows = [f.source_id for f in features if f.name == register_name]
    assert len(rows) == 1, register_name
    return by_city(matches)[rows[0]]


@pytest.mark.parametrize(
    ("register_name", "osm_key", "osm_name"),
    [
        # The OSM name is the abbreviation of the register's.
        ("Komenda Powiatowa Policji w Jarosławiu", "w252809277", "KPP w Jarosławiu"),
        # Abbreviation and a different grammatical case of the town.
        ("Komenda Powiatowa Policji w Strzyżowie", "w353644809", "KPP Strzyżów"),
        # OSM says only "KPP"; the address (Zgromadzenia Księży Zmartwychwstańców 2) agrees.
        ("Komenda Powiatowa Policji w Kościerzynie", "w271555562", "KPP"),
        ("Komenda Powiatowa Policji w Pucku", "n1192380465", "Komenda Powiatowa Policji Puck"),
    ],
)
def test_abbreviated_osm_names_link(police, register_name: str, osm_key: str, osm_name: str) -> None:
    features, matches, names = police
    match = _of(features, matches, register_name)
    assert (match.status, match.osm_key, match.method) == ("matched", osm_key, "geometry+name")
    assert names[osm_key] == osm_name
    assert match.evidence.name_similarity >= 85 and match.evidence.distance_m < 30


def test_unnamed_osm_place_links_when_the_address_agrees(police) -> None:
    features, matches, names = police
    match = _of(features, matches, "Komenda Powiatowa Policji w Sanoku")
    assert (match.status, match.osm_key, match.method) == ("matched", "n983822610", "geometry")
    assert names["n983822610"] is None and match.evidence.address_agrees is True


def test_register_roman_house_numbers_agree_with_osm(police) -> None:
    # The register writes "Asnyka III-V", OSM "Adama Asnyka 3".
    features, matches, _ = police
    match = _of(features, matches, "Komenda Miejska Policji w Legnicy")
    assert match.osm_key == "n9899536058" and match.evidence.address_agrees is True


def test_unnamed_building_without_address_goes_to_review(police) -> None:
    features, matches, names = police
    match = _of(features, matches, "KPP Sieradz")
    assert match.status == "ambiguous" and match.candidates == ("w176320635",)
    assert names["w176320635"] is None


def test_register_listing_one_headquarters_twice_is_a_duplicate(police) -> None:
    features, matches, _ = police
    rows = [f.source_id for f in features if f.name == "Komenda Miejska Policji w Białymstoku"]
    assert len(rows) == 2
    statuses = sorted(by_city(matches)[row].status for row in rows)
    assert "duplicate" in statuses
    twin = next(by_city(matches)[row] for row in rows if by_city(matches)[row].status == "duplicate")
    assert twin.candidates and twin.candidates[0] in rows


def test_one_match_per_record_and_no_osm_place_linked_twice(police) -> None:
    features, matches, _ = police
    assert [m.source_id for m in matches[: len(features)]] == [f.source_id for f in features]
    linked = [m.osm_key for m in matches if m.status == "matched"]
    assert len(linked) == len(set(linked))
    assert all(m.source_id is None for m in matches[len(features):])
    counts = Counter(m.status for m in matches[: len(features)])
    # SOURCE.md: roughly 287 of 320 headquarters have an OSM amenity=police within 150 m.
    assert 260 <= counts["matched"] <= len(features)
