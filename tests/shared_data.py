"""Where the real data sets live, and how a missing one is treated (import from tests as `shared_data`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_data_dir() -> Path:
    """The real data sets: $OSMBRIDGE_DATA, else ../shared/data beside the checkout."""
    return Path(os.environ.get("OSMBRIDGE_DATA", ROOT.parent / "shared" / "data"))


def require_shared(relative: str) -> Path:
    """Path of a file under the shared data; fail under CI, skip elsewhere, when it is missing."""
    path = shared_data_dir() / relative
    if not path.exists():
        message = f"real data set missing: {path} (set OSMBRIDGE_DATA)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
