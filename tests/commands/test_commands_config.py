"""`osmbridge config check`: every problem of a config found without running it; the key reference is complete."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from osmbridge.cli import main
from osmbridge.config import SOURCE_KEYS
from osmbridge.producers_config import PRODUCER_KEYS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "configuration.md"


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """A demo town's files (no run needed): config, mapping, data."""
    from osmbridge.demo.generate import generate_town

    generate_town(tmp_path, seed=7, size=60)
    return tmp_path


def test_a_good_config_checks_ok(town: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", "--config", str(town / "config.toml")]) == 0
    out = capsys.readouterr().out
    assert "demo-equipements: OK" in out and "city-current.geojson" in out
    assert not (town / "reports").exists() and not (town / "state.sqlite").exists()  # nothing run, nothing written


def test_every_problem_is_listed_with_its_key(town: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (town / "mapping.toml").write_text("[mapping]\nname = 'x'\n", encoding="utf-8")  # no id_field
    (town / "city-current.geojson").unlink()
    (town / "osm-current.osm").unlink()
    assert main(["config", "check", "--config", str(town / "config.toml")]) == 1
    out = capsys.readouterr().out
    assert "datasets.demo-equipements.mapping:" in out and "[[category]]" in out
    assert f"datasets.demo-equipements.source.location: {town / 'city-current.geojson'}: file not found" in out
    assert "osm.extract" in out and "osm-current.osm: file not found" in out
    assert "4 problem(s)" in out  # the extract is missing for the demo's two datasets


def test_an_unknown_key_stops_the_check(town: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = town / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('kind = "geojson"', 'kind = "geojson"\nencodage = "x"'),
                      encoding="utf-8")
    assert main(["config", "check", "--config", str(config)]) == 1
    assert "datasets.demo-equipements.source.encodage" in capsys.readouterr().err


def test_shipped_config_checks_ok_and_says_how(capsys: pytest.CaptureFixture[str]) -> None:
    assert "osmbridge config check" in (ROOT / "config.toml").read_text(encoding="utf-8")
    assert main(["config", "check", "--config", str(ROOT / "config.toml")]) == 0


def _only_keys_sets() -> set[str]:
    """Every key the config reader accepts, read from its only_keys(...) calls and SOURCE_KEYS."""
    tree = ast.parse((ROOT / "osmbridge" / "config.py").read_text(encoding="utf-8"))
    keys = set(SOURCE_KEYS)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "only_keys":
            for argument in node.args:
                if isinstance(argument, ast.Set):
                    keys |= {element.value for element in argument.elts if isinstance(element, ast.Constant)}
    return keys


def test_every_key_is_in_the_reference() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", REFERENCE.read_text(encoding="utf-8"), re.M))
    tables = {"store", "reports", "osm", "datasets", "source", "area", "service", "notify", "web", "osm_api"}  # sections
    assert SOURCE_KEYS <= documented
    assert PRODUCER_KEYS <= documented
    assert _only_keys_sets() - tables <= documented
