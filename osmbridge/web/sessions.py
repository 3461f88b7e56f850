"""Login sessions: a random token in a signed, HttpOnly, SameSite cookie; its SHA-256 in the store.

The database never holds a usable token, logging out or disabling a user ends the session at once,
and each session carries the CSRF token its forms and JSON calls must send back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from osmbridge.store.accounts import Accounts, User, WebSession

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Sessions:
    """Opens, finds and closes sessions; `secure` marks cookies Secure (the site is served over https)."""

    def __init__(self, accounts: Accounts, secret_key: str, *, hours: float, secure: bool,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.accounts, self.hours, self.secure, self.clock = accounts, hours, secure, clock
        self.signer = URLSafeTimedSerializer(secret_key, salt="osmbridge.session")
        self.form_signer = URLSafeTimedSerializer(secret_key, salt="osmbridge.anonymous-form")
        # "__Host-" makes the browser refuse the cookie unless Secure, on this host only, path /.
        self.cookie = "__Host-osmbridge_session" if secure else "osmbridge_session"
        self.form_cookie = "__Host-osmbridge_form" if secure else "osmbridge_form"

    # --- logged-in sessions --------------------------------------------------------------------

    def open(self, response: Response, user: User) -> str:
        """Start a session for `user`, set its cookie on `response`; return its CSRF token."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        self.accounts.open_session(user.id, _digest(token), csrf, iso(now), iso(now + timedelta(hours=self.hours)))
        self.accounts.touch_login(user.id, iso(now))
        response.set_cookie(self.cookie, self.signer.dumps(token), max_age=int(self.hours * 3600), path="/",
                            secure=self.secure, httponly=True, samesite="lax")
        return csrf

    def current(self, request: Request) -> WebSession | None:
        """The request's live session, or None."""
        token = self._token(request)
        return None if token is None else self.accounts.session(_digest(token), iso(self.clock()))

    def close(self, request: Request, response: Response) -> None:
        token = self._token(request)
        if token is not None:
            self.accounts.close_session(_digest(token))
        response.delete_cookie(self.cookie, path="/", secure=self.secure, httponly=True, samesite="lax")

    def _token(self, request: Request) -> str | None:
        signed = request.cookies.get(self.cookie)
        if not signed:
            return None
        try:
            token = self.signer.loads(signed, max_age=int(self.hours * 3600))
        except BadSignature:
            return None
        return token if isinstance(token, str) else None

    # --- forms shown before login (the login form, the OSM login round trip) -------------------

    def anonymous_token(self, request: Request, purpose: str) -> tuple[str, bool]:
        """A CSRF token for a form shown before login, and whether it is new (then `set_anonymous` it).

        The signed cookie and the form field carry the same value; a page elsewhere can read neither.
        """
        value = self.anonymous_value(request, purpose)
        if isinstance(value, str):
            return value, False
        return secrets.token_urlsafe(32), True

    def set_anonymous(self, response: Response, purpose: str, value: object, max_age_s: int = 3600) -> None:
        response.set_cookie(f"{self.form_cookie}_{purpose}", self.form_signer.dumps(value), max_age=max_age_s,
                            path="/", secure=self.secure, httponly=True, samesite="lax")

    def anonymous_value(self, request: Request, purpose: str, max_age_s: int = 3600) -> object | None:
        signed = request.cookies.get(f"{self.form_cookie}_{purpose}")
        if not signed:
            return None
        try:
            return self.form_signer.loads(signed, max_age=max_age_s)
        except BadSignature:
            return None

    def clear_anonymous(self, response: Response, purpose: str) -> None:
        response.delete_cookie(f"{self.form_cookie}_{purpose}", path="/", secure=self.secure, httponly=True,
                               samesite="lax")


def same_token(expected: str | None, given: str | None) -> bool:
    """Compare two CSRF tokens in constant time (False when either is missing)."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
