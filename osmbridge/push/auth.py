"""The OAuth2 token osmbridge writes to OSM with: from the environment or a private token file.

The token never lives in config.toml, never appears in a message or a log line. `osmbridge osm login`
obtains one with the authorization-code flow and PKCE (S256) against the configured OSM server:
print the authorization URL, read the code the user pastes, exchange it, store the token in a file
only its owner can read (0600).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import stat
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import requests

from osmbridge.errors import OsmbridgeError

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = "read_prefs write_api write_notes"  # one token pushes edits and signs OSM notes


class TokenError(OsmbridgeError):
    """No usable OSM token."""


def load_token(env_token: str | None, token_file: Path) -> str:
    """The token from the environment (OSMBRIDGE_OSM_TOKEN), else from `token_file` (which must be private)."""
    if env_token and env_token.strip():
        return env_token.strip()
    try:
        mode = token_file.stat().st_mode
    except FileNotFoundError:
        raise TokenError(f"no OSM token: {token_file} does not exist and OSMBRIDGE_OSM_TOKEN is not set. "
                         "Run `osmbridge osm login` to get one.") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise TokenError(f"{token_file} can be read by other users; run `chmod 600 {token_file}` "
                         "(or get a new token with `osmbridge osm login`)")
    token = token_file.read_text(encoding="utf-8").strip()
    if not token:
        raise TokenError(f"{token_file} is empty; run `osmbridge osm login` to get a token")
    return token


def save_token(token: str, token_file: Path) -> Path:
    """Write the token to `token_file` with mode 0600 (temp file in the same folder, then rename)."""
    token_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(prefix=f".{token_file.name}.", dir=token_file.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, token_file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return token_file


@dataclass(frozen=True, slots=True)
class LoginRequest:
    """One authorization request: the URL to open, and the secrets to finish it with."""

    url: str
    verifier: str
    state: str


def start_login(auth_url: str, client_id: str, redirect_uri: str = OOB_REDIRECT, scope: str = SCOPES) -> LoginRequest:
    """The authorization URL (PKCE S256) the user opens in a browser."""
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(16)
    query = urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                       "scope": scope, "code_challenge": challenge, "code_challenge_method": "S256", "state": state})
    return LoginRequest(f"{auth_url.rstrip('/')}/oauth2/authorize?{query}", verifier, state)


def finish_login(auth_url: str, client_id: str, request: LoginRequest, code: str,
                 redirect_uri: str = OOB_REDIRECT, timeout_s: float = 30.0) -> str:
    """Exchange the authorization code for an access token; return the token."""
    try:
        response = requests.post(f"{auth_url.rstrip('/')}/oauth2/token", timeout=timeout_s, data={
            "grant_type": "authorization_code", "code": code.strip(), "redirect_uri": redirect_uri,
            "client_id": client_id, "code_verifier": request.verifier})
    except requests.RequestException as error:
        raise TokenError(f"cannot reach {auth_url}: {error.__class__.__name__}") from None
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code != 200 or not answer.get("access_token"):
        reason = answer.get("error_description") or answer.get("error") or f"HTTP {response.status_code}"
        raise TokenError(f"{auth_url} did not give a token: {reason}. Start again with `osmbridge osm login` "
                         "(a code works once, for a few minutes)")
    return str(answer["access_token"])


def token_user(api_url: str, token: str, timeout_s: float = 30.0) -> str:
    """The display name of the account a token belongs to (checks the token works)."""
    response = requests.get(f"{api_url.rstrip('/')}/api/0.6/user/details", timeout=timeout_s,
                            headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        raise TokenError(f"the OSM API refused the new token (HTTP {response.status_code})")
    user = ET.fromstring(response.content).find("user")
    return user.get("display_name", "?") if user is not None else "?"


def login(auth_url: str, api_url: str, client_id: str, token_file: Path, *, read_code: Callable[[str], str],
          show: Callable[[str], None], redirect_uri: str = OOB_REDIRECT) -> tuple[Path, str]:
    """Run the whole flow: show the URL, read the code, store the token; return (token file, user name)."""
    request = start_login(auth_url, client_id, redirect_uri)
    show("Open this address, log in to OpenStreetMap and allow osmbridge / Ouvrez cette adresse, "
         "connectez-vous à OpenStreetMap et autorisez osmbridge :\n\n  " + request.url + "\n")
    code = read_code("Paste the authorization code / Collez le code d'autorisation : ")
    token = finish_login(auth_url, client_id, request, code, redirect_uri)
    user = token_user(api_url, token)
    return save_token(token, token_file), user
