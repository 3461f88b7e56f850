"""The pages people read: the datasets, their queues, an item, bulk acceptance."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from osmbridge.store.accounts import WebSession
from osmbridge.web.context import web
from osmbridge.web.guard import reading_session
from osmbridge.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, session: WebSession | None = Depends(reading_session)) -> Response:
    context = web(request)
    runs = {}
    for name in context.config.datasets:
        history = context.store.history(name)
        runs[name] = history[-1] if history else None
    return render(request, "home.html.j2", datasets=context.config.datasets, runs=runs)
