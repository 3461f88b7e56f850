"""Headless Chromium for page tests: Debian's chromium driven by playwright, with the network cut off."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _local_only(route) -> None:
    # Tests never touch the network: map tiles and anything else remote are refused.
    if route.request.url.startswith(("file://", "http://127.0.0.1", "data:")):
        route.continue_()
    else:
        route.abort()


@contextmanager
def open_page(path: Path, locale: str = "en-GB") -> Iterator[tuple[object, list[str]]]:
    """Yield (page, page errors) with `path` loaded in headless Chromium, in a browser locale."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
            context.route("**/*", _local_only)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(path.resolve().as_uri())
            page.wait_for_load_state("load")
            yield page, errors
        finally:
            browser.close()
