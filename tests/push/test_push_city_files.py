"""OSM corrections into a patched copy of the city's CSV or GeoJSON, with the change log."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from osmbridge.model import SourceSpec
from osmbridge.push.city_log import COLUMNS, read_log
from osmbridge.push.city_push import CityTarget, push_to_city
from osmbridge.push.licence import check_to_city
from push.city_fixtures import ATTRIBUTION, correction_item
from push.push_fixtures import DATASET, MemoryLedger

ALLOWED = check_to_city("ODbL-1.0", ATTRIBUTION)
# Windows export: CP1252, `;`, CRLF, quoted cells, a trailing line without line break.
CSV_BYTES = ('id;nom;telephone;"site web";capacite\r\n'
             '1;"Médiathèque Jacques Demy";02 40 00 00 00;;120\r\n'
             '2;"Mairie annexe; Doulon";02 40 11 11 11;http://doulon.example;\r\n'
             '3;"Piscine du Breil";02 40 22 22 22;"http://breil.example";"300"').encode("cp1252")
FIELDS = {"1": {"id": "1", "nom": "Médiathèque Jacques Demy", "telephone": "02 40 00 00 00", "site web": "",
                "capacite": "120"},
          "2": {"id": "2", "nom": "Mairie annexe; Doulon", "telephone": "02 40 11 11 11",
                "site web": "http://doulon.example", "capacite": ""},
          "3": {"id": "3", "nom": "Piscine du Breil", "telephone": "02 40 22 22 22",
                "site web": "http://breil.example", "capacite": "300"}}


def items():
    return [correction_item("1", "telephone", "phone", "+33 2 40 00 00 00", "+33 2 40 41 95 95", "n1"),
            correction_item("2", "site web", "website", "http://doulon.example", "https://doulon.example.org", "n2"),
            correction_item("3", "nom", "name", "Piscine du Breil", "Piscine municipale du Breil", "n3")]


def csv_target(tmp_path: Path, data: bytes = CSV_BYTES) -> CityTarget:
    source = tmp_path / "equipements.csv"
    source.write_bytes(data)
    out = tmp_path / "out"
    return CityTarget(log=out / "city-changes.csv", source=SourceSpec("csv", str(source)), id_field="id",
                      output=out / "equipements.csv")


def test_csv_copy_keeps_encoding_delimiter_and_untouched_rows(tmp_path):
    target = csv_target(tmp_path)
    ledger = MemoryLedger(items())
    result = push_to_city(DATASET, items(), ALLOWED, target, city_fields=FIELDS, ledger=ledger,
                          clock=lambda: "2024-05-02T09:00:00+00:00")
    data = target.output.read_bytes()
    original_lines = CSV_BYTES.split(b"\r\n")
    lines = data.split(b"\r\n")
    assert lines[0] == original_lines[0] and len(lines) == len(original_lines)
    assert not data.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("cp1252"), newline=""), delimiter=";"))
    assert rows[1] == ["1", "Médiathèque Jacques Demy", "+33 2 40 41 95 95", "", "120"]
    assert rows[2] == ["2", "Mairie annexe; Doulon", "02 40 11 11 11", "https://doulon.example.org", ""]
    assert rows[3] == ["3", "Piscine municipale du Breil", "02 40 22 22 22", "http://breil.example", "300"]
    assert set(ledger.pushed) == {"1-telephone", "2-site web", "3-nom"}
    log = read_log(target.log)
    assert [(c.record, c.field, c.old, c.new, c.osm_element, c.attribution) for c in log] == [
        ("1", "telephone", "02 40 00 00 00", "+33 2 40 41 95 95", "n1", "© OpenStreetMap contributors"),
        ("2", "site web", "http://doulon.example", "https://doulon.example.org", "n2", "© OpenStreetMap contributors"),
        ("3", "nom", "Piscine du Breil", "Piscine municipale du Breil", "n3", "© OpenStreetMap contributors")]
    assert log[0].date == "2024-05-02T09:00:00+00:00" and log[0].osm_version == "1"
    header = target.log.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(";") == list(COLUMNS)
    assert result.written and not result.stale


def test_an_edited_value_and_a_utf8_bom_file(tmp_path):
    data = "\ufeffid,nom,telephone\n1,Médiathèque,02 40 00 00 00\n".encode()
    target = csv_target(tmp_path, data)
    item = correction_item("1", "telephone", "phone", "+33 2 40 00 00 00", "+33 2 40 41 95 95", "n1",
                           edited="+33 2 40 41 95 96")
    push_to_city(DATASET, [item], ALLOWED, target, city_fields={"1": {"telephone": "02 40 00 00 00"}},
                 ledger=MemoryLedger([item]))
    assert target.output.read_bytes() == "\ufeffid,nom,telephone\n1,Médiathèque,+33 2 40 41 95 96\n".encode()


def test_a_record_the_city_changed_since_review_is_left_alone(tmp_path):
    changed = CSV_BYTES.replace(b"02 40 00 00 00", b"02 40 99 99 99")
    target = csv_target(tmp_path, changed)
    ledger = MemoryLedger(items())
    result = push_to_city(DATASET, items(), ALLOWED, target, city_fields=FIELDS, ledger=ledger)
    assert [r.difference_id for r in result.stale] == ["1-telephone"] and "1-telephone" in ledger.stale
    assert b"02 40 99 99 99" in target.output.read_bytes()
    assert {c.record for c in read_log(target.log)} == {"2", "3"}


def test_a_blocked_licence_writes_nothing(tmp_path):
    target = csv_target(tmp_path)
    for verdict in (check_to_city("etalab-2.0", ATTRIBUTION), check_to_city("ODbL-1.0", "Ville de Test")):
        result = push_to_city(DATASET, items(), verdict, target, city_fields=FIELDS, ledger=MemoryLedger(items()))
        assert result.blocked == ("1-telephone", "2-site web", "3-nom")
        assert not target.output.exists() and not target.log.exists()


def test_a_repeated_push_writes_each_change_once_and_keeps_earlier_ones(tmp_path):
    target = csv_target(tmp_path)
    first, second = items()[:2], items()[2:]
    ledger = MemoryLedger(items())
    push_to_city(DATASET, first, ALLOWED, target, city_fields=FIELDS, ledger=ledger)
    # The city has not published the first copy yet: the second push still starts from its file.
    push_to_city(DATASET, second, ALLOWED, target, city_fields=FIELDS, ledger=ledger)
    rows = list(csv.reader(io.StringIO(target.output.read_bytes().decode("cp1252"), newline=""), delimiter=";"))
    assert rows[1][2] == "+33 2 40 41 95 95" and rows[3][1] == "Piscine municipale du Breil"
    # A crash after the log was written but before the items were marked: nothing is logged twice.
    push_to_city(DATASET, items(), ALLOWED, target, city_fields=FIELDS, ledger=MemoryLedger(items()))
    assert len(read_log(target.log)) == 3


def test_an_osm_tag_changed_since_review_is_not_copied(tmp_path, api, client):
    api.mapper_edit("n1", set_tags={"phone": "+33 2 40 41 95 97"})
    target = csv_target(tmp_path)
    ledger = MemoryLedger(items())
    # The OSM side is re-read; the reviewer saw the OSM value "+33 2 40 41 95 95".
    api.mapper_edit("n2", set_tags={"website": "https://doulon.example.org"})
    api.mapper_edit("n3", set_tags={"name": "Piscine municipale du Breil"})
    result = push_to_city(DATASET, items(), ALLOWED, target, city_fields=FIELDS, ledger=ledger, client=client)
    assert [r.difference_id for r in result.stale] == ["1-telephone"]
    log = {c.record: c for c in read_log(target.log)}
    assert set(log) == {"2", "3"} and log["2"].osm_version == "2" and log["2"].osm_changeset
    assert not any(r.method != "GET" for r in api.requests)


def test_geojson_keeps_properties_and_types(tmp_path):
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-1.55, 47.21]},
         "properties": {"id": 1, "nom": "Médiathèque", "capacite": 120, "telephone": None}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-1.56, 47.22]},
         "properties": {"id": 2, "nom": "Mairie", "capacite": 10, "telephone": "02 40"}}]}
    source = tmp_path / "equipements.geojson"
    source.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    target = CityTarget(log=tmp_path / "out" / "log.csv", source=SourceSpec("geojson", str(source)), id_field="id",
                        output=tmp_path / "out" / "equipements.geojson")
    its = [correction_item("1", "telephone", "phone", None, "+33 2 40 41 95 95", "n1", kind="only_osm"),
           correction_item("2", "capacite", "capacity", "10", "12", "n2")]
    fields = {"1": document["features"][0]["properties"], "2": document["features"][1]["properties"]}
    push_to_city(DATASET, its, ALLOWED, target, city_fields=fields, ledger=MemoryLedger(its))
    out = json.loads(target.output.read_text(encoding="utf-8"))
    assert out["features"][0]["properties"] == {"id": 1, "nom": "Médiathèque", "capacite": 120,
                                                "telephone": "+33 2 40 41 95 95"}
    assert list(out["features"][1]["properties"]) == ["id", "nom", "capacite", "telephone"]
    assert out["features"][1]["properties"]["capacite"] == 12
    assert out["features"][0]["geometry"] == document["features"][0]["geometry"]


def test_dry_run_writes_previews_and_marks_nothing(tmp_path):
    target = csv_target(tmp_path)
    ledger = MemoryLedger(items())
    result = push_to_city(DATASET, items(), ALLOWED, target, city_fields=FIELDS, ledger=ledger, dry_run=True)
    assert result.output.name == "equipements.preview.csv" and result.output.exists()
    assert not target.output.exists() and not target.log.exists() and not ledger.pushed


@pytest.mark.parametrize("kind", ["opendatasoft"])
def test_a_portal_source_says_what_to_do(tmp_path, kind):
    from osmbridge.push.city_files import CityFileError

    target = CityTarget(log=tmp_path / "log.csv", source=SourceSpec(kind, "https://data.example.org", "x"),
                        id_field="id", output=tmp_path / "copy.csv")
    with pytest.raises(CityFileError, match="database"):
        push_to_city(DATASET, items(), ALLOWED, target, city_fields=FIELDS, ledger=MemoryLedger(items()))
