"""OSM corrections into a real PostGIS table, in one transaction ($OSMBRIDGE_TEST_POSTGRES_URL; .ci/run
installs PostGIS and creates the extension)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from postgres import server_url
from sqlalchemy import create_engine, text

from osmbridge.config_push import CityDatabaseConfig
from osmbridge.push.city_database import CityDatabaseError
from osmbridge.push.city_log import read_log
from osmbridge.push.city_push import CityTarget, push_to_city
from osmbridge.push.licence import check_to_city
from push.city_fixtures import ATTRIBUTION, correction_item
from push.push_fixtures import DATASET, MemoryLedger

ALLOWED = check_to_city("ODbL-1.0", ATTRIBUTION)
FIELDS = {"10": {"TELEPHONE": "02 40 00 00 00", "NOM": "Médiathèque", "PLACES": "120"},
          "11": {"TELEPHONE": "02 40 11 11 11", "NOM": "Mairie", "PLACES": "10"},
          "12": {"TELEPHONE": "02 40 22 22 22", "NOM": "Piscine", "PLACES": "300"}}


@pytest.fixture
def table() -> Iterator[tuple[str, str]]:
    url = server_url()
    name = f"city_equipements_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"""
            CREATE TABLE public.{name} (
                gid integer PRIMARY KEY, nom varchar(40) NOT NULL, telephone text, places integer,
                geom geometry(Point, 4326) NOT NULL)"""))
        connection.execute(text(f"""
            INSERT INTO public.{name} VALUES
              (10, 'Médiathèque', '02 40 00 00 00', 120, ST_SetSRID(ST_MakePoint(-1.55, 47.21), 4326)),
              (11, 'Mairie', '02 40 11 11 11', 10, ST_SetSRID(ST_MakePoint(-1.56, 47.22), 4326)),
              (12, 'Piscine', '02 40 22 22 22', 300, ST_SetSRID(ST_MakePoint(-1.57, 47.23), 4326))"""))
    yield url, name
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE public.{name}"))
    engine.dispose()


def rows(url: str, name: str) -> dict[int, tuple[object, ...]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text(f"SELECT gid, nom, telephone, places, ST_AsText(geom) FROM public.{name}"))
        result = {row[0]: tuple(row[1:]) for row in found}
    engine.dispose()
    return result


def target_for(url: str, name: str, tmp_path) -> CityTarget:
    return CityTarget(log=tmp_path / "city-changes.csv", database=CityDatabaseConfig(
        url=url, table=f"public.{name}", key_column="gid",
        columns={"TELEPHONE": "telephone", "NOM": "nom", "PLACES": "places"}))


def test_corrections_update_the_table_in_one_transaction(table, tmp_path):
    url, name = table
    its = [correction_item("10", "TELEPHONE", "phone", "+33 2 40 00 00 00", "+33 2 40 41 95 95", "n1"),
           correction_item("11", "PLACES", "capacity", "10", "12", "n2"),
           correction_item("12", "NOM", "name", "Piscine", "Piscine du Breil", "n3")]
    ledger = MemoryLedger(its)
    result = push_to_city(DATASET, its, ALLOWED, target_for(url, name, tmp_path), city_fields=FIELDS, ledger=ledger)
    assert len(result.written) == 3 and set(ledger.pushed) == {d.id for d, _ in its}
    assert rows(url, name) == {10: ("Médiathèque", "+33 2 40 41 95 95", 120, "POINT(-1.55 47.21)"),
                               11: ("Mairie", "02 40 11 11 11", 12, "POINT(-1.56 47.22)"),
                               12: ("Piscine du Breil", "02 40 22 22 22", 300, "POINT(-1.57 47.23)")}
    assert [c.target for c in read_log(tmp_path / "city-changes.csv")] == [f"table public.{name}"] * 3


@pytest.mark.parametrize("bad", [
    correction_item("12", "NOM", "name", "Piscine", "Piscine municipale olympique du quartier du Breil", "n3"),
    correction_item("12", "PLACES", "capacity", "300", "about 300", "n3"),
])
def test_a_bad_row_rolls_everything_back(table, tmp_path, bad):
    url, name = table
    before = rows(url, name)
    good = correction_item("10", "TELEPHONE", "phone", "+33 2 40 00 00 00", "+33 2 40 41 95 95", "n1")
    ledger = MemoryLedger([good, bad])
    with pytest.raises(CityDatabaseError, match=r"record '12', field '(NOM|PLACES)'.*rolled back"):
        push_to_city(DATASET, [good, bad], ALLOWED, target_for(url, name, tmp_path), city_fields=FIELDS,
                     ledger=ledger)
    assert rows(url, name) == before
    assert not ledger.pushed and not (tmp_path / "city-changes.csv").exists()


def test_a_value_changed_in_the_database_since_review_is_left_alone(table, tmp_path):
    url, name = table
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE public.{name} SET telephone = '02 40 99 99 99' WHERE gid = 10"))
    engine.dispose()
    its = [correction_item("10", "TELEPHONE", "phone", "+33 2 40 00 00 00", "+33 2 40 41 95 95", "n1"),
           correction_item("11", "PLACES", "capacity", "10", "12", "n2")]
    ledger = MemoryLedger(its)
    result = push_to_city(DATASET, its, ALLOWED, target_for(url, name, tmp_path), city_fields=FIELDS, ledger=ledger)
    assert [r.difference_id for r in result.stale] == ["10-TELEPHONE"]
    assert rows(url, name)[10][1] == "02 40 99 99 99" and rows(url, name)[11][2] == 12


def test_dry_run_rolls_back(table, tmp_path):
    url, name = table
    before = rows(url, name)
    its = [correction_item("11", "PLACES", "capacity", "10", "12", "n2")]
    result = push_to_city(DATASET, its, ALLOWED, target_for(url, name, tmp_path), city_fields=FIELDS,
                          ledger=MemoryLedger(its), dry_run=True)
    assert len(result.written) == 1 and rows(url, name) == before


def test_an_unmapped_column_is_named(table, tmp_path):
    url, name = table
    its = [correction_item("11", "HORAIRES", "opening_hours", None, "Mo-Fr 09:00-17:00", "n2")]
    with pytest.raises(CityDatabaseError, match="no column 'HORAIRES'"):
        push_to_city(DATASET, its, ALLOWED, target_for(url, name, tmp_path), city_fields=FIELDS,
                     ledger=MemoryLedger(its))
