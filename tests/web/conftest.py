"""The web tests hash passwords with argon2's cheapest profile: the default costs a second or more per
login on a loaded CI machine. tests/web/test_web_passwords.py checks the default parameters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import profiles

from osmbridge.web import passwords


@pytest.fixture(autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    passwords.use_parameters(profiles.CHEAPEST)
    try:
        yield
    finally:
        passwords.use_parameters(profiles.RFC_9106_LOW_MEMORY)
