"""Headless Debian chromium driven by playwright for the web application's tests; nothing leaves 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _local_only(route: Any) -> None:
    # Map tiles and anything else remote are refused: the pages must work without them.
    if route.request.url.startswith(("http://127.0.0.1", "file://", "data:")):
        route.continue_()
    else:
        route.abort()


@contextmanager
def chromium() -> Iterator[Any]:
    """Yield a function making a new browser context (own cookies: one person), with pages' errors collected."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            def person(locale: str = "en-GB", phone: bool = False, javascript: bool = True) -> Any:
                # A phone: a small touch screen (the survey pages are used in the street).
                size = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                        "device_scale_factor": 2} if phone else {"viewport": {"width": 1300, "height": 1000}}
                context = browser.new_context(locale=locale, java_script_enabled=javascript, **size)
                context.route("**/*", _local_only)
                page = context.new_page()
                page.errors = []  # type: ignore[attr-defined]
                page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
                return page

            yield person
        finally:
            browser.close()
