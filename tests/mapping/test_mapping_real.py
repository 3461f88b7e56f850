"""The shipped mappings applied to their real data sets; counts checked by independent reading (csv/json)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from shared_data import ROOT, TEST_DATA, require_shared
from mapping_places import make_place
from osmbridge.mapping import apply_mapping, check_mapping, format_check, load_mapping
from osmbridge.model import CityPlace, SourceSpec
from osmbridge.normalize import parse_opening_hours
from osmbridge.sources import read_city_places

MAPPINGS = ROOT / "mappings"
NANTES = "nantes-equipements-2014"
NANTES_OWN_SCHEMA = {"equipub-parcs-jardins.geo.json": "nantes-parcs-jardins",
                     "equipub-jardins-familiaux.geo.json": "nantes-jardins-familiaux"}


def read(path: Path, id_field: str) -> list[CityPlace]:
    kind = "csv" if path.suffix == ".csv" else "geojson"
    places, _skipped = read_city_places(SourceSpec(kind=kind, location=str(path)), dataset=path.stem,
                                        id_field=id_field, licence="test", skip_invalid=True)
    return places


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def geojson_properties(path: Path) -> list[dict]:
    return [feature["properties"] for feature in json.loads(path.read_text(encoding="utf-8"))["features"]]


@pytest.mark.parametrize("path", sorted(MAPPINGS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_mapping_loads_and_is_commented(path: Path) -> None:
    mapping = load_mapping(path)
    assert mapping.name == path.stem
    assert path.read_text(encoding="utf-8").startswith("# ")
    assert mapping.osm_filters()


def test_every_nantes_record_is_covered() -> None:
    folder = require_shared(NANTES)
    equipment = load_mapping(MAPPINGS / "nantes-equipements.toml")
    files = sorted(folder.glob("*.geo.json"))
    assert len(files) == 13
    seen = 0
    for path in files:
        own = NANTES_OWN_SCHEMA.get(path.name)
        mapping = load_mapping(MAPPINGS / f"{own}.toml") if own else equipment
        places = read(path, mapping.id_field)
        check = check_mapping(mapping, places)
        assert check.uncovered == {}, f"{path.name}:\n{format_check(check)}"
        assert check.problems == [], f"{path.name}:\n{format_check(check)}"
        assert check.ok
        assert sum(check.covered.values()) + sum(n for n, _ in check.skipped.values()) == len(places)
        seen += len(places)
    # every feature of every file, except the one allotment garden without a name (its only id)
    total = sum(len(geojson_properties(path)) for path in files)
    assert seen == total - 1 == 3652 + 16 + 90 + 31 - 1


def test_nantes_equipment_tags() -> None:
    folder = require_shared(NANTES)
    mapping = load_mapping(MAPPINGS / "nantes-equipements.toml")
    paths = [p for p in sorted(folder.glob("*.geo.json")) if p.name not in NANTES_OWN_SCHEMA
             and p.name != "environnement-decheteries.geo.json"]
    places = [place for path in paths for place in read(path, "_IDOBJ")]
    features, skipped = apply_mapping(mapping, places)
    assert skipped == []
    properties = [props for path in paths for props in geojson_properties(path)]
    assert len(places) == len(properties) == 3652

    library_types = {("Médiathèque", "Bibliothèque"), ("Médiathèque", "Médiathèque"),
                     ("Etudiant", "Bibliothèque universitaire")}
    libraries = sum(1 for p in properties if (p["LIBCATEGORIE"], p["LIBTYPE"]) in library_types)
    assert sum(1 for f in features if f.tags.get("amenity") == "library") == libraries == 68
    maternelles = sum(1 for p in properties if p["LIBCATEGORIE"] == "Maternelle")
    assert sum(1 for f in features if f.tags.get("school:FR") == "maternelle") == maternelles == 122
    police = Counter(f.tags["police:FR"] for f in features if f.tags.get("amenity") == "police")
    assert police == {"gendarmerie": 15, "police_municipale": 15, "police": 12}

    by_id = {str(p["_IDOBJ"]): p for p in properties}
    assert all(f.tags["ref:FR:NM"] == f.source_id and f.source_id in by_id for f in features)
    with_phone = [f for f in features if by_id[f.source_id]["TELEPHONE"]]
    assert all("phone" in f.tags for f in with_phone)  # kept raw when not a number: nothing lost
    e164 = [f for f in with_phone if f.tags["phone"].startswith("+33")]
    assert len(e164) >= 0.98 * len(with_phone)
    library = next(f for f in features if f.source_id == "11")
    assert dict(library.tags) == {"amenity": "library", "ref:FR:NM": "11", "name": "Bibliothèque Breil Malville",
                                  "phone": "+33240760656", "addr:housenumber": "37B",
                                  "addr:street": "Rue des Plantes", "addr:postcode": "44100"}


def test_grenoble_racks_capacity_is_two_bikes_per_hoop() -> None:
    path = require_shared("grenoble-arceaux/arceaux_epsg4326-2023-07.geojson")
    mapping = load_mapping(MAPPINGS / "grenoble-arceaux.toml")
    features, skipped = apply_mapping(mapping, read(path, mapping.id_field))
    properties = geojson_properties(path)
    bike = [p for p in properties if p["mob_arce_typ"] != "arceaux moto"]
    assert skipped == [] and len(features) == len(bike) == 1142
    assert sum(int(f.tags["capacity"]) for f in features) == 2 * sum(p["mob_arce_nb"] for p in bike)
    assert {f.tags["bicycle_parking"] for f in features} == {"stands"}
    assert all(f.name is None and f.ref_tag is None and f.match_distance_m == 20 for f in features)
    assert check_mapping(mapping, read(path, mapping.id_field)).ok


def test_polish_register_gives_the_police_units_only() -> None:
    path = require_shared("poland-offices/policja/gov.csv")
    mapping = load_mapping(MAPPINGS / "poland-policja.toml")
    places = read(path, mapping.id_field)
    features, skipped = apply_mapping(mapping, places)
    rows = csv_rows(path)
    police_sites = {r["L.p."] for r in rows if "policja" in r["ADRES WWW URZĘDU"].lower()}
    named_policji = {r["L.p."] for r in rows if "Policji" in r["NAZWA URZĘDU"]}
    assert len(named_policji) == 320 and named_policji <= police_sites
    assert skipped == []
    assert {f.source_id for f in features} == police_sites and len(features) == 341
    assert {f.tags["amenity"] for f in features} == {"police"}
    check = check_mapping(mapping, places)
    assert check.ok and check.filtered_out == len(places) - 341
    wroclaw = next(f for f in features if f.source_id == "3.")
    assert dict(wroclaw.tags) == {
        "amenity": "police", "name": "Komenda Wojewódzka Policji we Wrocławiu", "phone": "+48478713400",
        "email": "kontaktkwp@wr.policja.gov.pl", "website": "http://www.dolnoslaska.policja.gov.pl",
        "addr:street": "Podwale", "addr:housenumber": "31-33", "addr:postcode": "50-040", "addr:city": "Wrocław"}
    phones = [f.tags.get("phone", "") for f in features]
    assert sum(p.startswith("+48") for p in phones) >= 335
    assert any(";" in p for p in phones)  # two phone columns joined as OSM does


def test_french_school_directory() -> None:
    paths = [require_shared("annuaire-education-35-94/annuaire_35_ille-et-vilaine_2023-06.csv"),
             require_shared("annuaire-education-35-94/annuaire_94_val-de-marne_ecoles.csv")]
    mapping = load_mapping(MAPPINGS / "fr-annuaire-education.toml")
    places = [place for path in paths for place in read(path, mapping.id_field)]
    check = check_mapping(mapping, places)
    assert check.ok, format_check(check)
    features, skipped = apply_mapping(mapping, places)
    assert skipped == []

    first_rows: dict[str, dict[str, str]] = {}
    for path in paths:  # the reader keeps the first of duplicated UAIs
        for row in csv_rows(path):
            first_rows.setdefault(row["Identifiant_de_l_etablissement"], row)
    assert len(places) == len(first_rows)
    by_type = Counter(f.tags.get("school:FR") for f in features)
    nature = [r["libelle_nature"] for r in first_rows.values()]
    assert by_type["maternelle"] == sum(n.startswith("ECOLE MATERNELLE") for n in nature)
    elementary = [r for r in first_rows.values() if r["Type_etablissement"] == "Ecole"
                  and not r["libelle_nature"].startswith("ECOLE MATERNELLE")]
    assert by_type["primaire"] == sum(r["Ecole_maternelle"] == "1" for r in elementary)
    assert by_type["élémentaire"] == sum(r["Ecole_maternelle"] != "1" for r in elementary)
    assert by_type["collège"] == sum(r["Type_etablissement"] == "Collège" for r in first_rows.values())
    assert by_type["lycée"] == sum(r["Type_etablissement"] == "Lycée" for r in first_rows.values())
    administrative = sum(r["Type_etablissement"] in {"Service Administratif", "Information et orientation",
                                                     "Médico-social"} for r in first_rows.values())
    assert len(features) == len(first_rows) - administrative
    assert all(f.tags["ref:UAI"] == f.source_id for f in features)
    assert all(f.tags["amenity"] in {"school", "college"} for f in features)
    lucioles = next(f for f in features if f.source_id == "0350122T")
    assert (lucioles.tags["school:FR"], lucioles.tags["phone"], lucioles.tags["addr:street"],
            lucioles.tags["addr:postcode"]) == ("primaire", "+33299853802", "Rue Philippe", "35580")
    # the 94 file spells the postcode column "Code_postal": the alternative field is used
    creteil = next(f for f in features if f.tags["ref:UAI"].startswith("094"))
    assert creteil.field_of_tag["addr:postcode"] == "Code_postal" and len(creteil.tags["addr:postcode"]) == 5


def test_weekday_hour_columns_of_the_polish_zus_register() -> None:
    path = require_shared("poland-offices/zus/gov.csv")
    mapping = load_mapping(TEST_DATA / "mapping" / "zus-hours.toml")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    places = [make_place(str(index), **row) for index, row in enumerate(rows)]
    features, skipped = apply_mapping(mapping, places)
    assert skipped == [] and len(features) == len(rows) == 315
    days = ["poniedzialek", "wtorek", "sroda", "czwartek", "piatek"]
    usual = [r for r in rows if [r[d] for d in days] == ["08.00-17.00"] + ["08.00-15.00"] * 4]
    hours = Counter(f.tags["opening_hours"] for f in features)
    assert hours["Mo 08:00-17:00; Tu-Fr 08:00-15:00"] == len(usual) >= 300
    assert all(parse_opening_hours(value).ok for value in hours)
    bialystok = features[0]
    assert {k: bialystok.tags[k] for k in ("addr:street", "addr:housenumber", "addr:postcode", "addr:city")} == {
        "addr:street": "Młynowa", "addr:housenumber": "29", "addr:postcode": "15-404", "addr:city": "Białystok"}
    assert bialystok.field_of_tag["opening_hours"] == "poniedzialek"
    assert check_mapping(mapping, places).warnings == []
