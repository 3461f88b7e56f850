"""Server-rendered pages: the Jinja2 environment and what every template gets (words, user, CSRF token)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from osmbridge.diff.places import UNKNOWN_CATEGORY
from osmbridge.report.i18n import LANGUAGES
from osmbridge.web.guard import current_session
from osmbridge.web.i18n import LANG_COOKIE, choose_language, translator
from osmbridge.web.notes import reason_text


def category_text(category: str | None, t: Callable[..., str]) -> str:
    """A place's category as the reader sees it: "several categories fit" is said in their language."""
    return t("category.unknown") if category == UNKNOWN_CATEGORY else category or ""


@cache
def environment() -> Environment:
    """The templates of osmbridge/web/templates, autoescaped."""
    return Environment(loader=PackageLoader("osmbridge.web", "templates"), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def language(request: Request) -> str:
    """The language of this request's page."""
    return choose_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                           request.headers.get("accept-language", ""))


def href(request: Request, path: str, **query: Any) -> str:
    """A link inside the application (behind a proxy prefix too), with the non-empty query values."""
    values = {k: v for k, v in query.items() if v not in (None, "")}
    return request.scope.get("root_path", "") + path + (f"?{urlencode(values, doseq=True)}" if values else "")


def with_query(request: Request, **changes: Any) -> str:
    """This page's address with some query values changed (None removes one): filters stay shareable."""
    values = {k: v for k, v in request.query_params.multi_items() if k not in changes}
    values.update({k: v for k, v in changes.items() if v not in (None, "")})
    return href(request, request.url.path, **values)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's language; a `?lang=` switch is remembered in a cookie."""
    lang = language(request)
    session = current_session(request)
    t = translator(lang)
    page = environment().get_template(template).render(
        request=request, t=t, lang=lang, languages=LANGUAGES, session=session,
        user=session.user if session else None, csrf_token=session.csrf_token if session else "",
        href=lambda path, **query: href(request, path, **query),
        with_query=lambda **changes: with_query(request, **changes),
        reason_text=lambda reason, author: reason_text(reason, author, lang),
        category_text=lambda category: category_text(category, t), **context)
    response = HTMLResponse(page, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    if request.query_params.get("lang") in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path="/", samesite="lax", httponly=True)
    return response
