"""The push parts of config.toml: [osm_api] and [datasets.X.push], checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.config import load_config
from osmbridge.errors import ConfigError

BASE = """
[datasets.libs]
licence = "CC-BY-4.0"
mapping = "libs.toml"
licence_waiver = "letter of 2024-03-01"
attribution = "Ville, © OpenStreetMap contributors"
[datasets.libs.source]
kind = "csv"
location = "libs.csv"
"""


def load(tmp_path: Path, text: str, environ: dict[str, str] | None = None):
    (tmp_path / "config.toml").write_text(BASE + text, encoding="utf-8")
    return load_config(tmp_path / "config.toml", environ or {})


def test_defaults_and_the_token_from_the_environment(tmp_path):
    config = load(tmp_path, "", {"OSMBRIDGE_OSM_TOKEN": "secret-token"})
    assert config.osm_api.url == "https://api.openstreetmap.org" and config.osm_api.token == "secret-token"
    assert "secret-token" not in repr(config)
    dataset = config.dataset("libs")
    assert dataset.licence_waiver == "letter of 2024-03-01" and dataset.push.max_changes == 200
    assert dataset.push.city.output is None and dataset.push.city.database is None


def test_push_settings_and_a_city_database_with_a_password_from_the_environment(tmp_path):
    config = load(tmp_path, """
[osm_api]
url = "https://master.apis.dev.openstreetmap.org/"
token_file = "secrets/osm-token"
[datasets.libs.push]
comment = "Libraries"
max_changes = 50
[datasets.libs.push.city.database]
url = "postgresql+psycopg://city:${CITY_DB}@db/city"
table = "public.equipements"
key_column = "gid"
columns = { TELEPHONE = "telephone" }
""", {"CITY_DB": "pw"})
    assert config.osm_api.url == "https://master.apis.dev.openstreetmap.org"
    assert config.osm_api.token_file == tmp_path / "secrets" / "osm-token"
    database = config.dataset("libs").push.city.database
    assert database.url.endswith(":pw@db/city") and "pw" not in repr(database)
    assert database.columns == {"TELEPHONE": "telephone"} and config.dataset("libs").push.max_changes == 50


@pytest.mark.parametrize("text, key", [
    ('[osm_api]\ntoken = "abc"', "osm_api.token"),
    ('[osm_api]\nurl = "api.openstreetmap.org"', "osm_api.url"),
    ("[datasets.libs.push]\nmax_changes = 20000", "datasets.libs.push.max_changes"),
    ("[datasets.libs.push]\nsize = 3", "datasets.libs.push.size"),
    ('[datasets.libs.push.city]\noutput = "a.csv"\n[datasets.libs.push.city.database]\nurl = "x"\ntable = "t"\n'
     'key_column = "id"', "datasets.libs.push.city"),
])
def test_mistakes_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, text)
    assert error.value.key == key
