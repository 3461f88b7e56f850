"""The JSON API (OpenAPI at /api/openapi.json): the same reading and deciding as the pages, for scripts and tools.

Authentication is the browser session (log in at /login); every call that changes something sends
the session's CSRF token in the X-CSRF-Token header (GET /api/session returns it).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse

from osmbridge.i18n import notes_to_json
from osmbridge.review import ReviewItem, candidates
from osmbridge.store.accounts import User
from osmbridge.web.context import web
from osmbridge.web.guard import ROLE_DIRECTION, Decider, Reader, current_session
from osmbridge.web.licence import item_json
from osmbridge.web.notes import note_text
from osmbridge.web.operations import accept_all, bulk_candidates, decide, item_of, make_action
from osmbridge.web.permissions import choices
from osmbridge.web.place_links import place_links
from osmbridge.web.problems import Problem
from osmbridge.web.queues import QUEUES, WAITING, View, all_in_view, list_view, queue_filter

router = APIRouter(prefix="/api", tags=["review"])

ActionName = Literal["accept", "edit", "reject", "defer", "survey", "reopen", "choose", "same", "not_same",
                     "no_counterpart"]


class DecisionIn(BaseModel):
    """A decision on one item. accept/edit go in the caller's direction (mapper: to OSM, city staff: to the city)."""

    action: ActionName
    value: str | None = Field(None, description="edit: the value to write")
    reason: str = Field("", description="reject: required; others: optional")
    osm_key: str | None = Field(None, description="choose/same/not_same: the OSM object (n123, w45, r6)")
    source_id: str | None = Field(None, description="choose/same/not_same: the city record id")
    revision: int | None = Field(None, description="the item's revision you read; refused (409) if it changed")


class BulkIn(BaseModel):
    """Accept every open item of one kind in a filtered queue, in the caller's direction."""

    kind: str
    expected_count: int = Field(..., description="how many items you expect; 409 if the set is not that size")
    category: str = ""
    neighbourhood: str = ""
    changed: str = ""
    q: str = ""


def _view(request: Request, dataset: str, queue: str, state: str = "waiting", kind: str = "", category: str = "",
          neighbourhood: str = "", changed: str = "", q: str = "", page: int = 1, producer: str = "") -> View:
    _check_dataset(request, dataset)
    return View.parse(dataset, queue, {"state": state, "kind": kind, "category": category,
                                       "neighbourhood": neighbourhood, "changed": changed, "q": q,
                                       "page": str(page), "producer": producer})


@router.get("/session", summary="Who is logged in, and the CSRF token to send with changes")
def session_info(request: Request) -> dict[str, Any]:
    session = current_session(request)
    if session is None:
        return {"user": None, "csrf_token": None}
    return {"user": _user(session.user), "csrf_token": session.csrf_token}


@router.get("/datasets", summary="The datasets and how many items wait in each queue")
def datasets(request: Request, session: Reader) -> list[dict[str, Any]]:
    context = web(request)
    out = []
    for name, dataset in sorted(context.config.datasets.items()):
        history = context.store.history(name)
        out.append({"name": name, "title": dataset.title, "last_run": history[-1].started_at if history else None,
                    "waiting": {queue: context.store.count_review_items(
                        _with_states(queue_filter(name, queue))) for queue in QUEUES}})
    return out


