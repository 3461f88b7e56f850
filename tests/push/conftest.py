"""An OSM API emulator holding a small town, and a client that talks to it with a Bearer token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from push.push_fixtures import populate_town

from emulators.osm_api import OsmApiEmulator
from osmbridge.push.api import OsmApiClient, bearer_session

TOKEN = "test-token-not-a-secret"


@pytest.fixture
def api() -> Iterator[OsmApiEmulator]:
    with OsmApiEmulator(token=TOKEN) as emulator:
        populate_town(emulator)
        yield emulator


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(api: OsmApiEmulator, sleeps: list[float]) -> OsmApiClient:
    return OsmApiClient(api.url, bearer_session(TOKEN), timeout_s=10, retries=3, backoff_s=0.5,
                        sleep=sleeps.append)
