"""config.toml loading: the shipped file, paths, environment variables and errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.config import load_config
from osmbridge.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """
[store]
url = "sqlite:///state.sqlite"
[osm]
backend = "extract"
extract = "osm/city.osm.pbf"
[datasets.libraries]
licence = "ODbL-1.0"
mapping = "mappings/libraries.toml"
[datasets.libraries.source]
kind = "csv"
location = "${CITY_DIR}/libraries.csv"
[datasets.libraries.area]
bbox = [47.1, -1.8, 47.3, -1.4]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_is_a_real_nantes_configuration() -> None:
    config = load_config(ROOT / "config.toml", {})
    dataset = config.dataset("nantes-equipements")
    assert dataset.source.kind == "opendatasoft"
    assert dataset.source.location.startswith("https://data.nantesmetropole.fr")
    assert dataset.osm.backend == "overpass"
    assert dataset.mapping == ROOT / "mappings" / "nantes-equipements.toml"
    south, west, north, east = dataset.area.bbox
    assert south < 47.2184 < north and west < -1.5536 < east  # Nantes city centre is inside
    assert config.store_url == f"sqlite:///{ROOT / 'state' / 'osmbridge.sqlite'}"


def test_paths_are_relative_to_the_config_and_variables_expand(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), {"CITY_DIR": "/data/city"})
    dataset = config.dataset("libraries")
    assert dataset.source.location == "/data/city/libraries.csv"
    assert dataset.mapping == tmp_path / "mappings" / "libraries.toml"
    assert dataset.osm.extract == tmp_path / "osm" / "city.osm.pbf"  # inherited from [osm]
    assert dataset.area.bbox == (47.1, -1.8, 47.3, -1.4)
    assert config.store_url == f"sqlite:///{tmp_path / 'state.sqlite'}"


def test_store_url_from_the_environment_wins(tmp_path: Path) -> None:
    env = {"CITY_DIR": "/d", "OSMBRIDGE_STORE_URL": "postgresql+psycopg://u:secret@db/osmbridge"}
    assert load_config(write(tmp_path, MINIMAL), env).store_url == env["OSMBRIDGE_STORE_URL"]


@pytest.mark.parametrize(("change", "key", "words"), [
    (('kind = "csv"', 'kind = "xls"'), "datasets.libraries.source.kind", "expected one of"),
    (('bbox = [47.1, -1.8, 47.3, -1.4]', 'bbox = [47.3, -1.8, 47.1, -1.4]'), "datasets.libraries.area.bbox",
     "south < north"),
    (('licence = "ODbL-1.0"', 'licence = ""'), "datasets.libraries.licence", "non-empty string"),
    (('backend = "extract"', 'backend = "api"'), "osm.backend", "overpass"),
    (('[store]', '[store]\nuri = "x"'), "store.uri", "unknown key"),
    (('location = "${CITY_DIR}/libraries.csv"', 'location = "${NOPE}/x.csv"'),
     "datasets.libraries.source.location", "NOPE is not set"),
])
def test_errors_name_the_key(tmp_path: Path, change: tuple[str, str], key: str, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, MINIMAL.replace(*change)), {"CITY_DIR": "/d"})
    assert raised.value.key == key
    assert words in str(raised.value) and str(tmp_path / "config.toml") in str(raised.value)


def test_unknown_dataset_lists_known_ones(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), {"CITY_DIR": "/d"})
    with pytest.raises(ConfigError, match="known: libraries"):
        config.dataset("schools")


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml", {})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[store\n"), {})


def test_web_table_public_url_links_reports_and_secrets_stay_out_of_reprs(tmp_path: Path) -> None:
    text = MINIMAL + '\n[web]\npublic_url = "https://review.example.org/"\nneighbourhoods = "quartiers.geojson"\n'
    config = load_config(write(tmp_path, text), {"CITY_DIR": "/d", "OSMBRIDGE_SECRET_KEY": "k" * 40})
    assert config.web.public_url == "https://review.example.org"
    assert config.web.neighbourhoods == tmp_path / "quartiers.geojson"
    assert config.web.secret_key == "k" * 40 and "k" * 40 not in repr(config)
    assert config.dataset("libraries").review_url_template == "https://review.example.org/d/libraries/items/{id}"
    assert load_config(write(tmp_path, MINIMAL), {"CITY_DIR": "/d"}).dataset("libraries").review_url_template is None


@pytest.mark.parametrize("body, key", [
    ('public_url = "review.example.org"', "web.public_url"),
    ("public_read = 1", "web.public_read"),
    ("session_hours = -1", "web.session_hours"),
    ('colour = "blue"', "web.colour"),
])
def test_web_table_errors_name_the_key(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, MINIMAL + f"\n[web]\n{body}\n"), {"CITY_DIR": "/d"})
    assert error.value.key == key
