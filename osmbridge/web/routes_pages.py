"""The pages people read and the forms they post: datasets, queues, an item and its place, bulk acceptance."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from osmbridge.review.items import ItemFilter, ReviewItem
from osmbridge.store.accounts import WebSession
from osmbridge.store.snapshots import latest_places
from osmbridge.web.context import web
from osmbridge.web.guard import ROLE_DIRECTION, Decider, Reader
from osmbridge.web.problems import Problem
from osmbridge.web.licence import blocked_directions, item_blocked
from osmbridge.web.notes import note_text
from osmbridge.web.osm_notes import may_publish, place_notes, publish
from osmbridge.web.operations import (BULK_KINDS, accept_all, bulk_candidates, decide, digest, item_of,
                                      make_action)
from osmbridge.web.permissions import choices, match_options
from osmbridge.web.place_links import place_links
from osmbridge.web.queues import (CHANGED_SIDES, KINDS, QUEUES, STATE_CHOICES, WAITING, View, all_in_view,
                                  list_view, next_item, queue_filter)
from osmbridge.web.i18n import translator
from osmbridge.web.render import href, language, render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, session: Reader) -> Response:
    context = web(request)
    if session is not None and session.user.role == "field_agent":  # they review nothing: their page is the survey
        return RedirectResponse(href(request, "/survey"), status_code=303)
    datasets = []
    for name, dataset in sorted(context.config.datasets.items()):
        history = context.store.history(name)
        counts = {queue: context.store.count_review_items(
            _waiting(queue_filter(name, queue))) for queue in QUEUES}
        datasets.append({"name": name, "title": dataset.title, "last_run": history[-1] if history else None,
                         "counts": counts, "producers": len(dataset.producers)})
    return render(request, "home.html.j2", datasets=datasets, queues=QUEUES)


@router.get("/d/{dataset}")
def dataset_home(request: Request, dataset: str, session: Reader) -> Response:
    config = _dataset(request, dataset)
    queue = ROLE_DIRECTION.get(session.user.role, "to_osm") if session else "to_osm"
    # Someone answering for one producer of the dataset starts on that producer's items.
    mine = session.user.producer if session else None
    query = {"producer": mine} if mine and mine in {p.name for p in config.producers} else {}
    return RedirectResponse(href(request, f"/d/{dataset}/{queue}", **query), status_code=303)


@router.get("/d/{dataset}/{queue}")
def queue_page(request: Request, dataset: str, queue: str, session: Reader) -> Response:
    context = web(request)
    _dataset(request, dataset)
    view = View.parse(dataset, queue, request.query_params)
    if any(not value for value in request.query_params.values()) or request.query_params.get("state") == "waiting":
        # A filter form sends its empty fields too: answer with the short address, the one to share.
        kept = {k: v for k, v in request.query_params.items() if k in ("lang", "done") and v}
        return RedirectResponse(href(request, request.url.path, **view.query(), **kept), status_code=303)
    items, total = list_view(context.store, view, context.neighbourhoods)
    facets = ItemFilter(dataset=dataset)
    tabs = {q: context.store.count_review_items(_waiting(queue_filter(dataset, q))) for q in QUEUES}
    categories = sorted(k for k in context.store.review_counts(facets, by="category") if k)
    kinds = context.store.review_counts(queue_filter(dataset, view.queue), by="kind")
    user = session.user if session else None
    bulk = None
    if (user is not None and view.kind in BULK_KINDS and user.role in ROLE_DIRECTION
            and view.state in ("waiting", "open")):
        bulk = len(bulk_candidates(all_in_view(context.store, view, context.neighbourhoods), user, view.kind))
    rows = [{"item": item, "note": note_text(item.difference, language(request)),
             "neighbourhood": context.neighbourhoods.name_of(item.difference.lon, item.difference.lat)}
            for item in items]
    return render(request, "queue.html.j2", dataset=context.config.datasets[dataset], dataset_name=dataset,
                  blocked=blocked_directions(context.config.datasets[dataset], language(request)),
                  view=view, rows=rows, total=total, pages=max(1, -(-total // 50)), tabs=tabs, queues=QUEUES,
                  categories=categories, kinds=[k for k in KINDS if k in kinds], changed_sides=CHANGED_SIDES,
                  states=STATE_CHOICES, neighbourhoods=[n.name for n in context.neighbourhoods.areas],
                  producers=[p.producer for p in context.config.datasets[dataset].producers],
                  owners={p.name: p.producer.owner for p in context.config.datasets[dataset].producers},
                  bulk_count=bulk, item_query=urlencode({"queue": view.queue, **view.query(page=None)}),
                  done=request.query_params.get("done", ""))


@router.get("/d/{dataset}/items/{item_id}")
def item_page(request: Request, dataset: str, item_id: str, session: Reader) -> Response:
    return _item_response(request, dataset, item_id, session)


def _item_response(request: Request, dataset: str, item_id: str, session: WebSession | None,
                   status: int = 200, error: str = "") -> Response:
    context = web(request)
    config = _dataset(request, dataset)
    anchor = item_of(context.store, dataset, item_id)
    view = View.parse(dataset, request.query_params.get("queue") or "to_osm", request.query_params)
    place = anchor.difference
    siblings = context.store.review_items(ItemFilter(dataset=dataset, source_id=place.source_id, osm_key=place.osm_key,
                                                     present=True if anchor.present else None))
    if anchor.id not in {s.id for s in siblings}:
        siblings.insert(0, anchor)
    offered = [option.key for item in siblings for option in match_options(item)]
    city, osm = latest_places(context.store.engine, dataset,
                              [s for s in [place.source_id, *offered] if s],
                              [k for k in [place.osm_key, *offered] if k])
    user = session.user if session else None
    lang = language(request)
    blocked = blocked_directions(config, lang)
    rows = [{"item": item, "choices": choices(user, item), "note": note_text(item.difference, lang),
             "licence": item_blocked(item, blocked),
             "options": match_options(item), "history": context.store.review_history(item.id),
             "publish_note": may_publish(user, item, config)} for item in siblings]
    following = next_item(context.store, view, anchor, context.neighbourhoods)
    view_query = {"queue": view.queue, **view.query(page=None)}
    markers = _markers(anchor, city, osm, offered)
    links = place_links(place, config.city_url_template, [p.producer for p in config.producers])
    return render(request, "item.html.j2", status=status, dataset=config, dataset_name=dataset, anchor=anchor,
                  rows=rows, links=links, city=city.get(place.source_id or ""),
                  osm=osm.get(place.osm_key or ""), candidate_places=osm | city, view=view,
                  view_query=urlencode(view_query), next_item=following, error=error,
                  saved=request.query_params.get("saved", ""),
                  osm_notes=place_notes(context.store, place, [s.id for s in siblings]),
                  **_noted(request.query_params.get("noted", ""), request.query_params.get("noted_how", "")),
                  owners={p.name: p.producer.owner for p in config.producers},
                  producer_titles={p.name: p.producer.title for p in config.producers},
                  neighbourhood=context.neighbourhoods.name_of(place.lon, place.lat),
                  map_data=json.dumps({"markers": markers}).replace("<", "\\u003c"))


@router.post("/d/{dataset}/items/{item_id}")
async def item_decide(request: Request, dataset: str, item_id: str, session: Decider) -> Response:
    context = web(request)
    _dataset(request, dataset)
    form = await request.form()
    text = {key: value for key, value in form.items() if isinstance(value, str)}
    anchor = text.get("anchor") or item_id
    try:
        revision = int(text["revision"]) if text.get("revision") else None
    except ValueError:
        raise Problem(400, "error.invalid", "revision: expected a number") from None
    name = text.get("action", "")
    if name == "enter":  # Enter pressed in a text box (before, or without, the page's script)
        name = _entered_action(text)
        if not name:
            return _item_response(request, dataset, anchor, session, 400,
                                  translator(language(request))("item.enter_decides_nothing"))
    action = make_action(name, session.user, value=text.get("value"), reason=text.get("reason", ""),
                         osm_key=text.get("osm_key"), source_id=text.get("source_id"))
    try:
        decide(context.store, session.user, dataset, item_id, action, revision)
    except Problem as problem:
        if problem.status in (400, 409):  # show the page again with what went wrong
            return _item_response(request, dataset, anchor, session, problem.status, problem.detail)
        raise
    query = {k: v for k, v in request.query_params.items() if k != "saved"} | {"saved": item_id}
    return RedirectResponse(href(request, f"/d/{dataset}/items/{anchor}", **query), status_code=303)


@router.post("/d/{dataset}/items/{item_id}/osm-note")
async def item_publish_note(request: Request, dataset: str, item_id: str, session: Decider) -> Response:
    """Publish a needs-survey item as an OSM note (or follow the open one nearby); show the item again."""
    context = web(request)
    config = _dataset(request, dataset)
    form = await request.form()
    anchor = str(form.get("anchor") or item_id)
    item = item_of(context.store, dataset, item_id)
    try:
        published = publish(context.store, config, item, session.user)
    except Problem as problem:
        if problem.status == 403:
            raise
        return _item_response(request, dataset, anchor, session, problem.status, problem.detail)
    how = "already" if published.already else published.origin
    query = {k: v for k, v in request.query_params.items() if k not in ("noted", "noted_how", "saved")}
    return RedirectResponse(href(request, f"/d/{dataset}/items/{anchor}", **query, noted=str(published.note.id),
                                 noted_how=how), status_code=303)


@router.get("/d/{dataset}/{queue}/bulk")
def bulk_confirm(request: Request, dataset: str, queue: str, session: Reader) -> Response:
    context = web(request)
    _dataset(request, dataset)
    view = View.parse(dataset, queue, request.query_params)
    if session is None:
        raise Problem(401, "error.401")
    chosen = bulk_candidates(all_in_view(context.store, view, context.neighbourhoods), session.user, view.kind)
    return render(request, "bulk.html.j2", dataset=context.config.datasets[dataset], dataset_name=dataset,
                  view=view, items=chosen, digest=digest(chosen), changed=request.query_params.get("changed") == "1",
                  view_query=view.query(page=None))


@router.post("/d/{dataset}/{queue}/bulk")
async def bulk_accept(request: Request, dataset: str, queue: str, session: Decider) -> Response:
    context = web(request)
    _dataset(request, dataset)
    form = await request.form()
    view = View.parse(dataset, queue, {k: v for k, v in form.items() if isinstance(v, str)})
    chosen = bulk_candidates(all_in_view(context.store, view, context.neighbourhoods), session.user, view.kind)
    if not chosen or form.get("digest") != digest(chosen):
        # What is on the confirmation page is no longer the set: show the new count, decide nothing.
        return RedirectResponse(href(request, f"/d/{dataset}/{queue}/bulk", **view.query(page=None), changed="1"),
                                status_code=303)
    try:
        accept_all(context.store, session.user, chosen)
    except Problem as problem:
        if problem.status != 409:
            raise
        return RedirectResponse(href(request, f"/d/{dataset}/{queue}/bulk", **view.query(page=None), changed="1"),
                                status_code=303)
    return RedirectResponse(href(request, f"/d/{dataset}/{queue}", **view.query(page=None), done=str(len(chosen))),
                            status_code=303)


def _dataset(request: Request, name: str) -> Any:
    datasets = web(request).config.datasets
    if name not in datasets:
        raise Problem(404, "error.404", f"no dataset {name!r}")
    return datasets[name]


def _noted(note_id: str, how: str) -> dict[str, str]:
    """The note a publication just made the item follow, for the page's message (only well-formed values)."""
    return {"noted": note_id if note_id.isdigit() else "",
            "noted_how": how if how in ("created", "existing", "already") else "created"}


