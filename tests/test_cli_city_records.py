"""`osmbridge run` and `osmbridge mappings check` read city records the same way: they agree on which
records are bad, both leave alone the records the mapping does not cover, and check lists what run would
stop on."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_data import ROOT, require_shared

from osmbridge.cli import main

MAPPING = """
[mapping]
name = "libraries"
id_field = "id"
name_field = "nom"
[[mapping.filter]]
field = "type"
values = ["bibliothèque"]
[[category]]
tags = { amenity = "library" }
"""
OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" version="1" lat="47.2181" lon="-1.5530"><tag k="amenity" v="library"/><tag k="name" v="A"/></node>
  <node id="2" version="1" lat="47.2400" lon="-1.5600"><tag k="amenity" v="library"/><tag k="name" v="B"/></node>
</osm>
"""


def write(folder: Path, rows: str) -> tuple[Path, Path]:
    (folder / "libraries.toml").write_text(MAPPING, encoding="utf-8")
    (folder / "libraries.csv").write_text("id,nom,type,lat,lon\n" + rows, encoding="utf-8")
    (folder / "nantes.osm").write_text(OSM, encoding="utf-8")
    (folder / "config.toml").write_text(
        '[store]\nurl = "sqlite:///state.sqlite"\n[osm]\nbackend = "extract"\nextract = "nantes.osm"\n'
        '[datasets.libraries]\nlicence = "ODbL-1.0"\nmapping = "libraries.toml"\n'
        '[datasets.libraries.source]\nkind = "csv"\nlocation = "libraries.csv"\n'
        '[datasets.libraries.area]\nbbox = [47.08, -1.85, 47.35, -1.35]\n', encoding="utf-8")
    return folder / "libraries.toml", folder / "libraries.csv"


def both(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[tuple[int, str], tuple[int, str]]:
    """(exit code, output) of `mappings check`, then of `run`."""
    check = main(["mappings", "check", str(folder / "libraries.toml"), "--data", str(folder / "libraries.csv")])
    check_out = capsys.readouterr().out
    run = main(["--quiet", "run", "--config", str(folder / "config.toml")])
    return (check, check_out), (run, capsys.readouterr().err)


def test_a_bad_latitude_fails_check_as_it_fails_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = write(tmp_path, "1,A,bibliothèque,47.2181,-1.5530\n2,B,bibliothèque,47.24O0,-1.5600\n")
    (check, out), (run, err) = both(tmp_path, capsys)
    problem = f"{data}:3: field 'lat': latitude '47.24O0' is not a number"
    assert run == 1 and problem in err
    assert check == 1 and f"  - {problem}" in out and "1 unreadable / illisibles" in out
    assert out.rstrip().endswith("NOT OK / À CORRIGER")


def test_a_truncated_file_fails_check_as_it_fails_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = write(tmp_path, "1,A,bibliothèque,47.2181,-1.5530\n2,B,biblioth")
    (check, out), (run, err) = both(tmp_path, capsys)
    problem = f"{data}:3: has 3 fields where the header has 5, and is the last record: the file looks cut off"
    assert run == 1 and problem in err
    assert check == 1 and f"  - {problem}" in out


def test_a_bad_record_outside_the_filter_fails_neither(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "1,A,bibliothèque,47.2181,-1.5530\n2,B,bibliothèque,47.2400,-1.5600\n"
                    "3,Piscine,piscine,47.2O,-1.5\n")
    (check, out), (run, err) = both(tmp_path, capsys)
    assert check == 0 and "1 outside its filters" in out and "0 unreadable" in out and out.rstrip().endswith("OK")
    assert run == 0 and err == ""


def test_the_polish_police_register_runs_without_skip_invalid(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Its two latitudes like "50.0539,04" are on fire-service rows, outside the police mapping's filter."""
    register = require_shared("poland-offices/policja/gov.csv")
    (tmp_path / "config.toml").write_text(
        f'[store]\nurl = "sqlite:///state.sqlite"\n[osm]\nbackend = "extract"\n'
        f'extract = "{require_shared("poland-offices/policja/osm_overpass.json")}"\n'
        f'[datasets.policja]\nlicence = "unknown"\nmapping = "{ROOT}/mappings/poland-policja.toml"\n'
        f'[datasets.policja.source]\nkind = "csv"\nlocation = "{register}"\n', encoding="utf-8")
    assert main(["--quiet", "run", "--config", str(tmp_path / "config.toml")]) == 0
    assert "policja: 341 city places" in capsys.readouterr().out
    assert main(["mappings", "check", str(ROOT / "mappings" / "poland-policja.toml"), "--data", str(register)]) == 0
    assert "1591 outside its filters" in capsys.readouterr().out
