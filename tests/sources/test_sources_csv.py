"""CSV sources: delimiters, encodings, decimal commas, column detection, WKT/GeoJSON columns, CRS."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point, Polygon

from osmbridge.errors import SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources import read_city_places

DATA = Path(__file__).resolve().parent.parent / "data" / "sources"


def read(path: Path | str, id_field: str = "id", **spec: object):
    places, skipped = read_city_places(SourceSpec("csv", str(path), **spec), dataset="test", id_field=id_field,
                                       licence="ODbL-1.0")
    assert skipped == []
    return places


def test_semicolon_polish_headers_decimal_commas_and_line_numbers() -> None:
    places = read(DATA / "offices_semicolon.csv", id_field="L.p.")
    assert [p.source_id for p in places] == ["1.", "2.", "3."]
    lodz, krakow, walcz = places
    assert (lodz.geometry.x, lodz.geometry.y) == (19.456, 51.7592)
    assert lodz.fields["MIEJSCOWOŚĆ"] == "Łódź"
    assert lodz.fields["Szerokość geograficzna"] == "51,7592"  # raw value kept
    assert krakow.fields["NAZWA URZĘDU"] == "Urząd Wojewódzki\r\nw Krakowie"
    # The quoted name spans lines 3-4, so the next record starts on physical line 5.
    assert [p.origin.rsplit(":", 1)[1] for p in places] == ["2", "3", "5"]
    assert walcz.geometry.x == pytest.approx(16.2739)  # "16. 2739": a stray space inside the number
    assert all(p.licence == "ODbL-1.0" and p.dataset == "test" for p in places)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [["id", "name", "lat", "lon"], ["a", "Mairie, annexe", "47.2", "-1.5"], ["b", "Poste", "47.3", "-1.6"]]
    text = "\n".join(delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in row) for row in rows)
    path = tmp_path / "places.csv"
    path.write_text(text + "\n", encoding="utf-8")
    places = read(path)
    assert [p.fields["name"] for p in places] == ["Mairie, annexe", "Poste"]
    assert places[1].geometry.equals(Point(-1.6, 47.3))


def test_spreadsheet_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\r\nid;nom;lat;lon\r\n1;Mairie, annexe;47,2;-1,5\r\n", encoding="utf-8")
    place = read(path)[0]
    assert (place.fields["nom"], place.origin) == ("Mairie, annexe", f"{path}:3")


def test_declared_delimiter_wins(tmp_path: Path) -> None:
    path = tmp_path / "pipes.csv"
    path.write_text("id|lat|lon\nx|47.2|-1.5\n", encoding="utf-8")
    assert read(path, delimiter="|")[0].geometry.equals(Point(-1.5, 47.2))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encoding_is_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "écoles.csv"
    path.write_bytes("Identifiant;Nom;Latitude;Longitude\n0350122T;École élémentaire Saint-Exupéry;48,11;-1,68\n"
                     .encode(encoding))
    place = read(path, id_field="Identifiant")[0]
    assert place.source_id == "0350122T"  # no BOM glued to the first column name
    assert place.fields["Nom"] == "École élémentaire Saint-Exupéry"


def test_cp1252_specific_characters(tmp_path: Path) -> None:
    path = tmp_path / "lieux.csv"
    path.write_bytes("id;nom;lat;lon\n1;Café « l’Œuf » – 5 €;47.2;-1.5\n".encode("cp1252"))
    assert read(path)[0].fields["nom"] == "Café « l’Œuf » – 5 €"


def test_declared_wrong_encoding_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("id;nom;lat;lon\n1;Crèche;47.2;-1.5\n".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin\.csv:2: not valid utf-8 \(byte 0xe8 at offset 19\)\. Set the file.s encoding.*cp1250"):
        read(path, encoding="utf-8")
    assert read(path, encoding="latin-1")[0].fields["nom"] == "Crèche"


def test_lambert93_columns_are_converted_to_wgs84() -> None:
    origin, school = read(DATA / "lambert93.tsv", id_field="code", crs="EPSG:2154", lat_field="Y", lon_field="X")
    # Lambert-93's projection origin: 3°E 46.5°N is defined as X=700000, Y=6600000.
    assert (origin.geometry.x, origin.geometry.y) == pytest.approx((3.0, 46.5), abs=1e-9)
    assert origin.source_id == "A1"  # stripped
    # Annuaire de l'éducation 0350122T gives both: 332503.4 / 6776558.9 and 47.98614492 / -1.92948950.
    assert (school.geometry.x, school.geometry.y) == pytest.approx((-1.9294895, 47.9861449), abs=1e-6)


def test_x_y_columns_are_detected_with_the_declared_crs() -> None:
    origin = read(DATA / "lambert93.tsv", id_field="code", crs="EPSG:2154")[0]
    assert (origin.geometry.x, origin.geometry.y) == pytest.approx((3.0, 46.5), abs=1e-9)


def test_wkt_column_point_polygon_and_ewkt_srid() -> None:
    point, square, ewkt = read(DATA / "shapes_wkt.csv")
    assert point.geometry.equals(Point(-1.5536, 47.2173))
    assert isinstance(square.geometry, Polygon) and square.geometry.area == pytest.approx(0.0001)
    assert (ewkt.geometry.x, ewkt.geometry.y) == pytest.approx((3.0, 46.5), abs=1e-9)


def test_geojson_column_preferred_to_geo_point_which_fills_in() -> None:
    park, rack = read(DATA / "shapes_geojson_column.csv")
    assert park.geometry.geom_type == "Polygon"
    assert rack.geometry.equals(Point(5.7262, 45.1866))  # "lat, lon" text of the Geo Point column


def test_no_coordinate_columns_lists_columns_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "noplace.csv"
    path.write_text("id;nom;adresse\n1;Mairie;1 rue X\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        read(path)
    message = str(error.value)
    assert "noplace.csv: no coordinate columns found among ['id', 'nom', 'adresse']" in message
    assert "lat_field" in message and "lon_field" in message and "geometry_field" in message


def test_ambiguous_coordinate_columns_ask_for_the_spec(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("id,lat_wgs84,lat_l93,lon\n1,47.2,6700000,-1.5\n", encoding="utf-8")
    with pytest.raises(SourceError, match="several columns could hold coordinates.*Set lat_field and lon_field"):
        read(path)
    assert read(path, lat_field="lat_wgs84", lon_field="lon")[0].geometry.equals(Point(-1.5, 47.2))


def test_declared_column_missing_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="lat_field 'LAT' of the source spec is not a column"):
        read(DATA / "shapes_wkt.csv", lat_field="LAT", lon_field="wkt")
    with pytest.raises(SourceError, match="only one of lat_field and lon_field"):
        read(DATA / "shapes_wkt.csv", lat_field="wkt")


def test_unknown_crs_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="unknown CRS 'EPSG:999999'"):
        read(DATA / "lambert93.tsv", id_field="code", crs="EPSG:999999")


def test_files_that_are_not_csv(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing.csv: file not found"):
        read(tmp_path / "missing.csv")
    with pytest.raises(SourceError, match="holds JSON, not CSV.*kind"):
        read(DATA / "mixed.geojson")
    binary = tmp_path / "data.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00\x08\x00binary")
    with pytest.raises(SourceError, match="data.xlsx: holds binary data"):
        read(binary)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(SourceError, match="empty.csv: the file is empty"):
        read(empty)
    header_only = tmp_path / "header.csv"
    header_only.write_text("id,lat,lon\n", encoding="utf-8")
    with pytest.raises(SourceError, match="header.csv: holds no records"):
        read(header_only)


def test_unknown_id_field_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="the id field 'uid' is not among the fields.*Set id_field"):
        read(DATA / "shapes_wkt.csv", id_field="uid")


def test_id_field_matches_ignoring_case_when_unique() -> None:
    assert [p.source_id for p in read(DATA / "shapes_wkt.csv", id_field="ID")] == ["p1", "z1", "e1"]
