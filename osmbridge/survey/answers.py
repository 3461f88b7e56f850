"""What a field agent's answer asks of each side: one survey item per side it would change.

| answer | to OSM (the place has an OSM object) | to the city (the place has a city record) |
|---|---|---|
| exists | `check_date=<day>` | `check_date` too, when the mapping maps a city column to it |
| closed | main keys under `disused:` (amenity=x -> disused:amenity=x) | "closed" |
| moved | the tapped "lat,lon" | the tapped "lat,lon" |
| value | `<key>=<value read>` | the value read, for the column the mapping maps to the key |

A side is left out when it already says what the agent saw (the same value, a position within
MOVED_MIN_M, a place already disused in OSM). An answer that changes neither side still becomes one
item, which goes nowhere (proposal "review") and is closed at once as agreeing: the check is on
record without waiting in anyone's queue. Pure: no clock, store or network.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from shapely.geometry import Point

from osmbridge.diff.build import present, render_tags
from osmbridge.diff.geometry import distance_m
from osmbridge.diff.ids import ID_LENGTH
from osmbridge.diff.pair import LIFECYCLE_KEYS, LIFECYCLE_PREFIX
from osmbridge.errors import OsmbridgeError
from osmbridge.model import Difference, DiffKind, Direction, Note, Proposal, TagEdit
from osmbridge.survey.model import ANSWER_KINDS, CityColumns, SurveyAnswer, SurveyPlace

# A side whose position is this close to where the agent tapped needs no move: a finger on a
# phone's map at street zoom is not more precise than that.
MOVED_MIN_M = 5.0
# OSM limits keys and values to 255 characters.
MAX_VALUE_LENGTH = 255
MAX_COMMENT_LENGTH = 500
_KEY = re.compile(r"[a-z][a-z0-9_]*(:[A-Za-z0-9_-]+)*")  # ref:FR:SIRET, addr:street
_ANSWER_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
_KIND: dict[str, DiffKind] = {"exists": "survey_exists", "closed": "survey_closed", "moved": "survey_moved",
                              "value": "survey_value"}


class SurveyError(OsmbridgeError):
    """An answer that cannot be recorded as sent (the message says which field and why)."""


@dataclass(frozen=True, slots=True)
class SurveyOutcome:
    """The survey items an answer makes, and whether both sides already agreed with it."""

    differences: tuple[Difference, ...]
    agrees: bool  # True: one item going nowhere, to close at once


def new_answer_id() -> str:
    """Return a fresh answer id, for a form the server renders (the browser makes its own)."""
    return str(uuid.uuid4())


def check_answer(answer: SurveyAnswer) -> SurveyAnswer:
    """Return the answer with its text trimmed and its position rounded; SurveyError naming the field otherwise."""
    if not _ANSWER_ID.fullmatch(answer.answer_id or ""):
        raise SurveyError(f"field 'answer_id': {answer.answer_id!r} is not an answer id (8 to 64 letters, digits "
                          "or '-'); reload the survey page")
    if answer.answer not in ANSWER_KINDS:
        raise SurveyError(f"field 'answer': {answer.answer!r}, expected one of {', '.join(ANSWER_KINDS)}")
    if answer.source_id is None and answer.osm_key is None:
        raise SurveyError("fields 'source_id' and 'osm_key': give the place's city id, its OSM id, or both")
    try:
        datetime.fromisoformat(answer.observed_at)
    except (TypeError, ValueError):
        raise SurveyError(f"field 'observed_at': {answer.observed_at!r} is not an ISO 8601 time") from None
    comment = " ".join((answer.comment or "").split())
    if len(comment) > MAX_COMMENT_LENGTH:
        raise SurveyError(f"field 'comment': {len(comment)} characters, at most {MAX_COMMENT_LENGTH}")
    checked = replace(answer, comment=comment, field=None, value=None, lat=None, lon=None)
    if answer.answer == "value":
        key = (answer.field or "").strip()
        value = " ".join((answer.value or "").split())
        if not _KEY.fullmatch(key):
            raise SurveyError(f"field 'field': {answer.field!r} is not an OSM key (opening_hours, name, addr:street)")
        if not value or len(value) > MAX_VALUE_LENGTH:
            raise SurveyError(f"field 'value': write what you read, 1 to {MAX_VALUE_LENGTH} characters")
        checked = replace(checked, field=key, value=value)
    if answer.answer == "moved":
        lat, lon = answer.lat, answer.lon
        if (lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon))
                or not (-90 <= lat <= 90 and -180 <= lon <= 180)):
            raise SurveyError("fields 'lat' and 'lon': tap the map where the place is")
        checked = replace(checked, lat=round(lat, 7), lon=round(lon, 7))
    return checked


def survey_differences(answer: SurveyAnswer, place: SurveyPlace, columns: CityColumns | None = None) -> SurveyOutcome:
    """Return the survey items of a checked answer about `place` (see the module's table).

    `columns` says which city column holds each OSM key and the closure (the dataset's mapping
    applied to the record), so that a city-side item names the column to change.
    """
    columns = columns or CityColumns()
    day = answer.observed_at[:10]
    made: list[Difference] = []
    for direction in ("to_osm", "to_city"):
        side = _side(answer, place, direction, day, columns)
        if side is not None:
            made.append(_difference(answer, place, direction, *side))
    if made:
        return SurveyOutcome(tuple(made), agrees=False)
    return SurveyOutcome((_difference(answer, place, "review", *_agreeing(answer, place, day)),), agrees=True)


# What one side's item holds: field, city value, OSM value, the value to send, the OSM edit,
# the city column, the distance.
_Side = tuple[str | None, str | None, str | None, str, TagEdit | None, str | None, float | None]


def _side(answer: SurveyAnswer, place: SurveyPlace, direction: Direction, day: str,
          columns: CityColumns) -> _Side | None:
    to_osm = direction == "to_osm"
    if (place.osm_key if to_osm else place.source_id) is None:
        return None
    tags = place.osm_tags if to_osm else place.city_tags
    if answer.answer == "exists":
        if not to_osm and "check_date" not in columns.tags:
            return None
        if present(tags.get("check_date")) == day:
            return None
        return ("check_date", _city(place, "check_date"), _osm(place, "check_date"), day,
                TagEdit.of({"check_date": day}) if to_osm else None, columns.tags.get("check_date"), None)
    if answer.answer == "closed":
        if not to_osm:
            return None, None, None, "closed", None, columns.closed, None
        active = _active_keys(place)
        if not active:
            return None  # OSM already has it under a lifecycle prefix, or under no main key
        moved = {LIFECYCLE_PREFIX + key: place.osm_tags[key] for key in active}
        if any(present(place.osm_tags.get(key)) not in (None, value) for key, value in moved.items()):
            return None  # another value already under the prefixed key: a person must look (the item agrees)
        return (None, None, render_tags({key: place.osm_tags[key] for key in active}), render_tags(moved),
                TagEdit.of(moved, active), None, None)
    if answer.answer == "moved":
        assert answer.lat is not None and answer.lon is not None  # check_answer made sure
        position = place.osm_position if to_osm else place.city_position
        if position is None:
            return None
        metres = distance_m(Point(answer.lon, answer.lat), Point(*position))
        if metres <= MOVED_MIN_M:
            return None
        return (None, _position(place.city_position), _position(place.osm_position),
                f"{answer.lat:.7f},{answer.lon:.7f}", None, None, round(metres, 1))
    assert answer.field is not None and answer.value is not None
    if " ".join((tags.get(answer.field) or "").split()) == answer.value:
        return None
    column = None if to_osm else columns.tags.get(answer.field)
    return (answer.field, _city(place, answer.field), _osm(place, answer.field), answer.value,
            TagEdit.of({answer.field: answer.value}) if to_osm else None, column, None)


def _agreeing(answer: SurveyAnswer, place: SurveyPlace, day: str) -> _Side:
    """The one item of an answer both sides already agree with (or that neither side can take)."""
    if answer.answer == "value":
        assert answer.field is not None and answer.value is not None
        return (answer.field, _city(place, answer.field), _osm(place, answer.field), answer.value, None, None, None)
    if answer.answer == "moved":
        return (None, _position(place.city_position), _position(place.osm_position),
                f"{answer.lat:.7f},{answer.lon:.7f}", None, None, None)
    return (None, None, None, day if answer.answer == "exists" else "closed", None, None, None)


def _active_keys(place: SurveyPlace) -> list[str]:
    """The OSM main keys that still say the place is active (those a closure moves under `disused:`)."""
    keys = [key for key in sorted(LIFECYCLE_KEYS) if present(place.osm_tags.get(key)) is not None]
    # Where the city says what kind of place it is, move only the keys it agrees on (a pharmacy's
    # amenity and healthcare), not a shop that shares the building.
    agreed = [key for key in keys if place.city_tags.get(key) == place.osm_tags[key]]
    return agreed or keys


def _difference(answer: SurveyAnswer, place: SurveyPlace, proposal: Proposal, field: str | None,
                city_value: str | None, osm_value: str | None, value: str, edit: TagEdit | None,
                city_field: str | None, metres: float | None) -> Difference:
    comment = f" — {answer.comment}" if answer.comment else ""
    said = (Note("answer.value", {"field": answer.field, "value": answer.value}) if answer.answer == "value"
            else Note(f"answer.{answer.answer}"))
    return Difference(
        id=survey_item_id(answer.answer_id, proposal), dataset=place.dataset, kind=_KIND[answer.answer],
        source_id=place.source_id, osm_key=place.osm_key, field=field, city_value=city_value, osm_value=osm_value,
        changed_side="unknown", proposal=proposal, lon=place.lon, lat=place.lat, category=place.category,
        name=place.name, osm_version=place.osm_version if proposal == "to_osm" else None, city_field=city_field,
        distance_m=metres, osm_edit=edit, survey_value=value,
        note=(Note("survey_answer", {"agent": answer.author, "date": answer.observed_at[:10], "answer": said,
                                     "comment": comment}),))


def survey_item_id(answer_id: str, proposal: str) -> str:
    """Return the review item id of an answer's item toward one side (same length as difference ids)."""
    payload = json.dumps(["survey", answer_id, proposal], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:ID_LENGTH]


def _city(place: SurveyPlace, key: str) -> str | None:
    return present(place.city_tags.get(key)) if place.source_id is not None else None


def _osm(place: SurveyPlace, key: str) -> str | None:
    return present(place.osm_tags.get(key)) if place.osm_key is not None else None


def _position(position: tuple[float, float] | None) -> str | None:
    return None if position is None else f"{position[1]:.7f},{position[0]:.7f}"

