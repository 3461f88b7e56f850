"""Fixtures of the web tests.

Passwords are hashed with argon2's cheapest profile here: the default costs a second or more per
login on a loaded CI machine (test_web_users_cli.py checks the default parameters are what is stored).
The review demo (the `osmbridge demo` town, two runs) is built once; each test gets its own copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import profiles
from review_demo import ReviewDemo, build_review_demo, copy_demo
from web_fixtures import add_users

from osmbridge.web import passwords


@pytest.fixture(autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    passwords.use_parameters(profiles.CHEAPEST)
    try:
        yield
    finally:
        passwords.use_parameters(profiles.RFC_9106_LOW_MEMORY)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> ReviewDemo:
    passwords.use_parameters(profiles.CHEAPEST)
    demo = build_review_demo(tmp_path_factory.mktemp("review-demo"), web='neighbourhoods = "neighbourhoods.geojson"')
    add_users(demo.config)
    return demo


@pytest.fixture
def demo(demo_template: ReviewDemo, tmp_path: Path) -> ReviewDemo:
    """A private copy of the review demo, with the users anne (mapper), marc (city staff), root (admin)."""
    return copy_demo(demo_template, tmp_path / "demo")
