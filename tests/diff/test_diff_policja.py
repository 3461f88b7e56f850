"""Real rows of the Polish police register paired by hand with their OSM amenity=police nodes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from shapely.geometry import Point
from shared_data import require_shared

from osmbridge.diff import diff_dataset
from osmbridge.model import CityFeature, CityPlace, Difference, Match, OsmPlace, SyncBase

# Register row number (column "L.p.") -> OSM node, paired by reading names and addresses.
PAIRS = {"621.": "n584464120", "282.": "n371631938", "1717.": "n513673350", "1580.": "n476214101"}
PHONE_COLUMNS = ("NR TELEFONU wraz z nr kierunkowym", "NR TELEFONU 2 wraz z nr kierunkowym")


def _register_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["L.p."]: row for row in csv.DictReader(handle, delimiter=";") if row["L.p."] in PAIRS}


def _feature(row: dict[str, str]) -> CityFeature:
    phones = "; ".join(row[c].strip() for c in PHONE_COLUMNS if row[c].strip())
    fax_column = next(c for c in row if c.startswith("NR FAXU ") and "2" not in c)
    tags = {"amenity": "police", "name": row["NAZWA URZĘDU"].strip(), "phone": phones,
            "fax": row[fax_column].strip(), "website": row["ADRES WWW URZĘDU"].strip()}
    place = CityPlace("policja", row["L.p."], Point(float(row["DŁUGOŚĆ GEOGRAFICZNA"]),
                                                     float(row["SZEROKOŚĆ GEOGRAFICZNA"])),
                      dict(row), "other", f"gov.csv:{row['L.p.']}")
    return CityFeature(place, "policja", "police", tags["name"], tags, (("amenity", "police"),), 150.0,
                       field_of_tag={"name": "NAZWA URZĘDU", "phone": PHONE_COLUMNS[0], "fax": fax_column,
                                     "website": "ADRES WWW URZĘDU"})


def _osm_places(path: Path) -> list[OsmPlace]:
    wanted = {int(key[1:]) for key in PAIRS.values()}
    elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
    return [OsmPlace("n", e["id"], e.get("version", 0), Point(e["lon"], e["lat"]), e["tags"], Point(e["lon"], e["lat"]))
            for e in elements if e["type"] == "node" and e["id"] in wanted]


@pytest.fixture(scope="module")
def differences() -> list[Difference]:
    rows = _register_rows(require_shared("poland-offices/policja/gov.csv"))
    osm = _osm_places(require_shared("poland-offices/policja/osm_overpass.json"))
    assert len(rows) == len(osm) == len(PAIRS)
    city = [_feature(rows[number]) for number in PAIRS]
    matches = [Match(number, key, "matched", "hand", 1.0) for number, key in PAIRS.items()]
    return diff_dataset("policja", city, osm, matches, SyncBase())


def _of(differences: list[Difference], number: str) -> dict[str | None, Difference]:
    return {d.field: d for d in differences if d.source_id == number}


def test_register_phones_and_www_in_national_format_agree_with_osm(differences: list[Difference]) -> None:
    # Tarnów: "47 83 12 900" / "+48 47 831 29 00" and "tarnow.policja.gov.pl" / "https://tarnow.policja.gov.pl/".
    tarnow = _of(differences, "621.")
    assert "phone" not in tarnow and "website" not in tarnow and "name" not in tarnow
    assert tarnow["fax"].kind == "only_city"  # OSM has no fax for this station


def test_www_prefix_and_scheme_do_not_count(differences: list[Difference]) -> None:
    # "www.chelm.policja.gov.pl", "http://www.wagrowiec.policja.gov.pl/", "nidzica.policja.gov.pl".
    assert not [d for d in differences if d.field == "website"]


def test_really_different_numbers_show(differences: list[Difference]) -> None:
    for number in ("282.", "1717.", "1580."):
        phone = _of(differences, number)["phone"]
        assert phone.kind == "differs"
        assert phone.city_field == PHONE_COLUMNS[0]
        assert (phone.changed_side, phone.proposal) == ("unknown", "disagreement")


def test_positions_over_half_the_match_distance_show_as_drift(differences: list[Difference]) -> None:
    # The register rounds coordinates to 4 decimals; Tarnów's is about 100 m off the OSM node.
    drift = _of(differences, "621.")[None]
    assert drift.kind == "position" and drift.distance_m is not None and 90 < drift.distance_m < 110
    chelm = _of(differences, "282.")
    assert None not in chelm  # about 10 m apart
