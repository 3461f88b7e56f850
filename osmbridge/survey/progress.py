"""What is surveyed and what is left: places grouped by neighbourhood, each with its latest answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from osmbridge.party.model import Check
from osmbridge.survey.model import RecordedAnswer, SurveyPlace

# An answer older than this no longer counts as surveyed (pages can look further back).
SURVEY_VALID_DAYS = 90


@dataclass(frozen=True, slots=True)
class PlaceStatus:
    """A place on a survey page: what to check there, and the latest answer about it (None: left to do)."""

    place: SurveyPlace
    checks: tuple[Check, ...]  # what the review is waiting to learn on the ground (the checklist's words)
    answer: RecordedAnswer | None

    @property
    def to_check(self) -> bool:
        return bool(self.checks)


@dataclass(frozen=True, slots=True)
class AreaProgress:
    """The places of one neighbourhood, those with something to check first, and how many are surveyed."""

    name: str
    places: tuple[PlaceStatus, ...]

    @property
    def total(self) -> int:
        return len(self.places)

    @property
    def surveyed(self) -> int:
        return sum(1 for p in self.places if p.answer is not None)

    @property
    def to_check(self) -> int:
        return sum(1 for p in self.places if p.to_check)

    @property
    def to_check_left(self) -> int:
        return sum(1 for p in self.places if p.to_check and p.answer is None)

    @property
    def left(self) -> int:
        return self.total - self.surveyed


def place_key(dataset: str, source_id: str | None, osm_key: str | None) -> tuple[str, str, str]:
    """The key answers and places share: the city record when there is one, else the OSM place."""
    return (dataset, "c", source_id) if source_id is not None else (dataset, "o", osm_key or "")


def area_progress(name: str, places: Iterable[SurveyPlace], answers: Sequence[RecordedAnswer],
                  checks: Mapping[tuple[str, str, str], tuple[Check, ...]]) -> AreaProgress:
    """Return the places of one area with their checks and latest answer (`answers` newest first).

    Places with something to check come first, then the others, each group by name.
    """
    latest: dict[tuple[str, str, str], RecordedAnswer] = {}
    by_osm: dict[tuple[str, str], RecordedAnswer] = {}
    for recorded in answers:
        a = recorded.answer
        latest.setdefault(place_key(a.dataset, a.source_id, a.osm_key), recorded)
        if a.osm_key is not None:
            by_osm.setdefault((a.dataset, a.osm_key), recorded)
    statuses = []
    for place in places:
        key = place_key(place.dataset, place.source_id, place.osm_key)
        # An OSM-only place answered about before a run linked it to a city record still counts.
        answer = latest.get(key) or (by_osm.get((place.dataset, place.osm_key)) if place.osm_key else None)
        statuses.append(PlaceStatus(place, checks.get(key, ()), answer))
    statuses.sort(key=lambda s: (not s.to_check, (s.place.name or "").casefold(), s.place.dataset, s.place.key))
    return AreaProgress(name, tuple(statuses))


def group_by_area(places: Iterable[SurveyPlace],
                  area_of: Callable[[float, float], str | None]) -> dict[str, list[SurveyPlace]]:
    """Return the places per area name (`area_of(lon, lat)`); places in no area are left out."""
    grouped: dict[str, list[SurveyPlace]] = {}
    for place in places:
        name = area_of(place.lon, place.lat)
        if name is not None:
            grouped.setdefault(name, []).append(place)
    return grouped
