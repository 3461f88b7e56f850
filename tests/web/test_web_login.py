"""Logging in and out with local accounts: cookies, CSRF on the login form, throttling, redirects."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from web_fixtures import PASSWORDS, add_users, client, form_token, load, log_in, write_config

from osmbridge.store import Store
from osmbridge.store.accounts import WebSessionRow


def _app(tmp_path: Path, web: str = ""):
    config = load(write_config(tmp_path, web))
    add_users(config)
    return config, client(config)


def test_pages_need_a_login_and_the_login_leads_back(tmp_path: Path) -> None:
    _, test_client = _app(tmp_path)
    response = test_client.get("/?lang=fr", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2F%3Flang%3Dfr"
    login_page = test_client.get(response.headers["location"])
    response = test_client.post("/login", data={"username": "anne", "password": PASSWORDS["anne"],
                                                "csrf_token": form_token(login_page.text), "next": "/?lang=fr"},
                                follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/?lang=fr"
    page = test_client.get("/?lang=fr")
    assert 'id="whoami">Anne<' in page.text and "Se déconnecter" in page.text


def test_session_cookie_is_httponly_samesite_and_signed(tmp_path: Path) -> None:
    config, test_client = _app(tmp_path)
    log_in(test_client, "anne")
    cookie = next(c for c in test_client.cookies.jar if c.name == "osmbridge_session")
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.get_nonstandard_attr("SameSite") == "lax"
    assert not cookie.secure  # served over plain http in this test
    # The store keeps only a hash of the token: the cookie's token is not in the database.
    token = cookie.value.split(".")[0]
    store = Store(config.store_url)
    with Session(store.engine) as session:
        hashes = list(session.scalars(select(WebSessionRow.token_hash)))
    assert len(hashes) == 1 and token not in hashes[0]
    # A tampered cookie is no session.
    test_client.cookies.clear()
    tampered = cookie.value[:-2] + ("yy" if cookie.value.endswith("xx") else "xx")
    test_client.cookies.set("osmbridge_session", tampered)
    assert test_client.get("/", follow_redirects=False).status_code == 303


def test_https_site_sets_secure_host_only_cookies(tmp_path: Path) -> None:
    _, test_client = _app(tmp_path, 'public_url = "https://review.example.org"')
    test_client.base_url = "https://review.example.org"  # type: ignore[misc]
    login_page = test_client.get("https://review.example.org/login")
    assert "__Host-osmbridge_form_login" in login_page.headers["set-cookie"]
    assert "Secure" in login_page.headers["set-cookie"]
    response = test_client.post("https://review.example.org/login",
                                data={"username": "anne", "password": PASSWORDS["anne"],
                                      "csrf_token": form_token(login_page.text)}, follow_redirects=False)
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("__Host-osmbridge_session="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie and "Path=/" in session_cookie
    assert "Domain" not in session_cookie
    assert response.headers["strict-transport-security"]


def test_login_form_without_its_token_is_refused(tmp_path: Path) -> None:
    _, test_client = _app(tmp_path)
    test_client.get("/login")
    for token in (None, "forged"):
        data = {"username": "anne", "password": PASSWORDS["anne"]}
        if token:
            data["csrf_token"] = token
        response = test_client.post("/login", data=data, follow_redirects=False)
        assert response.status_code == 403
        assert "osmbridge_session" not in response.headers.get("set-cookie", "")


def test_wrong_password_unknown_user_and_disabled_user_are_refused_alike(tmp_path: Path) -> None:
    config, test_client = _app(tmp_path)
    from osmbridge.store import Accounts
    Accounts(Store(config.store_url).engine).set_disabled("marc", True)
    for username, password in (("anne", "wrong-password-000"), ("nobody", "whatever-123456"),
                               ("marc", PASSWORDS["marc"])):
        token = form_token(test_client.get("/login").text)
        response = test_client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                                    follow_redirects=False)
        assert response.status_code == 401
        assert "Wrong user name or password." in response.text
        assert password not in response.text


def test_repeated_failures_are_throttled(tmp_path: Path) -> None:
    _, test_client = _app(tmp_path)
    for _ in range(5):
        token = form_token(test_client.get("/login").text)
        test_client.post("/login", data={"username": "anne", "password": "guess-guess-guess", "csrf_token": token})
    token = form_token(test_client.get("/login").text)
    response = test_client.post("/login", data={"username": "anne", "password": PASSWORDS["anne"], "csrf_token": token},
                                follow_redirects=False)
    assert response.status_code == 429


def test_logout_ends_the_session_even_for_a_copied_cookie(tmp_path: Path) -> None:
    _, test_client = _app(tmp_path)
    csrf = log_in(test_client, "anne")
    stolen = test_client.cookies.get("osmbridge_session")
    assert test_client.post("/logout", data={}, follow_redirects=False).status_code == 403  # no CSRF token
    response = test_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    other = client(load(tmp_path / "config.toml"))
    other.cookies.set("osmbridge_session", stolen)
    assert other.get("/", follow_redirects=False).status_code == 303


def test_login_never_redirects_off_site(tmp_path: Path) -> None:
    config, _ = _app(tmp_path)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        test_client = client(config)
        token = form_token(test_client.get("/login").text)
        response = test_client.post("/login", data={"username": "anne", "password": PASSWORDS["anne"],
                                                    "csrf_token": token, "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"


def test_cross_site_post_is_refused_before_anything(tmp_path: Path) -> None:
    _, test_client = _app(tmp_path)
    csrf = log_in(test_client, "anne")
    response = test_client.post("/logout", data={"csrf_token": csrf}, headers={"Origin": "https://evil.example"},
                                follow_redirects=False)
    assert response.status_code == 403
    assert test_client.get("/", follow_redirects=False).status_code == 200  # still logged in