@router.get("/datasets/{dataset}/queues/{queue}/items", summary="One page of a filtered queue")
def queue_items(request: Request, view: Annotated[View, Depends(_view)], session: Reader,
                per_page: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    context = web(request)
    items, total = list_view(context.store, view, context.neighbourhoods, page_size=per_page)
    user = session.user if session else None
    return {"total": total, "page": view.page, "per_page": per_page,
            "items": [_item(request, item, user) for item in items]}


@router.get("/datasets/{dataset}/items/{item_id}", summary="One item, with its audit history")
def item(request: Request, dataset: str, item_id: str, session: Reader) -> dict[str, Any]:
    _check_dataset(request, dataset)
    context = web(request)
    found = item_of(context.store, dataset, item_id)
    return _item(request, found, session.user if session else None) | {
        "history": [_entry(e) for e in context.store.review_history(item_id)]}


@router.post("/datasets/{dataset}/items/{item_id}/decision", summary="Decide one item")
def decide_item(request: Request, dataset: str, item_id: str, body: DecisionIn, session: Decider) -> dict[str, Any]:
    _check_dataset(request, dataset)
    action = make_action(body.action, session.user, value=body.value, reason=body.reason, osm_key=body.osm_key,
                         source_id=body.source_id)
    done = decide(web(request).store, session.user, dataset, item_id, action, body.revision)
    return _item(request, done, session.user)


@router.post("/datasets/{dataset}/queues/{queue}/bulk-accept",
             summary="Accept every open item of one kind in a filtered queue (all or none)")
def bulk_accept(request: Request, dataset: str, queue: str, body: BulkIn, session: Decider) -> dict[str, Any]:
    view = _view(request, dataset, queue, "open", body.kind, body.category, body.neighbourhood, body.changed, body.q)
    context = web(request)
    chosen = bulk_candidates(all_in_view(context.store, view, context.neighbourhoods), session.user, view.kind)
    if len(chosen) != body.expected_count:
        raise Problem(409, "bulk.changed", f"{len(chosen)} items match, not {body.expected_count}: nothing accepted")
    done = accept_all(context.store, session.user, chosen)
    return {"accepted": len(done), "items": [i.id for i in done]}


@router.get("/datasets/{dataset}/open.geojson", summary="The items waiting for a person, as GeoJSON points",
            response_class=JSONResponse)
def open_geojson(request: Request, dataset: str, session: Reader, queue: str | None = None, state: str = "waiting",
                 kind: str = "", category: str = "", neighbourhood: str = "", changed: str = "") -> JSONResponse:
    _check_dataset(request, dataset)
    context = web(request)
    found: dict[str, ReviewItem] = {}
    for name in ([queue] if queue else list(QUEUES)):
        view = _view(request, dataset, name, state, kind, category, neighbourhood, changed)
        found.update((i.id, i) for i in all_in_view(context.store, view, context.neighbourhoods))
    features = [{"type": "Feature", "id": i.id,
                 "geometry": {"type": "Point", "coordinates": [round(i.difference.lon, 7), round(i.difference.lat, 7)]},
                 "properties": _item(request, i, None)} for i in sorted(found.values(), key=lambda i: i.id)]
    return JSONResponse({"type": "FeatureCollection", "features": features},
                        media_type="application/geo+json")


@router.get("/datasets/{dataset}/audit", summary="The audit log of a dataset, newest first")
def audit(request: Request, dataset: str, session: Reader, author: str | None = None, since: str | None = None,
          limit: Annotated[int, Query(ge=1, le=5000)] = 200) -> list[dict[str, Any]]:
    _check_dataset(request, dataset)
    return [_entry(e) for e in web(request).store.audit_log(dataset=dataset, author=author, since=since, limit=limit)]


def _check_dataset(request: Request, dataset: str) -> None:
    if dataset not in web(request).config.datasets:
        raise Problem(404, "error.404", f"no dataset {dataset!r}")


def _with_states(where: Any) -> Any:
    from dataclasses import replace

    return replace(where, states=WAITING)


def _user(user: User) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.label, "role": user.role,
            "decides": ROLE_DIRECTION.get(user.role), "producer": user.producer}


def _item(request: Request, item: ReviewItem, user: User | None) -> dict[str, Any]:
    d = item.difference
    context = web(request)
    dataset = context.config.datasets[d.dataset]
    links = place_links(d, dataset.city_url_template, [p.producer for p in dataset.producers])
    base = context.config.web.public_url or str(request.base_url).rstrip("/")
    allowed = choices(user, item)
    return {
        "id": item.id, "dataset": d.dataset, "kind": d.kind, "field": d.field, "city_value": d.city_value,
        "osm_value": d.osm_value, "base_city_value": d.base_city_value, "base_osm_value": d.base_osm_value,
        "changed_side": d.changed_side, "proposal": d.proposal, "source_id": d.source_id, "osm_key": d.osm_key,
        "name": d.name, "category": d.category, "lon": d.lon, "lat": d.lat, "distance_m": d.distance_m,
        "note": note_text(d, "en"), "notes": notes_to_json(d.note), "candidates": list(candidates(d)),
        # Datasets with several producers: who it is for (the producer holding the field first), who says what.
        "producers": list(d.producers), "producer_values": [list(pair) for pair in d.producer_values],
        "state": item.state, "revision": item.revision,
        # The directions the licence gate keeps this item from, with why (empty: nothing kept back).
        "licence_blocked": item_json(item, dataset),
        "decision": {"direction": item.decision.direction, "value": item.decision.value,
                     "reason": item.decision.reason, "author": item.decision.author,
                     "decided_at": item.decision.decided_at, "match_verdict": item.decision.match_verdict},
        "previous": None if item.previous is None else {
            "state": item.previous.state, "value": item.previous.value, "author": item.previous.author,
            "seen_city_value": item.previous.seen_city_value, "seen_osm_value": item.previous.seen_osm_value},
        "you_may": None if user is None else {"direction": allowed.direction, "reject": allowed.value_actions,
                                              "match": allowed.match},
        "links": {"review": f"{base}/d/{d.dataset}/items/{item.id}", "osm": links.osm, "city": links.city,
                  "josm": links.josm, "id_editor": links.id_editor},
    }


def _entry(entry: Any) -> dict[str, Any]:
    return {"id": entry.id, "item_id": entry.item_id, "at": entry.at, "author": entry.author, "action": entry.action,
            "old_state": entry.old_state, "new_state": entry.new_state, "direction": entry.direction,
            "value": entry.value, "reason": entry.reason, "city_value": entry.city_value, "osm_value": entry.osm_value,
            "run_id": entry.run_id, "details": dict(entry.details)}
