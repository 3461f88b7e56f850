"""config.toml: a dataset with several producers (`[datasets.X.producers.NAME]`), and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.config import load_config
from osmbridge.errors import ConfigError

TWO_PRODUCERS = """
[osm]
backend = "extract"
extract = "city.osm"
[datasets.dae]
title = "Défibrillateurs"
licence = "etalab-2.0"
city_url_template = "https://data.example.org/dae/{id}"
[datasets.dae.producers.secouristes]
title = "Secouristes"
owner = "Association des secouristes"
contact = "https://secouristes.example"
licence = "ODbL-1.0"
trust = 40
holds = ["opening_hours"]
mapping = "dae-secouristes.toml"
updated_field = "verifie_le"
[datasets.dae.producers.secouristes.source]
kind = "csv"
location = "secouristes.csv"
[datasets.dae.producers.sante]
owner = "Direction de la santé"
trust = 80
mapping = "dae-sante.toml"
[datasets.dae.producers.sante.source]
kind = "geojson"
location = "sante.geojson"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_producers_are_read_most_trusted_first_with_the_datasets_defaults(tmp_path: Path) -> None:
    dataset = load_config(write(tmp_path, TWO_PRODUCERS), {}).dataset("dae")
    assert [p.name for p in dataset.producers] == ["sante", "secouristes"]
    sante, secouristes = (p.producer for p in dataset.producers)
    assert (sante.title, sante.owner, sante.licence, sante.trust) == ("sante", "Direction de la santé", "etalab-2.0", 80)
    assert sante.city_url_template == "https://data.example.org/dae/{id}"
    assert (secouristes.licence, secouristes.holds, secouristes.contact) == ("ODbL-1.0", frozenset({"opening_hours"}),
                                                                             "https://secouristes.example")
    assert dataset.producers[1].updated_field == "verifie_le"
    assert dataset.producers[1].source.location == str(tmp_path / "secouristes.csv")
    assert dataset.producers[0].mapping == tmp_path / "dae-sante.toml"
    # Code reading one source sees the most trusted producer's.
    assert dataset.source == dataset.producers[0].source and dataset.mapping == tmp_path / "dae-sante.toml"


def test_a_single_source_dataset_has_no_producers(tmp_path: Path) -> None:
    single = TWO_PRODUCERS.split("[datasets.dae.producers.secouristes]")[0] + (
        'mapping = "m.toml"\n[datasets.dae.source]\nkind = "csv"\nlocation = "x.csv"\n')
    dataset = load_config(write(tmp_path, single), {}).dataset("dae")
    assert dataset.producers == () and dataset.source.location == str(tmp_path / "x.csv")


def test_the_dataset_licence_may_come_from_its_producers(tmp_path: Path) -> None:
    text = TWO_PRODUCERS.replace('licence = "etalab-2.0"\n', "", 1).replace(
        'owner = "Direction de la santé"', 'owner = "Direction de la santé"\nlicence = "etalab-2.0"')
    assert load_config(write(tmp_path, text), {}).dataset("dae").licence == "etalab-2.0"


@pytest.mark.parametrize(("change", "key", "says"), [
    (lambda t: t.replace("[datasets.dae.producers.sante]", "[datasets.dae.producers.Sante]")
              .replace("[datasets.dae.producers.sante.source]", "[datasets.dae.producers.Sante.source]"),
     "datasets.dae.producers.Sante", "lower-case"),
    (lambda t: t.replace("trust = 80", "trust = 200"), "datasets.dae.producers.sante.trust", "0 (least trusted)"),
    (lambda t: t.replace('owner = "Direction de la santé"\n', ""), "datasets.dae.producers.sante.owner", "non-empty"),
    (lambda t: t.replace("trust = 80", 'trust = 80\nholds = ["opening_hours"]'), "datasets.dae.producers",
     "already held by producer"),
    (lambda t: t.replace('title = "Défibrillateurs"', 'title = "Défibrillateurs"\nmapping = "m.toml"'),
     "datasets.dae.mapping", "move it into"),
    (lambda t: t.replace('licence = "etalab-2.0"\n', "", 1), "datasets.dae.producers.sante.licence",
     "producer's licence"),
    (lambda t: t.replace("trust = 80", "trust = 80\ncolour = 'red'"), "datasets.dae.producers.sante.colour",
     "unknown key"),
    (lambda t: t.replace('[datasets.dae.producers.sante.source]\nkind = "geojson"\nlocation = "sante.geojson"\n', ""),
     "datasets.dae.producers.sante.source.kind", "non-empty"),
])
def test_errors_name_the_producers_key(tmp_path: Path, change, key: str, says: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, change(TWO_PRODUCERS)), {})
    assert key in str(error.value) and says in str(error.value)
