"""The real city datasets (read in place): counts against SOURCE.md, hand-checked rows, real defects."""

from __future__ import annotations

import json

import pytest
from shared_data import require_shared
from shapely.geometry import Point

from osmbridge.errors import BadRecord, SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources import read_city_places

UAI = "Identifiant_de_l_etablissement"
NANTES_THEMES = {"culture": 239, "enseignement": 564, "equipub-actionsociale": 254, "equipub-culte": 100,
                 "equipub-justice-securite": 90, "equipub-service-public": 375, "equipub-sportsloisirs": 530,
                 "equipub-vie-pratique": 447, "equipub-viesociale": 645, "mobilite": 408}


def read(spec: SourceSpec, id_field: str, skip_invalid: bool = False):
    return read_city_places(spec, dataset="real", id_field=id_field, licence="etalab-2.0", skip_invalid=skip_invalid)


def test_polish_register_all_rows_and_its_two_broken_coordinates() -> None:
    path = require_shared("poland-offices/policja/gov.csv")
    places, skipped = read(SourceSpec("csv", str(path)), "L.p.", skip_invalid=True)
    assert len(places) + len(skipped) == 1932  # SOURCE.md: 1,932 offices
    # Two rows write the latitude with both a point and a comma ("50.0539,04"): not a number, not guessed.
    assert [(s.origin, s.field, s.problem) for s in skipped] == [
        (f"{path}:1373", "SZEROKOŚĆ GEOGRAFICZNA", "latitude '50.0539,04' is not a number"),
        (f"{path}:1379", "SZEROKOŚĆ GEOGRAFICZNA", "latitude '50.2625,80' is not a number"),
    ]
    by_id = {p.source_id: p for p in places}
    assert by_id["1."].fields["NAZWA URZĘDU"] == "Dolnośląski Urząd Wojewódzki we Wrocławiu"
    assert by_id["1."].geometry.equals(Point(17.0496, 51.11))
    assert by_id["463."].geometry.x == pytest.approx(19.4768)  # written "19. 4768"
    assert by_id["1932."].fields["MIEJSCOWOŚĆ"] == "Wałcz"
    assert by_id["1932."].geometry.equals(Point(16.2739, 53.1601))
    assert sum("Policji" in p.fields["NAZWA URZĘDU"] for p in places) > 300  # SOURCE.md: about 320
    assert all(14.1 < p.geometry.x < 24.2 and 49.0 < p.geometry.y < 54.9 for p in places)  # inside Poland
    with pytest.raises(BadRecord, match=rf"gov.csv:1373: field 'SZEROKOŚĆ GEOGRAFICZNA'"):
        read(SourceSpec("csv", str(path)), "L.p.")


def test_annuaire_val_de_marne_and_its_lambert93_columns_agree() -> None:
    path = require_shared("annuaire-education-35-94/annuaire_94_val-de-marne_ecoles.csv")
    places, skipped = read(SourceSpec("csv", str(path)), UAI)
    assert len(places) == 613 and skipped == []  # SOURCE.md: 613 écoles
    first = places[0]
    assert first.source_id == "0940176F" and first.fields["Nom_commune"] == "Fresnes"
    assert first.geometry.equals(Point(2.3235583553613646, 48.75113972238502))
    # The same file gives Lambert-93 coordinates too: converting them must land on the published degrees.
    projected, _ = read(SourceSpec("csv", str(path), crs="EPSG:2154", lat_field="coordY_origine",
                                   lon_field="coordX_origine"), UAI)
    assert [p.source_id for p in projected] == [p.source_id for p in places]
    worst = max(max(abs(a.geometry.x - b.geometry.x), abs(a.geometry.y - b.geometry.y))
                for a, b in zip(places, projected, strict=True))
    assert worst < 1e-6  # degrees, about 10 cm


def test_annuaire_ille_et_vilaine_has_three_repeated_uai() -> None:
    path = require_shared("annuaire-education-35-94/annuaire_35_ille-et-vilaine_2023-06.csv")
    places, skipped = read(SourceSpec("csv", str(path)), UAI, skip_invalid=True)
    assert len(places) + len(skipped) == 996  # SOURCE.md: 996 rows
    assert [(s.origin.rsplit(":", 1)[1], s.problem.split(",")[0]) for s in skipped] == [
        ("940", "duplicate id '0352072M'"), ("961", "duplicate id '0350852L'"), ("974", "duplicate id '0350778F'")]
    assert skipped[0].problem.endswith(f"{path}:139")
    assert sum(p.fields["Nom_commune"] == "Rennes" for p in places) <= 193  # SOURCE.md: 193 rows in Rennes
    with pytest.raises(BadRecord, match=r":940: field 'Identifiant_de_l_etablissement': duplicate id '0352072M'"):
        read(SourceSpec("csv", str(path)), UAI)


def test_grenoble_bike_racks_both_releases() -> None:
    path = require_shared("grenoble-arceaux/arceaux_epsg4326-2023-07.geojson")
    places, skipped = read(SourceSpec("geojson", str(path)), "mob_arce_id")
    assert len(places) == 1144 and skipped == []  # SOURCE.md: 1144 points
    assert places[0].source_id == "46" and places[0].fields["mob_arce_nb"] == 1
    assert places[0].geometry.equals(Point(5.72616761182579, 45.1865894781128))
    older = require_shared("grenoble-arceaux/Arceaux_EPSG4326-2022-12.geojson")
    previous, _ = read(SourceSpec("geojson", str(older)), "mob_arce_id")  # upper-case MOB_ARCE_ID there
    assert len(previous) == 1144 and previous[0].fields["MOB_ARCE_ID"] == 46


def test_nantes_equipment_themes() -> None:
    total = 0
    for theme, count in NANTES_THEMES.items():
        path = require_shared(f"nantes-equipements-2014/{theme}.geo.json")
        places, skipped = read(SourceSpec("geojson", str(path)), "_IDOBJ")
        assert (len(places), skipped) == (count, []), theme
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        assert [p.fields["geo.name"] for p in places] == [f["properties"]["geo"]["name"] for f in features]
        # SOURCE.md gives the bbox rounded to 0.01 degree.
        assert all(-1.835 <= p.geometry.x <= -1.375 and 47.115 <= p.geometry.y <= 47.345 for p in places), theme
        total += len(places)
    assert total == 3652  # SOURCE.md: 3652 equipment records


def test_nantes_parks_have_no_id_field() -> None:
    path = require_shared("nantes-equipements-2014/equipub-parcs-jardins.geo.json")
    with pytest.raises(SourceError, match="the id field '_IDOBJ' is not among the fields"):
        read(SourceSpec("geojson", str(path)), "_IDOBJ")
