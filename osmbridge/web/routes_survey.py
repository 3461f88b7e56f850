"""Field survey pages: agents answer place by place on their phone; organisers see what is left.

`/survey` lists the neighbourhoods with their progress, `/survey/<area>` is the agent's page (every
place of the area, those with something to check first, one answer form), `/survey/<area>/place`
the same form for one place (works without JavaScript), `/survey/<area>/progress` the organisers'
view, and `POST /survey/answers` records an answer (a form post, or JSON from the page's outbox),
once per answer id.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from osmbridge.errors import OsmbridgeError
from osmbridge.model import SURVEY_KINDS, ReviewState, Role
from osmbridge.party.model import Check
from osmbridge.party.names import slugify
from osmbridge.party.tasks import ground_check
from osmbridge.review import ItemFilter
from osmbridge.store.survey_store import record_answer, survey_answers, survey_places
from osmbridge.survey import SurveyAnswer, SurveyError, check_answer
from osmbridge.survey.answers import new_answer_id
from osmbridge.survey.columns import city_columns
from osmbridge.survey.model import CityColumns, SurveyPlace
from osmbridge.survey.progress import SURVEY_VALID_DAYS, AreaProgress, area_progress, group_by_area, place_key
from osmbridge.web.context import web
from osmbridge.web.guard import Decider, Reader, logged_in, require_role
from osmbridge.web.problems import Problem
from osmbridge.web.render import href, render
from osmbridge.web.sessions import iso

router = APIRouter(include_in_schema=False)

# Who may record answers: field agents, and reviewers out on the ground (a mapping party).
SURVEY_ROLES: tuple[Role, ...] = ("field_agent", "mapper", "city_staff")
ALL_PLACES = "all"  # the one area when no neighbourhoods are configured
# Keys an agent can read on the spot, offered for "value seen" (any other OSM key can be typed).
VALUE_KEYS = ("opening_hours", "name", "phone", "addr:housenumber", "addr:street", "wheelchair", "operator")
_WAITING: tuple[ReviewState, ...] = ("open", "stale", "deferred", "needs_survey")


@router.get("/survey")
def survey_home(request: Request, session: Reader) -> Response:
    since = _since(request)
    areas = [_progress(request, name, since) for name in _area_names(request)]
    return render(request, "survey_home.html.j2", areas=areas, slug=_slug, since=since[:10])


@router.get("/survey/{area}")
def survey_page(request: Request, area: str) -> Response:
    user = logged_in(request).user
    require_role(user, *SURVEY_ROLES)
    name = _area(request, area)
    progress = _progress(request, name, _since(request))
    return render(request, "survey.html.j2", area=progress, slug=area, answer_id=new_answer_id(),
                  value_keys=VALUE_KEYS, anchor=_anchor, recorded=request.query_params.get("recorded", ""),
                  error=request.query_params.get("error", ""))


@router.get("/survey/{area}/place")
def survey_place_page(request: Request, area: str) -> Response:
    user = logged_in(request).user
    require_role(user, *SURVEY_ROLES)
    _area(request, area)
    place = _place(request, request.query_params.get("dataset", ""), request.query_params.get("city") or None,
                   request.query_params.get("osm") or None)
    return render(request, "survey_place.html.j2", place=place, slug=area, answer_id=new_answer_id(),
                  value_keys=VALUE_KEYS)


@router.get("/survey/{area}/progress")
def survey_progress(request: Request, area: str, session: Reader) -> Response:
    name = _area(request, area)
    since = _since(request)
    progress = _progress(request, name, since)
    items = _survey_items(request, progress)
    return render(request, "survey_progress.html.j2", area=progress, slug=area, since=since[:10], items=items,
                  anchor=_anchor)


@router.post("/survey/answers")
async def post_answer(request: Request, session: Decider) -> Response:
    """Record one answer; JSON in, JSON out for the page's outbox, or a form post redirected back."""
    require_role(session.user, *SURVEY_ROLES)
    as_json = request.headers.get("content-type", "").startswith("application/json")
    if as_json:
        try:
            data = await request.json()
        except ValueError:
            raise Problem(400, "error.invalid", "the body is not JSON") from None
        if not isinstance(data, dict):
            raise Problem(400, "error.invalid", "the body must be a JSON object")
    else:
        data = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    now = datetime.now(UTC)
    try:
        answer = check_answer(_answer_of(data, session.user.username, now))
    except SurveyError as error:
        return _refused(request, as_json, data, str(error))
    place = _place(request, answer.dataset, answer.source_id, answer.osm_key)
    try:
        recorded = record_answer(web(request).store.engine, answer, place, _columns(request, place), iso(now))
    except SurveyError as error:
        return _refused(request, as_json, data, str(error), status=409)
    if as_json:
        return JSONResponse({"answer_id": answer.answer_id, "duplicate": recorded.duplicate,
                             "items": list(recorded.item_ids), "reopened": list(recorded.reopened),
                             "received_at": recorded.received_at})
    back = str(data.get("area") or ALL_PLACES)
    return RedirectResponse(href(request, f"/survey/{back}", recorded=answer.answer_id) + f"#place-{_anchor(place)}",
                            status_code=303)


# --- helpers -----------------------------------------------------------------------------------


