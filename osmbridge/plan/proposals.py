"""The OSM edits a run proposes, for the report files (JOSM, osmChange, MapRoulette).

The same planner as the push (`plan_osm_changes`), run on the run's own data: each `to_osm`
proposal counts as accepted with the proposed value, and each OSM place is taken as the run read it.
The run knows a node's position and version, not a way's node list nor a relation's members: those
edits go to `needs_download` (JOSM must load the object from OSM first; a way written without its
nodes would lose its geometry). Nothing here is uploaded: a person checks the files in an editor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from osmbridge.model import CityFeature, DatasetResult, Decision, Difference, OsmPlace
from osmbridge.osm.geometry import display_point
from osmbridge.osm.api_elements import ApiElement
from osmbridge.plan.osm_changes import PlannedChange, PlanRules, Refusal, plan_osm_changes

# The planner's refusals as the report's reasons (i18n keys, reason.*).
_REASONS = {"plan.osm_deleted": "reason.no_osm_object", "plan.move_not_node": "reason.move_way",
            "plan.geometry_not_allowed": "reason.move_way"}


@dataclass(frozen=True, slots=True)
class OsmEdit:
    """One OSM object as it would look after a person accepts the proposals (full tag set)."""

    osm_key: str  # "n123"; new objects get negative ids: "n-1"
    action: Literal["create", "modify"]
    version: int | None  # None for created objects
    lon: float | None  # node position after the edit; None for ways/relations
    lat: float | None
    tags: Mapping[str, str]  # the whole tag set after the edit
    set_tags: Mapping[str, str]  # tags added or changed
    unset_tags: tuple[str, ...]  # tags removed
    moved: bool  # a node moved to the city position
    difference_ids: tuple[str, ...]
    source_id: str | None
    name: str | None
    geometry: BaseGeometry  # for display (MapRoulette task, maps)

    @property
    def osm_type(self) -> str:
        return self.osm_key[:1]

    @property
    def osm_id(self) -> int:
        return int(self.osm_key[1:])


@dataclass(frozen=True, slots=True)
class OsmEditPlan:
    """Edits JOSM can take as a file, and tag edits on ways/relations it must download first."""

    # Nodes (modified or created) with everything JOSM and the API need.
    file_edits: tuple[OsmEdit, ...]
    # Ways and relations (and nodes read without a version): JOSM must load them from OSM first.
    needs_download: tuple[OsmEdit, ...]
    # Differences proposed to OSM that no file can carry, with the reason's i18n key (reason.*).
    left_out: tuple[tuple[Difference, str], ...]


def plan_osm_edits(result: DatasetResult) -> OsmEditPlan:
    """Return the edits implied by the run's `to_osm` proposals, sorted by OSM key, creations last."""
    osm = {place.key: place for place in result.osm}
    proposals = sorted((d for d in result.differences if d.proposal == "to_osm"), key=lambda d: d.id)
    by_id = {d.id: d for d in proposals}
    city = {feature.source_id: feature for feature in result.city}
    # The run's own reading of each place is the "now" the proposals are planned against.
    items = [(replace(d, osm_version=_version(osm.get(d.osm_key or ""), d)),
              _as_accepted(d, osm.get(d.osm_key or ""), city.get(d.source_id or ""))) for d in proposals]
    current = {key: _as_element(place) for key, place in osm.items()}
    plan = plan_osm_changes(items, current, PlanRules(move_nodes=True))
    file_edits: list[OsmEdit] = []
    needs_download: list[OsmEdit] = []
    for change in plan.changes:
        edit = _edit(change, [by_id[i] for i in change.item_ids], osm.get(change.key))
        if change.action == "create" or (edit.osm_type == "n" and (edit.version or 0) > 0):
            file_edits.append(edit)
        else:
            # Without a version JOSM and the API cannot check for edit conflicts: load it fresh instead.
            needs_download.append(edit)
    left_out = [(by_id[r.difference_id], _reason(r, by_id[r.difference_id], osm)) for r in plan.refused
                if r.code != "plan.nothing_to_change"]
    modified = sorted((e for e in file_edits if e.action == "modify"), key=lambda e: e.osm_key)
    created = [e for e in file_edits if e.action == "create"]
    return OsmEditPlan(file_edits=(*modified, *created),
                       needs_download=tuple(sorted(needs_download, key=lambda e: e.osm_key)),
                       left_out=tuple(sorted(left_out, key=lambda item: item[0].id)))


def _as_accepted(difference: Difference, place: OsmPlace | None, feature: CityFeature | None) -> Decision:
    """A proposal as if a reviewer accepted it as proposed, on the OSM place the run read (a move goes to
    the city record's own position)."""
    value = difference.city_value
    if difference.kind == "position" and feature is not None:
        point = display_point(feature.geometry)
        value = f"{point.y},{point.x}"
    return Decision(difference_id=difference.id, dataset=difference.dataset, state="accepted", direction="to_osm",
                    value=value, seen_city_value=difference.city_value,
                    seen_osm_value=difference.osm_value, seen_osm_version=place.version if place else None)


def _version(place: OsmPlace | None, difference: Difference) -> int | None:
    return place.version if place is not None else difference.osm_version


def _as_element(place: OsmPlace) -> ApiElement:
    """An OSM place as an element: tags, version, a node's position (a way's nodes are not known here)."""
    lat = lon = None
    if place.osm_type == "n" and isinstance(place.geometry, Point):
        lat, lon = place.geometry.y, place.geometry.x
    return ApiElement(place.osm_type, place.osm_id, place.version, dict(place.tags), lat=lat, lon=lon)


def _edit(change: PlannedChange, differences: list[Difference], place: OsmPlace | None) -> OsmEdit:
    element = change.element
    if place is not None:
        geometry: BaseGeometry = place.geometry
    else:  # a creation: always a node with a position
        geometry = Point(element.lon or 0.0, element.lat or 0.0)
    name = element.tags.get("name") or next((d.name for d in differences if d.name), None)
    return OsmEdit(
        osm_key=change.key, action="create" if change.action == "create" else "modify",
        version=None if change.action == "create" else element.version, lon=element.lon, lat=element.lat,
        tags=dict(sorted(element.tags.items())), set_tags=change.set_tags, unset_tags=change.unset_tags,
        moved=change.moved, difference_ids=change.item_ids, source_id=next(iter(change.source_ids), None),
        name=name, geometry=geometry)


def _reason(refusal: Refusal, difference: Difference, osm: Mapping[str, OsmPlace]) -> str:
    if difference.kind != "missing_in_osm" and (difference.osm_key or "") not in osm:
        return "reason.no_osm_object"
    return _REASONS.get(refusal.code, "reason.no_tag")
