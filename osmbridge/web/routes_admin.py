"""Administration: users (add, disable, change role) and the datasets' recent runs. Admins only."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from osmbridge.errors import OsmbridgeError
from osmbridge.store.accounts import ROLES
from osmbridge.web.context import web
from osmbridge.web.guard import Admin, logged_in, require_role
from osmbridge.web.passwords import hash_password
from osmbridge.web.render import href, render
from osmbridge.web.sessions import iso

log = logging.getLogger("osmbridge.web")
router = APIRouter(include_in_schema=False)


@router.get("/admin")
def admin_page(request: Request) -> Response:
    return _admin_page(request, done=request.query_params.get("done", ""))


def _admin_page(request: Request, error: str = "", done: str = "") -> Response:
    session = logged_in(request)
    require_role(session.user, "admin")
    context = web(request)
    runs = context.store.runs(limit=20)
    datasets = {name: context.store.history(name)[-5:] for name in sorted(context.config.datasets)}
    return render(request, "admin.html.j2", users=context.accounts.users(), roles=ROLES, runs=runs,
                  datasets=datasets, titles={n: d.title for n, d in context.config.datasets.items()},
                  error=error, done=done)


@router.post("/admin/users")
async def add_user(request: Request, session: Admin) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    context = web(request)
    try:
        password = form.get("password", "")
        context.accounts.add_user(form.get("username", "").strip(), form.get("role", ""),
                                  iso(context.sessions.clock()),
                                  password_hash=hash_password(password) if password else None,
                                  display_name=form.get("display_name", "").strip(),
                                  osm_name=form.get("osm_name", "").strip() or None)
    except OsmbridgeError as exc:
        return _admin_page(request, error=str(exc))
    log.info("admin %s added user %s (%s)", session.user.username, form.get("username"), form.get("role"))
    return RedirectResponse(href(request, "/admin", done=form.get("username", "")), status_code=303)


@router.post("/admin/users/{username}")
async def change_user(request: Request, username: str, session: Admin) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    accounts = web(request).accounts
    action = form.get("action", "")
    try:
        if username == session.user.username and action in ("disable", "role"):
            raise OsmbridgeError("administrators do not disable or demote themselves here; use `osmbridge users`")
        if action in ("disable", "enable"):
            accounts.set_disabled(username, action == "disable")
        elif action == "role":
            accounts.set_role(username, form.get("role", ""))
        else:
            raise OsmbridgeError(f"unknown action {action!r}")
    except OsmbridgeError as exc:
        return _admin_page(request, error=str(exc))
    log.info("admin %s: %s %s", session.user.username, action, username)
    return RedirectResponse(href(request, "/admin", done=username), status_code=303)
