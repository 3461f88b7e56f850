"""Helpers of the web application's tests: a config on a SQLite store, users, logged-in test clients."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from fastapi.testclient import TestClient

from osmbridge.config import Config, load_config
from osmbridge.store import Accounts, Store
from osmbridge.web.app import create_app
from osmbridge.web.passwords import hash_password

SECRET_KEY = "test-secret-key-" + "k" * 40
PASSWORDS = {"anne": "anne-password-123", "marc": "marc-password-456", "root": "root-password-789"}
ROLES = {"anne": "mapper", "marc": "city_staff", "root": "admin"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def write_config(folder: Path, web: str = "", datasets: str = "") -> Path:
    """A config.toml in `folder` with a SQLite store there, a [web] table body and dataset tables."""
    path = folder / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///state.sqlite"\n\n[web]\n{web}\n{datasets}', encoding="utf-8")
    return path


def load(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    return load_config(path, dict(environ or {}))


def add_users(config: Config, names: tuple[str, ...] = ("anne", "marc", "root")) -> None:
    store = Store(config.store_url)
    try:
        accounts = Accounts(store.engine)
        for name in names:
            accounts.add_user(name, ROLES[name], "2024-11-04T08:00:00+00:00",
                              password_hash=hash_password(PASSWORDS[name]), display_name=name.capitalize())
    finally:
        store.close()


def client(config: Config, **kwargs: object) -> TestClient:
    return TestClient(create_app(config, SECRET_KEY, **kwargs), base_url="http://testserver")  # type: ignore[arg-type]


def form_token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = _CSRF.search(html)
    assert found, "no csrf_token field in the page"
    return found.group(1)


def log_in(test_client: TestClient, username: str, password: str | None = None) -> str:
    """Log in through the login form; return the session's CSRF token (from the next page)."""
    token = form_token(test_client.get("/login").text)
    response = test_client.post("/login", data={"username": username, "password": password or PASSWORDS[username],
                                                "csrf_token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return session_token(test_client)


def session_token(test_client: TestClient) -> str:
    page = test_client.get("/")
    found = re.search(r'data-csrf="([^"]+)"', page.text)
    assert found, "not logged in"
    return found.group(1)
