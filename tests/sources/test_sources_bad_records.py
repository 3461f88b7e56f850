"""Bad records: each problem raises BadRecord naming record and field, or is skipped with --skip-invalid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osmbridge.errors import BadRecord, SourceError
from osmbridge.model import SkippedRecord, SourceSpec
from osmbridge.sources import read_city_places

BAD_CSV = Path(__file__).resolve().parent.parent / "data" / "sources" / "bad_records.csv"


def read(spec: SourceSpec, skip_invalid: bool = False):
    return read_city_places(spec, dataset="test", id_field="id", licence="ODbL-1.0", skip_invalid=skip_invalid)


def test_skip_invalid_reports_every_bad_line_and_keeps_the_good_ones() -> None:
    places, skipped = read(SourceSpec("csv", str(BAD_CSV)), skip_invalid=True)
    assert [p.source_id for p in places] == ["1", "12"]
    assert [p.origin for p in places] == [f"{BAD_CSV}:2", f"{BAD_CSV}:13"]
    by_line = {int(s.origin.rsplit(":", 1)[1]): s for s in skipped}
    assert sorted(by_line) == list(range(3, 13))
    assert all(isinstance(s, SkippedRecord) and s.origin.startswith(str(BAD_CSV)) for s in skipped)
    expected = {
        3: ("id", "missing id"),
        4: ("lon", "longitude -200 is out of range (-180..180)"),
        5: ("lat", "latitude and longitude look swapped: latitude 139.6917 is out of range"),
        6: ("lat", "latitude 'abc' is not a number"),
        7: ("lat", "empty geometry: no position in 'lat' and 'lon'"),
        8: ("id", f"duplicate id '1', already used by the record at {BAD_CSV}:2"),
        9: ("lat", "latitude -95 is out of range (-90..90)"),
        10: ("lat", "latitude and longitude are both 0"),
        11: ("lat", "x=332503.4 y=6776558.9 are not degrees: these look like projected coordinates; set crs"),
        12: (None, "has 5 fields where the header has 4"),
    }
    for line, (field, problem) in expected.items():
        assert (by_line[line].field, by_line[line].problem[: len(problem)]) == (field, problem), line


def test_without_skip_the_first_bad_record_raises_with_file_line_and_field() -> None:
    with pytest.raises(BadRecord) as error:
        read(SourceSpec("csv", str(BAD_CSV)))
    assert str(error.value) == (f"{BAD_CSV}:3: field 'id': missing id (the field is empty or absent). "
                                "Fix the record, or run with --skip-invalid to leave it out.")


def test_duplicate_id_names_both_origins(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id;lat;lon\nA;47.1;-1.5\nB;47.2;-1.5\nA;47.3;-1.5\n", encoding="utf-8")
    with pytest.raises(BadRecord, match=rf"dup.csv:4: field 'id': duplicate id 'A', already used by the record at "
                                        rf".*dup.csv:2"):
        read(SourceSpec("csv", str(path)))


def _geometry_records(tmp_path: Path, values: list[object]) -> Path:
    path = tmp_path / "shapes.json"
    path.write_text(json.dumps([{"id": n, "geom": value} for n, value in enumerate(values, start=1)]))
    return path


@pytest.mark.parametrize(("value", "problem"), [
    ("POINT (1 2", "is not valid WKT"),
    ("CIRCLE (1 2, 3)", "is not valid WKT"),
    ('{"type": "Point", "coordinates": [2.3, ', "not valid GeoJSON"),
    ({"type": "Polygon", "coordinates": [[1, 2]]}, "is not a valid GeoJSON geometry"),
    ({"type": "Feature", "geometry": None, "properties": {}}, "the GeoJSON feature has no geometry"),
    ("POINT EMPTY", "geometry is empty"),
    ({"type": "MultiPolygon", "coordinates": []}, "geometry is empty"),
    ({"type": "Point", "coordinates": [200.5, 45.0]}, "longitude 200.5 is out of range"),
    ("POINT (2.35 100)", "latitude 100 is out of range"),
    (12, "12 is neither WKT nor GeoJSON"),
])
def test_unusable_geometry_values(tmp_path: Path, value: object, problem: str) -> None:
    path = _geometry_records(tmp_path, ["POINT (2.35 48.85)", value])
    spec = SourceSpec("json", str(path), geometry_field="geom")
    with pytest.raises(BadRecord) as error:
        read(spec)
    assert error.value.origin == f"{path}#record 2"
    assert error.value.field == "geom"
    assert problem in error.value.problem
    places, skipped = read(spec, skip_invalid=True)
    assert [p.source_id for p in places] == ["1"] and len(skipped) == 1


def test_empty_geometry_value_is_reported(tmp_path: Path) -> None:
    path = _geometry_records(tmp_path, ["POINT (2.35 48.85)", None, "  "])
    places, skipped = read(SourceSpec("json", str(path), geometry_field="geom"), skip_invalid=True)
    assert [p.source_id for p in places] == ["1"]
    assert [(s.origin.rsplit("#", 1)[1], s.field, s.problem) for s in skipped] == [
        ("record 2", "geom", "empty geometry: no position in 'geom'"),
        ("record 3", "geom", "empty geometry: no position in 'geom'"),
    ]


def test_absent_or_empty_id_in_json(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text(json.dumps([{"id": 1, "lat": 48.1, "lon": 2.1}, {"lat": 48.2, "lon": 2.2},
                                {"id": " ", "lat": 48.3, "lon": 2.3}, {"id": [1, 2], "lat": 48.4, "lon": 2.4}]))
    places, skipped = read(SourceSpec("json", str(path)), skip_invalid=True)
    assert [p.source_id for p in places] == ["1"]
    assert [(s.origin.rsplit("#", 1)[1], s.field, s.problem) for s in skipped] == [
        ("record 2", "id", "missing id (the field is empty or absent)"),
        ("record 3", "id", "missing id (the field is empty or absent)"),
        ("record 4", "id", "the id is a JSON list, not a single value"),
    ]


def test_one_coordinate_missing_names_that_field(tmp_path: Path) -> None:
    path = tmp_path / "half.csv"
    path.write_text("id,latitude,longitude\n1,47.2,\n2,,-1.5\n3,47.2,-1.5\n", encoding="utf-8")
    _, skipped = read(SourceSpec("csv", str(path)), skip_invalid=True)
    assert [(s.field, s.problem) for s in skipped] == [
        ("longitude", "longitude is empty while latitude is set"),
        ("latitude", "latitude is empty while longitude is set"),
    ]


def test_plausible_but_swapped_values_are_not_guessed(tmp_path: Path) -> None:
    # Nantes with latitude and longitude exchanged is still a valid place (in Somalia's waters): no guess.
    path = tmp_path / "plausible.csv"
    path.write_text("id,lat,lon\n1,-1.5536,47.2184\n", encoding="utf-8")
    place = read(SourceSpec("csv", str(path)))[0][0]
    assert (place.geometry.x, place.geometry.y) == (47.2184, -1.5536)


def test_projected_coordinates_swapped_are_named(tmp_path: Path) -> None:
    path = tmp_path / "l93.csv"
    path.write_text("id;X;Y\n1;6776558.9;332503.4\n", encoding="utf-8")
    with pytest.raises(BadRecord, match=r"field 'Y': x and y look swapped: x=6776558.9 y=332503.4 lies outside the "
                                        r"area of EPSG:2154"):
        read(SourceSpec("csv", str(path), crs="EPSG:2154"))


def test_no_usable_record_at_all_is_a_source_error() -> None:
    # Lambert-93 columns read as degrees: every record is refused, which says the spec is wrong.
    lambert = BAD_CSV.parent / "lambert93.tsv"
    with pytest.raises(SourceError, match=r"lambert93.tsv: none of the 2 records could be used; the first: "
                                          r".*lambert93.tsv:2: field 'Y': x=700000 y=6600000 are not degrees.*"
                                          r"Check id_field in the mapping"):
        read_city_places(SourceSpec("csv", str(lambert)), dataset="t", id_field="code", licence="ODbL-1.0",
                         skip_invalid=True)
