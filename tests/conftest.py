"""Shared fixtures. Helpers tests import live in tests/shared_data.py (a conftest is not importable
reliably: pytest loads several modules named `conftest`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_data import require_shared


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder (checked to exist as a whole)."""
    return require_shared(".")
