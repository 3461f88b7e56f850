"""Messages that point at the right place: encodings, delimiters, id_field, file-level config errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.cli import main

MAPPING = """
[mapping]
name = "komisariaty"
id_field = "id"
name_field = "nazwa"
category_field = "typ"
[[category]]
values = ["Komisariat"]
tags = { amenity = "police" }
"""
ROWS = [("1", "Komisariat Policji Śródmieście", "Komisariat", "52.2297", "21.0122"),
        ("2", "Komisariat Policji Żoliborz", "Komisariat", "52.2690", "20.9860")]


def _polish_csv(path: Path) -> Path:
    lines = ["id;nazwa;typ;lat;lon", *(";".join(row) for row in ROWS)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1250"))
    return path


def test_mappings_check_reads_a_cp1250_file_with_encoding_and_delimiter(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "komisariaty.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    data = _polish_csv(tmp_path / "komisariaty.csv")
    code = main(["mappings", "check", str(mapping), "--data", str(data), "--encoding", "cp1250", "--delimiter", ";"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "2" in out and "Komisariat" in out


def test_a_wrong_encoding_suggests_central_european_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "komisariaty.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    data = _polish_csv(tmp_path / "komisariaty.csv")
    code = main(["mappings", "check", str(mapping), "--data", str(data), "--encoding", "utf-8"])
    err = capsys.readouterr().err
    assert code == 1
    [line] = err.strip().splitlines()
    assert str(data) in line and "--encoding" in line and "'cp1250'" in line and "'iso-8859-2'" in line


def test_match_takes_encoding_and_delimiter_and_points_at_id_field(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = _polish_csv(tmp_path / "komisariaty.csv")
    osm = tmp_path / "osm.osm"
    osm.write_text("<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n"
                   "<node id='1' version='1' lat='52.2297' lon='21.0122'><tag k='amenity' v='police'/>"
                   "<tag k='name' v='Komisariat Policji Śródmieście'/></node>\n</osm>\n", encoding="utf-8")
    out = tmp_path / "matches.csv"
    args = ["match", "--city", str(data), "--osm", str(osm), "--out", str(out), "--tag", "amenity=police",
            "--name-field", "nazwa", "--encoding", "cp1250", "--delimiter", ";"]
    assert main([*args, "--id-field", "id"]) == 0
    assert "1,n1," in out.read_text(encoding="utf-8")
    assert main([*args, "--id-field", "identifiant"]) == 1
    err = capsys.readouterr().err
    assert "id_field in the [mapping] table" in err and "--id-field" in err


def test_file_level_config_errors_name_no_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[store\n", encoding="utf-8")
    assert main(["run", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "not valid TOML" in err and "key '-'" not in err
