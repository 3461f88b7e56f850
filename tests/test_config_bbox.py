"""A dataset's area bbox in config.toml: each mistake is named with the file, the key and what is expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.cli import main
from osmbridge.config import load_config
from osmbridge.errors import ConfigError

CONFIG = """
[osm]
backend = "extract"
extract = "city.osm"
[datasets.libraries]
licence = "ODbL-1.0"
mapping = "libraries.toml"
[datasets.libraries.source]
kind = "csv"
location = "libraries.csv"
[datasets.libraries.area]
bbox = {bbox}
"""


@pytest.mark.parametrize(("bbox", "problem"), [
    ("[47.3, -1.8, 47.1, -1.4]", "south 47.3 is not below north 47.1"),
    ("[47.1, -1.4, 47.3, -1.8]", "west -1.4 is not below east -1.8 (a bbox across the antimeridian is not supported)"),
    ("[47.1, -1.8, 47.1, -1.4]", "south 47.1 is not below north 47.1"),
    ("[-95, -1.8, 47.3, -1.4]", "south -95 is not a latitude (-90..90)"),
    ("[47.1, -1.8, 47.3, 181]", "east 181 is not a longitude (-180..180)"),
    # Bangkok written [west, south, east, north]: 100.3 cannot be a latitude.
    ("[100.3, 13.5, 100.9, 14.0]", "south 100.3 is not a latitude (-90..90): [100.3, 13.5, 100.9, 14] looks "
                                   "written [west, south, east, north]; write [13.5, 100.3, 14, 100.9]"),
])
def test_a_wrong_bbox_says_what_is_wrong(tmp_path: Path, bbox: str, problem: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(bbox=bbox), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path, {})
    assert (raised.value.path, raised.value.key) == (path, "datasets.libraries.area.bbox")
    assert raised.value.problem == (f"{problem}; expected [south, west, north, east] in WGS84 degrees, with "
                                    "south < north and west < east")


def test_the_cli_prints_one_line_naming_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(bbox="[100.3, 13.5, 100.9, 14.0]"), encoding="utf-8")
    assert main(["run", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"osmbridge: error: {path}: key 'datasets.libraries.area.bbox': "
                          "south 100.3 is not a latitude")
