"""Conditional requests to a portal: ETag / Last-Modified kept, 304 answers reuse the kept copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from emulators.opendatasoft import OpendatasoftEmulator, ods_record

from osmbridge.model import SourceSpec
from osmbridge.sources import read_city_places


def records(count: int, name: str = "Médiathèque") -> list[dict]:
    return [ods_record({"id": str(n), "nom": f"{name} {n}"}, {"type": "Point", "coordinates": [-1.55, 47.2 + n / 1000]})
            for n in range(count)]


def read(portal: OpendatasoftEmulator, cache: Path | None, location: str | None = None) -> list[str]:
    spec = SourceSpec("opendatasoft", location or portal.base_url, dataset_id="libs", page_size=10,
                      http_cache=str(cache) if cache else None)
    places, _ = read_city_places(spec, dataset="libs", id_field="id", licence="ODbL-1.0")
    return [str(place.fields["nom"]) for place in places]


@pytest.mark.parametrize("validators", ["etag", "last-modified"])
def test_an_unchanged_dataset_is_not_downloaded_again(tmp_path: Path, validators: str) -> None:
    with OpendatasoftEmulator({"libs": records(25)}) as portal:
        portal.validators = validators
        first = read(portal, tmp_path / "cache")
        pages = len(portal.requests)
        assert pages == 3 and portal.not_modified == 0

        assert read(portal, tmp_path / "cache") == first  # every page answered 304, the kept copies used
        assert portal.not_modified == pages

        portal.set_records("libs", records(25, name="Bibliothèque"))  # the city publishes a new version
        again = read(portal, tmp_path / "cache")
        assert again[0] == "Bibliothèque 0" and portal.not_modified == pages


def test_without_a_cache_folder_or_validators_everything_is_downloaded(tmp_path: Path) -> None:
    with OpendatasoftEmulator({"libs": records(5)}) as portal:
        read(portal, None)
        read(portal, None)
        portal.validators = None
        read(portal, tmp_path / "cache")
        read(portal, tmp_path / "cache")
        assert portal.not_modified == 0
    assert not any((tmp_path / "cache").glob("*.body")) if (tmp_path / "cache").exists() else True


def test_the_user_agent_names_the_contact(tmp_path: Path) -> None:
    with OpendatasoftEmulator({"libs": records(3)}) as portal:
        spec = SourceSpec("opendatasoft", portal.base_url, dataset_id="libs", contact="opendata@ville.example")
        read_city_places(spec, dataset="libs", id_field="id", licence="ODbL-1.0")
    assert portal.user_agents[0].startswith("osmbridge/") and "; contact: opendata@ville.example)" in portal.user_agents[0]


def test_a_token_in_the_portal_url_stays_out_of_file_names_and_origins(tmp_path: Path) -> None:
    with OpendatasoftEmulator({"libs": records(3)}) as portal:
        spec = SourceSpec("opendatasoft", f"{portal.base_url}/?apikey=T0KEN-123456", dataset_id="libs",
                          http_cache=str(tmp_path / "cache"))
        places, _ = read_city_places(spec, dataset="libs", id_field="id", licence="ODbL-1.0")
    assert places and all("T0KEN" not in place.origin for place in places)
    assert all("T0KEN" not in path.name for path in (tmp_path / "cache").iterdir())
