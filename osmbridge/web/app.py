"""The review web application: `create_app(config, secret_key)` returns the ASGI app `osmbridge serve` runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import requests
import xstatic.pkg.leaflet
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from osmbridge import __version__
from osmbridge.config import Config
from osmbridge.store import Accounts, Store
from osmbridge.web.context import WebContext
from osmbridge.web.guard import Problem
from osmbridge.web.queues import Neighbourhoods
from osmbridge.web.render import href, render
from osmbridge.web.sessions import Sessions, utc_now

log = logging.getLogger("osmbridge.web")
STATIC = Path(__file__).parent / "static"

# Scripts only from this site: no inline script, so an injected <script> does not run. Tiles come
# from openstreetmap.org when the reader is online.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self' https:; base-uri 'none'")


def create_app(config: Config, secret_key: str, *, osm_http: requests.Session | None = None,
               clock: Callable[[], datetime] = utc_now) -> FastAPI:
    """Build the application on the configured store; `secret_key` signs the cookies."""
    from osmbridge.web import (routes_admin, routes_api, routes_auth, routes_osm_notes, routes_pages, routes_producers,
                               routes_survey)

    store = Store(config.store_url)
    accounts = Accounts(store.engine)
    secure = bool(config.web.public_url and config.web.public_url.startswith("https://"))
    sessions = Sessions(accounts, secret_key, hours=config.web.session_hours, secure=secure, clock=clock)
    app = FastAPI(title="osmbridge review API", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Review the differences between a city's open data and OpenStreetMap. "
                              "Log in at /login first; every call that changes something sends the session's "
                              "CSRF token (shown on every page as <body data-csrf>) in the X-CSRF-Token header.")
    app.state.web = WebContext(config=config, store=store, accounts=accounts, sessions=sessions,
                               neighbourhoods=_neighbourhoods(config), osm_http=osm_http or requests.Session())
    app.mount("/static/leaflet", StaticFiles(directory=xstatic.pkg.leaflet.BASE_DIR), name="leaflet")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_api.router)
    app.include_router(routes_osm_notes.router)
    app.include_router(routes_producers.api)
    app.include_router(routes_admin.router)
    app.include_router(routes_survey.router)
    app.include_router(routes_producers.router)  # before the pages: /d/<dataset>/producers is no queue
    app.include_router(routes_pages.router)
    app.add_exception_handler(Problem, _problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.middleware("http")(_security_headers)
    return app


async def _security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
    response: Response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.url.scheme == "https":
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


async def _problem(request: Request, problem: Problem) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": problem.detail or problem.key, "code": problem.key},
                            status_code=problem.status)
    if problem.status == 401 and request.method in ("GET", "HEAD"):
        return RedirectResponse(href(request, "/login", next=request.url.path +
                                     (f"?{request.url.query}" if request.url.query else "")), status_code=303)
    if problem.status == 400 and problem.key == "error.404":
        # A filter or form value this page does not know: "Not found" would send the reader looking elsewhere.
        return render(request, "error.html.j2", status=400, key="error.400", detail=problem.detail)
    return render(request, "error.html.j2", status=problem.status, key=problem.key)


async def _invalid(request: Request, error: RequestValidationError) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": error.errors(), "code": "invalid"}, status_code=422)
    return render(request, "error.html.j2", status=422, key="error.400")


def _neighbourhoods(config: Config) -> Neighbourhoods:
    if config.web.neighbourhoods is None:
        return Neighbourhoods(())
    from osmbridge.party import load_neighbourhoods

    return Neighbourhoods(load_neighbourhoods(config.web.neighbourhoods, config.web.neighbourhood_name_property))