def _waiting(where: ItemFilter) -> ItemFilter:
    return replace(where, states=WAITING)


def _markers(anchor: ReviewItem, city: dict[str, Any], osm: dict[str, Any], offered: list[str]) -> list[dict[str, Any]]:
    """Points for the item's small map: the city record, the OSM place, the candidates (else the item's position)."""
    d = anchor.difference
    markers = []
    record = city.get(d.source_id or "")
    if record is not None and record.lat is not None:
        markers.append({"lat": record.lat, "lon": record.lon, "side": "city", "label": d.source_id})
    place = osm.get(d.osm_key or "")
    if place is not None:
        markers.append({"lat": place.lat, "lon": place.lon, "side": "osm", "label": d.osm_key})
    for key in offered:
        other = osm.get(key) or city.get(key)
        if other is not None and getattr(other, "lat", None) is not None:
            markers.append({"lat": other.lat, "lon": other.lon, "side": "candidate", "label": key})
    if not markers:
        markers.append({"lat": d.lat, "lon": d.lon, "side": "item", "label": d.name or d.id})
    return markers


def _entered_action(form: dict[str, str]) -> str:
    """The action Enter in a text box asks for: edit with the value typed, else reject with the reason typed.

    Without this, the browser would press the form's first button, which accepts: Enter never accepts.
    (With the page's script, Enter in the reason box presses "reject" itself.)
    """
    if form.get("value", "").strip():
        return "edit"
    if form.get("reason", "").strip():
        return "reject"
    return ""