def _answer_of(data: dict[str, Any], author: str, now: datetime) -> SurveyAnswer:
    """The answer a post describes; observed in the future (a phone's wrong clock) means now."""
    observed = _text(data, "observed_at")
    try:
        moment = datetime.fromisoformat(observed).astimezone(UTC) if observed else now
    except ValueError:
        raise SurveyError(f"field 'observed_at': {observed!r} is not an ISO 8601 time") from None
    return SurveyAnswer(answer_id=_text(data, "answer_id") or "", dataset=_text(data, "dataset") or "",
                        source_id=_text(data, "source_id"), osm_key=_text(data, "osm_key"),
                        answer=_text(data, "answer") or "", author=author,  # type: ignore[arg-type]
                        observed_at=iso(min(moment, now)), field=_text(data, "field"), value=_text(data, "value"),
                        lat=_number(data, "lat"), lon=_number(data, "lon"), comment=_text(data, "comment") or "")


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _number(data: dict[str, Any], name: str) -> float | None:
    text = _text(data, name)
    if text is None:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise SurveyError(f"field {name!r}: {text!r} is not a number") from None


def _refused(request: Request, as_json: bool, data: dict[str, Any], detail: str, status: int = 400) -> Response:
    if as_json:
        return JSONResponse({"detail": detail, "code": "error.invalid"}, status_code=status)
    back = str(data.get("area") or ALL_PLACES)
    return RedirectResponse(href(request, f"/survey/{back}", error=detail), status_code=303)


def _area_names(request: Request) -> list[str]:
    areas = web(request).neighbourhoods.areas
    return [n.name for n in areas] if areas else [ALL_PLACES]


def _slug(name: str) -> str:
    return ALL_PLACES if name == ALL_PLACES else slugify(name, max_length=80)


def _area(request: Request, slug: str) -> str:
    """The name of the area a URL names (404 otherwise)."""
    for name in _area_names(request):
        if _slug(name) == slug:
            return name
    raise Problem(404, "error.404", f"no neighbourhood {slug!r}")


def _since(request: Request) -> str:
    """The start of the survey window: `?since=YYYY-MM-DD`, else SURVEY_VALID_DAYS ago."""
    given = request.query_params.get("since", "")
    try:
        day = datetime.fromisoformat(given).replace(tzinfo=UTC) if given else None
    except ValueError:
        raise Problem(400, "error.invalid", f"since: {given!r} is not a date (YYYY-MM-DD)") from None
    return iso(day or datetime.now(UTC) - timedelta(days=SURVEY_VALID_DAYS))


def _all_places(request: Request) -> list[SurveyPlace]:
    engine = web(request).store.engine
    return [place for dataset in sorted(web(request).config.datasets) for place in survey_places(engine, dataset)]


def _progress(request: Request, name: str, since: str) -> AreaProgress:
    context = web(request)
    places = _all_places(request)
    if name != ALL_PLACES:
        places = group_by_area(places, context.neighbourhoods.name_of).get(name, [])
    answers = [a for dataset in {p.dataset for p in places}
               for a in survey_answers(context.store.engine, dataset=dataset, since=since)]
    answers.sort(key=lambda a: a.answer.observed_at, reverse=True)
    return area_progress(name, places, answers, _checks(request, {p.dataset for p in places}))


def _checks(request: Request, datasets: set[str]) -> dict[tuple[str, str, str], tuple[Check, ...]]:
    """What each place's waiting review items ask to see on the ground (the printed checklist's words)."""
    found: dict[tuple[str, str, str], list[Check]] = defaultdict(list)
    for dataset in sorted(datasets):
        for item in web(request).store.review_items(ItemFilter(dataset=dataset, states=_WAITING, present=True)):
            difference = item.difference
            if difference.kind in SURVEY_KINDS:
                continue
            check = ground_check(difference)
            if check is not None and check not in found[place_key(dataset, difference.source_id, difference.osm_key)]:
                found[place_key(dataset, difference.source_id, difference.osm_key)].append(check)
    return {key: tuple(checks) for key, checks in found.items()}


def _place(request: Request, dataset: str, source_id: str | None, osm_key: str | None) -> SurveyPlace:
    """The place of the dataset's latest run an answer is about (404 when that run did not see it)."""
    if dataset not in web(request).config.datasets:
        raise Problem(404, "error.404", f"no dataset {dataset!r}")
    for place in survey_places(web(request).store.engine, dataset):
        if (source_id is not None and place.source_id == source_id) or \
                (source_id is None and osm_key is not None and place.osm_key == osm_key):
            return place
    raise Problem(404, "error.404", f"the latest run of {dataset} has no place {source_id or osm_key!r}")


def _columns(request: Request, place: SurveyPlace) -> CityColumns:
    if place.source_id is None:
        return CityColumns()
    try:
        return city_columns(web(request).config.datasets[place.dataset].mapping, place.city_fields)
    except (OsmbridgeError, OSError):
        return CityColumns()  # the mapping changed or went away: the city-side item names no column


def _anchor(place: SurveyPlace) -> str:
    return slugify(f"{place.dataset}-{place.key}", max_length=120)


def _survey_items(request: Request, progress: AreaProgress) -> dict[str, list[Any]]:
    """The review items each surveyed place's latest answer made, by answer id."""
    store = web(request).store
    found: dict[str, list[Any]] = {}
    for status in progress.places:
        if status.answer is None:
            continue
        items = []
        for item_id in status.answer.item_ids + status.answer.reopened:
            try:
                items.append(store.review_item(item_id))
            except OsmbridgeError:
                continue
        found[status.answer.answer.answer_id] = items
    return found

