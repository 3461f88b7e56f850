"""Who may do what: login, CSRF and role checks shared by the pages and the JSON API.

Every state-changing request passes `deciding_session`: a live session (else 401), a same-site
origin and the session's CSRF token in the form or the X-CSRF-Token header (else 403). What the
role may decide is checked against the item itself (`check_direction`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends

from starlette.requests import Request

from osmbridge.model import Direction, Role
from osmbridge.store.accounts import User, WebSession
from osmbridge.web.context import web
from osmbridge.web.problems import Problem
from osmbridge.web.sessions import CSRF_FIELD, CSRF_HEADER, same_token

# The direction each role decides; admins manage users and datasets, they do not review.
ROLE_DIRECTION: dict[Role, Direction] = {"mapper": "to_osm", "city_staff": "to_city"}


def current_session(request: Request) -> WebSession | None:
    """The request's live session, or None (read once per request)."""
    if not hasattr(request.state, "session"):
        request.state.session = web(request).sessions.current(request)
    session: WebSession | None = request.state.session
    return session


def reading_session(request: Request) -> WebSession | None:
    """The session of a request that only reads: anonymous allowed when the site is public (`public_read`)."""
    session = current_session(request)
    if session is None and not web(request).config.web.public_read:
        raise Problem(401, "error.401", "log in first")
    return session


def logged_in(request: Request) -> WebSession:
    session = current_session(request)
    if session is None:
        raise Problem(401, "error.401", "log in first")
    return session


async def deciding_session(request: Request) -> WebSession:
    """The session of a state-changing request, after its login, origin and CSRF checks."""
    session = logged_in(request)
    _check_origin(request)
    given = request.headers.get(CSRF_HEADER)
    if given is None and _is_form(request):
        given = (await request.form()).get(CSRF_FIELD)  # type: ignore[assignment]
    if not same_token(session.csrf_token, given if isinstance(given, str) else None):
        raise Problem(403, "error.csrf", "missing or wrong CSRF token")
    return session


async def admin_session(request: Request) -> WebSession:
    session = await deciding_session(request)
    require_role(session.user, "admin")
    return session


def require_role(user: User, *roles: Role) -> None:
    if user.role not in roles:
        raise Problem(403, "error.403", f"role {user.role} may not do this")


def check_direction(user: User, direction: Direction) -> None:
    """Refuse a decision about `direction` by a role that decides the other one (403)."""
    if ROLE_DIRECTION.get(user.role) != direction:
        raise Problem(403, "error.role", f"a {user.role} may not decide proposals {direction.replace('_', ' ')}")


def reviewer_direction(user: User) -> Direction:
    """The direction `user` decides; 403 for a role that reviews nothing."""
    direction = ROLE_DIRECTION.get(user.role)
    if direction is None:
        raise Problem(403, "error.role", f"a {user.role} does not review proposals")
    return direction


def _check_origin(request: Request) -> None:
    # Browsers send Origin on cross-site POSTs; a form from elsewhere is refused even before the token.
    origin = request.headers.get("origin")
    if not origin:
        return
    allowed = {request.headers.get("host", request.url.netloc)}
    public_url = web(request).config.web.public_url
    if public_url:
        allowed.add(urlsplit(public_url).netloc)
    if urlsplit(origin).netloc not in allowed:
        raise Problem(403, "error.csrf", "cross-site request")


def _is_form(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


# Route parameters: `session: Reader` (may be None on a public site), `Decider`, `Admin`.
Reader = Annotated[WebSession | None, Depends(reading_session)]
Decider = Annotated[WebSession, Depends(deciding_session)]
Admin = Annotated[WebSession, Depends(admin_session)]
