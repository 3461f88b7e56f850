"""OSM OAuth2 login for mappers: the authorization-code flow with PKCE against the configured OSM server.

The access token (scope read_prefs) is used once, to read who logged in, then revoked; it is never
stored or logged. The OSM account maps to a local user (`Accounts.osm_user`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from osmbridge.config import OsmLoginConfig
from osmbridge.errors import OsmbridgeError

SCOPE = "read_prefs"
TIMEOUT_S = 20.0


class OsmLoginFailed(OsmbridgeError):
    """The OSM server refused or did not answer; the message never holds a code or a token."""


@dataclass(frozen=True, slots=True)
class LoginStart:
    """Where to send the browser, and what to remember (in a signed cookie) until it comes back."""

    url: str
    state: str
    verifier: str


@dataclass(frozen=True, slots=True)
class OsmIdentity:
    uid: int
    display_name: str


def start_login(config: OsmLoginConfig, redirect_uri: str) -> LoginStart:
    """The authorization URL of a new login attempt, with a fresh state and PKCE verifier."""
    state, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode({"response_type": "code", "client_id": config.client_id, "redirect_uri": redirect_uri,
                       "scope": SCOPE, "state": state, "code_challenge": challenge,
                       "code_challenge_method": "S256"})
    return LoginStart(url=f"{config.server_url}/oauth2/authorize?{query}", state=state, verifier=verifier)


def finish_login(http: requests.Session, config: OsmLoginConfig, code: str, redirect_uri: str,
                 verifier: str) -> OsmIdentity:
    """Exchange the code for a token, read the user's id and display name, revoke the token."""
    token = _post(http, f"{config.server_url}/oauth2/token", config, {
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier,
    }).get("access_token")
    if not isinstance(token, str) or not token:
        raise OsmLoginFailed(f"{config.server_url}/oauth2/token answered without an access token")
    try:
        response = http.get(f"{config.api_url}/api/0.6/user/details.json", timeout=TIMEOUT_S,
                            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
        if response.status_code != 200:
            raise OsmLoginFailed(f"{config.api_url}/api/0.6/user/details.json answered HTTP {response.status_code}")
        user = response.json().get("user") or {}
        uid, name = user.get("id"), user.get("display_name")
        if not isinstance(uid, int) or not isinstance(name, str):
            raise OsmLoginFailed(f"{config.api_url}/api/0.6/user/details.json: no user id and display name")
        return OsmIdentity(uid=uid, display_name=name)
    except (requests.RequestException, ValueError) as exc:
        raise OsmLoginFailed(f"cannot read the OSM user details: {exc.__class__.__name__}") from None
    finally:
        _revoke(http, config, token)


def _post(http: requests.Session, url: str, config: OsmLoginConfig, data: dict[str, str]) -> dict[str, object]:
    try:
        response = http.post(url, data={**data, "client_id": config.client_id,
                                        "client_secret": config.client_secret}, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise OsmLoginFailed(f"cannot reach {url}: {exc.__class__.__name__}") from None
    if response.status_code != 200:
        # The body may echo what was sent: only the status goes into the message.
        raise OsmLoginFailed(f"{url} answered HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise OsmLoginFailed(f"{url} did not answer JSON") from None
    return body if isinstance(body, dict) else {}


def _revoke(http: requests.Session, config: OsmLoginConfig, token: str) -> None:
    # Best effort: the token only reads preferences and expires anyway.
    with contextlib.suppress(requests.RequestException):
        http.post(f"{config.server_url}/oauth2/revoke", timeout=TIMEOUT_S,
                  data={"token": token, "client_id": config.client_id, "client_secret": config.client_secret})
