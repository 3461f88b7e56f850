"""Real ZUS office hours (one column per weekday) against the opening_hours of their OSM nodes."""

from __future__ import annotations

import csv
import json

import pytest
from shapely.geometry import Point
from shared_data import require_shared

from osmbridge.diff import diff_dataset
from osmbridge.model import CityFeature, CityPlace, Difference, Match, OsmPlace, SyncBase

# Register office name -> OSM node, paired by reading names and streets.
PAIRS = {
    "Inspektorat ZUS Warszawa-Ochota": "n1783651941",  # OSM: Mo 08:00-17:00; Tu-Fr 08:00-15:00
    "Biuro Terenowe ZUS Warszawa-Ursynów": "n2778242630",  # OSM: Tu-Fr 08:00-15:00; Mo 08:00-17:00
    "Inspektorat ZUS w Ostrowi Mazowieckiej": "n4254443046",  # OSM: ...; Sa-Su off
    "Inspektorat ZUS Warszawa-Wola": "n3382639478",  # OSM: Mo 08:00-18:00; Tu-Fr 08:00-15:00
    "Inspektorat ZUS w Brodnicy": "n2289997455",  # OSM: Mo-Fr 08:00-15:00
}
WEEKDAYS = {"poniedzialek": "Mo", "wtorek": "Tu", "sroda": "We", "czwartek": "Th", "piatek": "Fr"}


def _hours(row: dict[str, str]) -> str:
    # The register's "08.00-17.00" per weekday column, written as one OSM rule per day.
    return "; ".join(f"{day} {row[column].strip().replace('.', ':')}" for column, day in WEEKDAYS.items())


@pytest.fixture(scope="module")
def differences() -> list[Difference]:
    register = require_shared("poland-offices/zus/gov.csv")
    with register.open(encoding="utf-8", newline="") as handle:
        rows = {row["nazwa"].strip(): row for row in csv.DictReader(handle) if row["nazwa"].strip() in PAIRS}
    elements = json.loads(require_shared("poland-offices/zus/osm_overpass.json").read_text(encoding="utf-8"))
    nodes = {f"n{e['id']}": e for e in elements["elements"] if e["type"] == "node"}
    assert set(rows) == set(PAIRS)
    city, osm, matches = [], [], []
    for name, key in PAIRS.items():
        node = nodes[key]
        at = Point(node["lon"], node["lat"])  # the register has no coordinates
        place = CityPlace("zus", name, at, dict(rows[name]), "other", f"gov.csv:{name}")
        tags = {"office": "government", "name": name, "opening_hours": _hours(rows[name])}
        city.append(CityFeature(place, "zus", "ZUS", name, tags, (("office", "government"),), 100.0,
                                osm_only=frozenset({"name", "office"}), field_of_tag={"opening_hours": "poniedzialek"}))
        osm.append(OsmPlace("n", node["id"], node.get("version", 0), at, node["tags"], at))
        matches.append(Match(name, key, "matched", "hand", 1.0))
    return diff_dataset("zus", city, osm, matches, SyncBase())


def test_same_week_written_otherwise_in_osm_is_no_difference(differences: list[Difference]) -> None:
    # Per-day rules vs "Mo ...; Tu-Fr ...", rules in another order, and an explicit "Sa-Su off".
    differing = {d.source_id for d in differences}
    assert not differing & {"Inspektorat ZUS Warszawa-Ochota", "Biuro Terenowe ZUS Warszawa-Ursynów",
                            "Inspektorat ZUS w Ostrowi Mazowieckiej"}


def test_a_different_monday_shows(differences: list[Difference]) -> None:
    by_office = {d.source_id: d for d in differences}
    assert set(by_office) == {"Inspektorat ZUS Warszawa-Wola", "Inspektorat ZUS w Brodnicy"}
    wola = by_office["Inspektorat ZUS Warszawa-Wola"]
    assert (wola.kind, wola.field, wola.osm_value) == ("differs", "opening_hours", "Mo 08:00-18:00; Tu-Fr 08:00-15:00")
    assert wola.city_field == "poniedzialek"
