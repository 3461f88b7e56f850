"""A loopback OSM OAuth2 server (the authorization-code flow of openstreetmap.org, Doorkeeper), for tests.

    with OsmOAuthEmulator("client-id", "client-secret", ["http://127.0.0.1:8000/login/osm/callback"]) as osm:
        osm.sign_in(4242, "Anne Mapper")       # who is logged in on the OSM website

It serves, like www.openstreetmap.org:
  GET  /oauth2/authorize?response_type=code&client_id&redirect_uri&scope&state&code_challenge[&_method]
       -> an "Authorize" page for the signed-in user (400 on an unknown client, a redirect URI not
          registered, a scope not granted to the application, or a missing PKCE challenge);
  POST /oauth2/authorize (the page's button) -> 302 to redirect_uri?code=...&state=...
       (a code is single-use, bound to the client, the redirect URI and the PKCE challenge);
  POST /oauth2/token  grant_type=authorization_code, code, redirect_uri, code_verifier, client_id,
       client_secret (or HTTP Basic) -> {"access_token", "token_type": "Bearer", "scope", "created_at"};
       400 {"error": "invalid_grant"} / 401 {"error": "invalid_client"} otherwise;
  POST /oauth2/revoke token=... -> 200 {} (the token stops working);
  GET  /api/0.6/user/details.json with "Authorization: Bearer <token>" -> {"user": {"id", "display_name",...}},
       401 without a live token.
Every request line (path and query) is kept in `requests`; issued tokens in `issued`, revoked in `revoked`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from emulators.loopback import LoopbackServer


class OsmOAuthEmulator:
    """A threaded HTTP server on 127.0.0.1; use as a context manager."""

    def __init__(self, client_id: str, client_secret: str, redirect_uris: Sequence[str] = (),
                 scopes: Sequence[str] = ("read_prefs",)) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uris = list(redirect_uris)
        self.scopes = set(scopes)
        self.user: dict[str, Any] | None = None
        self.requests: list[str] = []
        self.issued: list[str] = []
        self.revoked: set[str] = set()
        self._codes: dict[str, dict[str, Any]] = {}
        self._tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._loopback = LoopbackServer(self._handler_class())

    @property
    def base_url(self) -> str:
        return self._loopback.url

    def sign_in(self, uid: int, display_name: str) -> None:
        """The OSM user logged in on the website, who will be asked to authorize."""
        self.user = {"id": uid, "display_name": display_name}

    def __enter__(self) -> OsmOAuthEmulator:
        self._loopback.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._loopback.stop()

    # --- protocol ------------------------------------------------------------------------------

    def _authorize_problem(self, query: dict[str, str]) -> str | None:
        if query.get("client_id") != self.client_id:
            return "unknown client"
        if query.get("redirect_uri") not in self.redirect_uris:
            return "the redirect uri is not registered for this application"
        if query.get("response_type") != "code":
            return "unsupported response type"
        if not set(query.get("scope", "").split()) <= self.scopes or not query.get("scope"):
            return "scope not allowed"
        if not query.get("code_challenge") or query.get("code_challenge_method") != "S256":
            return "PKCE (S256) required"
        if self.user is None:
            return "nobody is logged in"
        return None

    def _grant(self, query: dict[str, str]) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = {"client_id": query["client_id"], "redirect_uri": query["redirect_uri"],
                                 "challenge": query["code_challenge"], "scope": query["scope"],
                                 "user": dict(self.user or {})}
        return code

    def _token(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict[str, Any]]:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if client_id != self.client_id or not secrets.compare_digest(secret, self.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or grant["client_id"] != client_id or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant"}
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = {"user": grant["user"], "scope": grant["scope"]}
            self.issued.append(token)
        return 200, {"access_token": token, "token_type": "Bearer", "scope": grant["scope"],
                     "created_at": int(time.time())}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, data: Any) -> None:
                self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8")

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

            def do_GET(self) -> None:
                emulator.requests.append(self.path)
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/oauth2/authorize":
                    problem = emulator._authorize_problem(query)
                    if problem:
                        self._send(400, problem.encode(), "text/plain")
                        return
                    fields = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                                     for k, v in query.items())
                    page = (f"<html><body><h1>Authorize access to your account</h1>"
                            f"<p>Signed in as {html.escape(emulator.user['display_name'])}</p>"  # type: ignore[index]
                            f'<form method="post" action="/oauth2/authorize">{fields}'
                            f'<button id="authorize" type="submit">Authorize</button></form></body></html>')
                    self._send(200, page.encode(), "text/html; charset=utf-8")
                elif url.path == "/api/0.6/user/details.json":
                    auth = self.headers.get("Authorization", "")
                    token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
                    grant = emulator._tokens.get(token)
                    if grant is None or token in emulator.revoked:
                        self._json(401, {"error": "Couldn't authenticate you"})
                        return
                    user = grant["user"]
                    self._json(200, {"version": "0.6", "user": {**user, "account_created": "2015-01-01T00:00:00Z",
                                                                "changesets": {"count": 12}}})
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                emulator.requests.append(self.path)
                url = urlsplit(self.path)
                form = self._form()
                if url.path == "/oauth2/authorize":
                    problem = emulator._authorize_problem(form)
                    if problem:
                        self._send(400, problem.encode(), "text/plain")
                        return
                    target = form["redirect_uri"] + "?" + urlencode({"code": emulator._grant(form),
                                                                     "state": form.get("state", "")})
                    self._send(302, b"", "text/plain", {"Location": target})
                elif url.path == "/oauth2/token":
                    basic = None
                    auth = self.headers.get("Authorization", "")
                    if auth.startswith("Basic "):
                        user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                        basic = (user, password)
                    status, body = emulator._token(form, basic)
                    self._json(status, body)
                elif url.path == "/oauth2/revoke":
                    emulator.revoked.add(form.get("token", ""))
                    self._json(200, {})
                else:
                    self._send(404, b"not found", "text/plain")

        return Handler
