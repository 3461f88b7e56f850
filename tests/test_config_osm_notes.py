"""[osm_notes] and [datasets.X.osm_notes]: defaults, checked values with the key named, the token from the
environment kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.config import load_config
from osmbridge.errors import ConfigError
from osmbridge.redact import MASK, redact

BASE = """
[datasets.libs]
licence = "ODbL-1.0"
mapping = "m.toml"
[datasets.libs.source]
kind = "csv"
location = "libs.csv"
"""


def _load(tmp_path: Path, extra: str, environ: dict[str, str] | None = None):
    path = tmp_path / "config.toml"
    path.write_text(BASE + extra, encoding="utf-8")
    return load_config(path, environ or {})


def test_defaults_read_nothing_and_publish_nothing(tmp_path: Path) -> None:
    config = _load(tmp_path, "")
    notes = config.datasets["libs"].osm_notes
    assert not notes.read and not notes.publish and notes.distance_m == 50 and notes.languages == ("fr", "en")
    assert notes.api.api_url == "https://api.openstreetmap.org" and notes.api.max_per_hour == 10
    assert notes.api.token is None and notes.api == config.osm_notes


def test_the_dataset_table_and_the_api_table(tmp_path: Path) -> None:
    config = _load(tmp_path, '[datasets.libs.osm_notes]\nread = true\npublish = true\ndistance_m = 80\n'
                             'languages = ["en"]\n[osm_notes]\napi_url = "https://master.apis.dev.openstreetmap.org/"\n'
                             'max_per_hour = 3\nmin_interval_s = 120\nformat = "xml"\ntoken_file = "token"\n',
                   {"OSMBRIDGE_OSM_TOKEN": "secret-token-value-123"})
    notes = config.datasets["libs"].osm_notes
    assert (notes.read, notes.publish, notes.distance_m, notes.languages) == (True, True, 80.0, ("en",))
    api = notes.api
    assert api.api_url == "https://master.apis.dev.openstreetmap.org" and api.max_per_hour == 3
    assert api.min_interval_s == 120 and api.answer_format == "xml" and api.token_file == tmp_path / "token"
    assert api.token == "secret-token-value-123" and "secret-token-value-123" not in repr(api)
    assert redact("sent secret-token-value-123") == f"sent {MASK}"


@pytest.mark.parametrize(("extra", "key"), [
    ("[datasets.libs.osm_notes]\nread = 1\n", "datasets.libs.osm_notes.read"),
    ("[datasets.libs.osm_notes]\ndistance_m = 5000\n", "datasets.libs.osm_notes.distance_m"),
    ("[datasets.libs.osm_notes]\nlanguages = [\"de\"]\n", "datasets.libs.osm_notes.languages"),
    ("[datasets.libs.osm_notes]\npubish = true\n", "datasets.libs.osm_notes.pubish"),
    ("[osm_notes]\nlimit = 20000\n", "osm_notes.limit"),
    ("[osm_notes]\nformat = \"csv\"\n", "osm_notes.format"),
    ("[osm_notes]\napi_url = \"api.openstreetmap.org\"\n", "osm_notes.api_url"),
    ("[osm_notes]\nclosed_days = -5\n", "osm_notes.closed_days"),
    ("[osm_notes]\ntoken = \"abc\"\n", "osm_notes.token"),  # a token never lives in config.toml
])
def test_bad_values_name_their_key(tmp_path: Path, extra: str, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, extra)
    assert error.value.key == key


def test_every_key_is_in_the_reference() -> None:
    import re

    from osmbridge.config_osm_notes import _API_KEYS, _DATASET_KEYS

    reference = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", reference, re.M))
    assert _API_KEYS | _DATASET_KEYS | {"osm_notes"} <= documented
    assert "## [osm_notes]" in reference and "## [datasets.X.osm_notes]" in reference
