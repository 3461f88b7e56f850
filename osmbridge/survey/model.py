"""Records of the field survey: the places an agent walks past, and what they answer about each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# exists: the place is there as listed; closed: shut for good; moved: it stands elsewhere (the agent
# taps the map); value: a value read on the spot (opening hours on the door, the name on the sign).
AnswerKind = Literal["exists", "closed", "moved", "value"]
ANSWER_KINDS: tuple[AnswerKind, ...] = ("exists", "closed", "moved", "value")


@dataclass(frozen=True, slots=True)
class SurveyPlace:
    """One place of a dataset's latest run: a city record, its matched OSM place, or both."""

    dataset: str
    source_id: str | None
    osm_key: str | None
    name: str | None
    category: str  # the main tag, "amenity=library"
    address: str
    lon: float  # the city record's position, else OSM's
    lat: float
    city_tags: Mapping[str, str] = field(default_factory=dict)  # the record as the mapping turned it into tags
    city_fields: Mapping[str, object] = field(default_factory=dict)  # the raw record
    city_position: tuple[float, float] | None = None  # (lon, lat)
    osm_tags: Mapping[str, str] = field(default_factory=dict)
    osm_version: int | None = None
    osm_position: tuple[float, float] | None = None  # (lon, lat)
    run_id: int | None = None  # the run that saw it

    @property
    def key(self) -> str:
        """The place's id on survey pages: "c:<city id>", else "o:<osm key>"."""
        return f"c:{self.source_id}" if self.source_id is not None else f"o:{self.osm_key}"


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    """What one field agent answered about one place; `answer_id` is made by the agent's browser.

    The browser keeps an answer until the server has it, and sends it again after a lost
    connection: the same `answer_id` then finds the answer already recorded, never a second one.
    """

    answer_id: str
    dataset: str
    source_id: str | None
    osm_key: str | None
    answer: AnswerKind
    author: str
    observed_at: str  # ISO 8601: when the agent answered (a queued answer reaches the server later)
    field: str | None = None  # value: the OSM key read (opening_hours, name...)
    value: str | None = None  # value: what was read
    lat: float | None = None  # moved: where the place is
    lon: float | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """An answer as the store keeps it: when it arrived, and the review items it made or reopened."""

    answer: SurveyAnswer
    received_at: str
    item_ids: tuple[str, ...]  # the survey items it created
    reopened: tuple[str, ...] = ()  # the place's items waiting for a survey, reopened by it
    duplicate: bool = False  # this post repeated an answer already recorded: nothing was written


@dataclass(frozen=True, slots=True)
class CityColumns:
    """Where a city record keeps what an answer may correct, as its dataset's mapping says."""

    tags: Mapping[str, str] = field(default_factory=dict)  # OSM key -> the city column behind it
    closed: str | None = None  # the column saying a place is closed, if the mapping has one
