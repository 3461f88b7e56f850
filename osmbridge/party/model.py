"""Records of the mapping-party planner: neighbourhoods, places to visit, the ranked plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from shapely.geometry.base import BaseGeometry

from osmbridge.party.names import slugify

# What a place needs, most demanding first: eyes on the ground, a new object, a value to settle.
WorkKind = Literal["survey", "missing", "disagreement"]
WORK_KINDS: tuple[WorkKind, ...] = ("survey", "missing", "disagreement")
# Ranking weight of each kind: a survey takes a visit and judgement, a missing place an addition.
WORK_WEIGHTS: Mapping[str, int] = {"survey": 3, "missing": 2, "disagreement": 1}


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """An area to plan for: an OSM admin boundary or a polygon from the city's own list."""

    name: str
    geometry: BaseGeometry  # Polygon or MultiPolygon, WGS84
    ref: str = ""  # "r123" for an OSM boundary, the feature id for a GeoJSON


@dataclass(frozen=True, slots=True)
class Check:
    """One thing to check at a place: an i18n key (task.*) and the values it names."""

    key: str
    params: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class PartyTask:
    """One place to visit and what to check there."""

    dataset: str
    source_id: str | None
    osm_key: str | None
    name: str | None
    category: str
    address: str
    lon: float
    lat: float
    work: WorkKind
    checks: tuple[Check, ...]
    difference_ids: tuple[str, ...]
    disagreements: int  # field-level differences at this place (values to settle)


@dataclass(frozen=True, slots=True)
class NeighbourhoodWork:
    """The work waiting in one neighbourhood."""

    neighbourhood: Neighbourhood
    rank: int  # 1 = most work
    tasks: tuple[PartyTask, ...]
    missing: int  # places missing in OSM
    disagreements: int  # field-level disagreements (differences), at places not needing a survey
    survey: int  # places needing someone on the ground
    score: int  # WORK_WEIGHTS applied to the three counts

    @property
    def slug(self) -> str:
        """The file-name stem of this neighbourhood's files: "01-centre-ville"."""
        return f"{self.rank:02d}-{slugify(self.neighbourhood.name)}"


@dataclass(frozen=True, slots=True)
class TaskCell:
    """A square of the Tasking Manager grid (clipped to the area), with the work inside it."""

    cell_id: str
    geometry: BaseGeometry  # Polygon, WGS84
    tasks: int
    missing: int
    disagreements: int
    survey: int


@dataclass(frozen=True, slots=True)
class PartyPlan:
    """Neighbourhoods ranked by work, the area of interest and its task grid."""

    neighbourhoods: tuple[NeighbourhoodWork, ...]  # ranked; those without work last
    outside: tuple[PartyTask, ...]  # places in no neighbourhood
    unplaced: int  # differences without a position (not plannable)
    aoi: BaseGeometry | None  # union of the neighbourhoods with work; None without work
    cells: tuple[TaskCell, ...]
    cell_size_m: float
    datasets: tuple[str, ...]
