"""A demo town generated once per session, and its files as read back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from demo_readers import OsmObject, read_city, read_osm  # tests/demo/demo_readers.py

from osmbridge.demo import DemoFiles, generate_town


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    """The default demo town (seed 2024, 300 records)."""
    return generate_town(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def truth(demo: DemoFiles) -> dict[str, Any]:
    return json.loads(demo.truth.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def osm_previous(demo: DemoFiles) -> dict[str, OsmObject]:
    return read_osm(demo.osm_previous)


@pytest.fixture(scope="session")
def osm_current(demo: DemoFiles) -> dict[str, OsmObject]:
    return read_osm(demo.osm_current)


@pytest.fixture(scope="session")
def city_previous(demo: DemoFiles) -> dict[str, dict[str, Any]]:
    return read_city(demo.city_previous)


@pytest.fixture(scope="session")
def city_current(demo: DemoFiles) -> dict[str, dict[str, Any]]:
    return read_city(demo.city_current)
