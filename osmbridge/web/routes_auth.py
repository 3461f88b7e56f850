"""Logging in and out: local accounts (argon2 passwords) and, when configured, OSM OAuth2 for mappers."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from osmbridge.web.context import web
from osmbridge.web.guard import Decider, current_session
from osmbridge.web.osm_login import OsmLoginFailed, finish_login, start_login
from osmbridge.web.passwords import hash_password, needs_rehash, verify_password
from osmbridge.web.render import href, render
from osmbridge.web.sessions import CSRF_FIELD, iso, same_token

log = logging.getLogger("osmbridge.web")
router = APIRouter(include_in_schema=False)


def _safe_next(request: Request, target: str | None) -> str:
    # Only paths of this site: "//evil.example" or "https://..." would make the login an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return href(request, "/")


def _login_page(request: Request, status: int = 200, error: str = "", next_path: str | None = None) -> Response:
    sessions = web(request).sessions
    token, fresh = sessions.anonymous_token(request, "login")
    response = render(request, "login.html.j2", status=status, error=error, form_token=token,
                      next=_safe_next(request, next_path or request.query_params.get("next")),
                      osm_login=web(request).config.web.osm_login is not None,
                      logged_out=request.query_params.get("done") == "1")
    if fresh:
        sessions.set_anonymous(response, "login", token)
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    if current_session(request) is not None:
        return RedirectResponse(_safe_next(request, request.query_params.get("next")), status_code=303)
    return _login_page(request)


@router.post("/login")
async def login(request: Request) -> Response:
    context = web(request)
    form = await request.form()
    expected = context.sessions.anonymous_value(request, "login")
    if not same_token(expected if isinstance(expected, str) else None, _text(form.get(CSRF_FIELD))):
        return render(request, "error.html.j2", status=403, key="error.csrf")
    username, password = _text(form.get("username")).strip(), _text(form.get("password"))
    client = request.client.host if request.client else "?"
    if context.login_limit.blocked(f"user:{username}", f"addr:{client}"):
        log.warning("login refused (too many failures) from %s", client)
        return _login_page(request, 429, "login.throttled", _text(form.get("next")))
    found = context.accounts.password_hash(username)
    user, stored = found if found else (None, None)
    password_ok = verify_password(stored, password)  # same work whether the name exists or not
    if user is None or user.disabled or not password_ok:
        context.login_limit.failed(f"user:{username}", f"addr:{client}")
        # A name typed into the wrong box could be a password: only names of real users are logged.
        log.warning("login failed for %s from %s", user.username if user else "an unknown user name", client)
        return _login_page(request, 401, "login.failed", _text(form.get("next")))
    context.login_limit.succeeded(f"user:{username}", f"addr:{client}")
    if stored and needs_rehash(stored):
        context.accounts.set_password(user.username, hash_password(password))
    log.info("login: %s (%s) from %s", user.username, user.role, client)
    response = RedirectResponse(_safe_next(request, _text(form.get("next"))), status_code=303)
    context.sessions.open(response, user)
    context.sessions.clear_anonymous(response, "login")
    return response


@router.post("/logout")
def logout(request: Request, session: Decider) -> Response:
    log.info("logout: %s", session.user.username)
    response = RedirectResponse(href(request, "/login", done="1"), status_code=303)
    web(request).sessions.close(request, response)
    return response


@router.get("/login/osm")
def osm_login_start(request: Request) -> Response:
    context = web(request)
    config = context.config.web.osm_login
    if config is None:
        return render(request, "error.html.j2", status=404, key="error.404")
    start = start_login(config, _redirect_uri(request))
    response = RedirectResponse(start.url, status_code=303)
    context.sessions.set_anonymous(response, "osm", {"state": start.state, "verifier": start.verifier,
                                                     "next": _safe_next(request, request.query_params.get("next"))},
                                   max_age_s=600)
    return response


@router.get("/login/osm/callback")
def osm_login_callback(request: Request) -> Response:
    context = web(request)
    config = context.config.web.osm_login
    if config is None:
        return render(request, "error.html.j2", status=404, key="error.404")
    pending = context.sessions.anonymous_value(request, "osm", max_age_s=600)
    code, state = request.query_params.get("code"), request.query_params.get("state")
    if not isinstance(pending, dict) or not code or not same_token(pending.get("state"), state):
        log.warning("OSM login: callback without a matching login attempt")
        return _login_page(request, 403, "login.osm_failed")
    try:
        identity = finish_login(context.osm_http, config, code, _redirect_uri(request), str(pending["verifier"]))
    except OsmLoginFailed as exc:
        log.warning("OSM login failed: %s", exc)
        return _login_page(request, 502, "login.osm_failed")
    user = context.accounts.osm_user(identity.uid, identity.display_name, iso(context.sessions.clock()),
                                     create_mappers=config.allow_new_mappers)
    if user is None or user.disabled:
        log.warning("OSM login refused for OSM user %s (%s): no account", identity.uid, identity.display_name)
        return _login_page(request, 403, "login.osm_refused")
    log.info("login with OSM: %s (%s)", user.username, user.role)
    response = RedirectResponse(_safe_next(request, str(pending.get("next") or "")), status_code=303)
    context.sessions.open(response, user)
    context.sessions.clear_anonymous(response, "osm")
    return response


def _redirect_uri(request: Request) -> str:
    public_url = web(request).config.web.public_url
    if public_url:
        return f"{public_url}/login/osm/callback"
    return str(request.url_for("osm_login_callback"))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
