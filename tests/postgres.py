"""A private PostgreSQL schema per test (import from tests as `postgres`).

The server comes from $OSMBRIDGE_TEST_POSTGRES_URL (`.ci/run` starts one and sets it); without it a test
fails under CI and is skipped elsewhere. Each test gets its own schema (search_path in the URL), so tests
running at once, in this checkout or another, never see each other's tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text


def server_url() -> str:
    """The test server's URL, or fail (CI) / skip (elsewhere) when none is configured."""
    url = os.environ.get("OSMBRIDGE_TEST_POSTGRES_URL")
    if not url:
        message = "OSMBRIDGE_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@contextmanager
def scratch_schema() -> Iterator[str]:
    """Yield a URL whose connections work in a new, empty schema; drop the schema afterwards."""
    base = server_url()
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
