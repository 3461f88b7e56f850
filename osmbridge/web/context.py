"""What every request handler reaches through `request.app.state.web`: config, store, accounts, sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from osmbridge.config import Config
from osmbridge.store import Accounts, Store
from osmbridge.web.login_limit import LoginLimit
from osmbridge.web.queues import Neighbourhoods
from osmbridge.web.sessions import Sessions


@dataclass(slots=True)
class WebContext:
    """The application's long-lived parts, built once by `create_app`."""

    config: Config
    store: Store
    accounts: Accounts
    sessions: Sessions
    neighbourhoods: Neighbourhoods = field(default_factory=lambda: Neighbourhoods(()))
    login_limit: LoginLimit = field(default_factory=LoginLimit)
    osm_http: Any = None  # requests.Session for the OSM OAuth2 calls (tests point it at an emulator)


def web(request: Request) -> WebContext:
    """The application context of a request."""
    context: WebContext = request.app.state.web
    return context
