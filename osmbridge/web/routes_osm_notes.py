"""The JSON API of OSM notes: the notes next to an item's place, and publishing a needs-survey item as a note."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request

from osmbridge.web.context import web
from osmbridge.web.guard import Decider, Reader
from osmbridge.web.operations import item_of
from osmbridge.web.osm_notes import NoteView, place_notes, publish
from osmbridge.web.problems import Problem

router = APIRouter(prefix="/api", tags=["osm notes"])


@router.get("/datasets/{dataset}/items/{item_id}/osm-notes",
            summary="The OSM notes next to an item's place, or followed by it (open ones first)")
def item_notes(request: Request, dataset: str, item_id: str, session: Reader) -> list[dict[str, Any]]:
    context = web(request)
    _dataset(request, dataset)
    item = item_of(context.store, dataset, item_id)
    return [_note_json(view) for view in place_notes(context.store, item.difference, [item.id])]


@router.post("/datasets/{dataset}/items/{item_id}/osm-note",
             summary="Publish a needs-survey item as an OSM note, or follow the open note near it",
             description="Refused with 409 (not needs-survey, dataset not opted in, another publication under "
                         "way), 429 (the pace of [osm_notes], or the OSM API's), 503 (no token), 502 (the OSM API "
                         "refused). `origin` is `created` or `existing`; `already` when nothing was sent.")
def item_publish(request: Request, dataset: str, item_id: str, session: Decider) -> dict[str, Any]:
    context = web(request)
    config = _dataset(request, dataset)
    item = item_of(context.store, dataset, item_id)
    published = publish(context.store, config, item, session.user)
    return {"item_id": published.item_id, "note_id": published.note.id, "origin": published.origin,
            "already": published.already, "url": f"https://www.openstreetmap.org/note/{published.note.id}"}


def _dataset(request: Request, name: str) -> Any:
    datasets = web(request).config.datasets
    if name not in datasets:
        raise Problem(404, "error.404", f"no dataset {name!r}")
    return datasets[name]


def _note_json(view: NoteView) -> dict[str, Any]:
    note = view.note
    return {"id": note.id, "url": view.url, "status": note.status, "lon": note.lon, "lat": note.lat,
            "created_at": note.created_at, "closed_at": note.closed_at, "text": note.text,
            "comments": [{"action": c.action, "date": c.date, "user": c.user, "text": c.text} for c in note.comments],
            "concern": view.concern, "keyword": view.keyword, "distance_m": view.distance_m,
            "followed": bool(view.followed_by)}
