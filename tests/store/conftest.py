"""The state-store URL fixture: each test runs on a real SQLite file and on a real PostgreSQL.

PostgreSQL comes from $OSMBRIDGE_TEST_POSTGRES_URL (`.ci/run` starts a server and sets it); without it
those cases fail under CI and are skipped elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from osmbridge.store import Store
from osmbridge.store.tables import Base


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A state-store URL on an empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    postgres = os.environ.get("OSMBRIDGE_TEST_POSTGRES_URL")
    if not postgres:
        message = "OSMBRIDGE_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    store = Store(postgres)
    Base.metadata.drop_all(store.engine)
    store.close()
    return postgres
