"""Fixtures of the OSM notes tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import with_city_token


@pytest.fixture
def osm() -> Iterator[OsmNotesEmulator]:
    """The notes emulator, knowing the city's token (write_notes)."""
    with OsmNotesEmulator() as emulator:
        yield with_city_token(emulator)
