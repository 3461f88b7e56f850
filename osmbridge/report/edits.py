"""The OSM edits a run proposes: tag sets after applying every `to_osm` difference, ready for JOSM.

Only differences whose proposal is "to_osm" count: conflicts, disagreements and reviews need a
person's decision first. Even these edits are for a person to check in an editor, never uploaded
by osmbridge from here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from osmbridge.model import CityFeature, DatasetResult, Difference, OsmPlace

# Kinds whose `field` is an OSM tag and whose city_value is the value to write to OSM. Other kinds
# state their tag changes in `osm_edit` (a lifecycle move), never as "key=value" text to parse back.
TAG_KINDS = frozenset({"differs", "minor", "only_city", "only_osm"})


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
    # Ways and relations: their node and member lists are not known here, and a way written
    # without them would lose its geometry on upload; JOSM must load them from OSM first.
    needs_download: tuple[OsmEdit, ...]
    # Differences proposed to OSM that no file can carry, with the reason's i18n key (reason.*).
    left_out: tuple[tuple[Difference, str], ...]


def _point_of(feature: CityFeature) -> Point:
    geometry = feature.geometry
    return geometry if isinstance(geometry, Point) else geometry.representative_point()


def _creation(feature: CityFeature, new_id: int, diffs: list[Difference]) -> OsmEdit | None:
    """Return the new node a creation proposes: exactly the tags its difference states."""
    edit = next((d.osm_edit for d in diffs if d.osm_edit is not None and d.osm_edit.set_tags), None)
    if edit is None:
        return None
    point = _point_of(feature)
    tags = dict(edit.set_tags)
    return OsmEdit(
        osm_key=f"n{new_id}", action="create", version=None, lon=point.x, lat=point.y,
        tags=tags, set_tags=tags, unset_tags=(), moved=False, difference_ids=tuple(sorted(d.id for d in diffs)),
        source_id=feature.source_id, name=feature.name, geometry=point,
    )


def _modification(
    place: OsmPlace, diffs: list[Difference], city: Mapping[str, CityFeature]
) -> tuple[OsmEdit | None, list[tuple[Difference, str]]]:
    tags = dict(place.tags)
    left_out: list[tuple[Difference, str]] = []
    used: list[str] = []
    lon = lat = None
    moved = False
    if place.osm_type == "n" and isinstance(place.geometry, Point):
        lon, lat = place.geometry.x, place.geometry.y
    for diff in diffs:
        if diff.osm_edit is not None:
            tags = diff.osm_edit.apply(tags)
            used.append(diff.id)
        elif diff.kind in TAG_KINDS and diff.field:
            if diff.city_value in (None, ""):
                tags.pop(diff.field, None)
            else:
                tags[diff.field] = diff.city_value
            used.append(diff.id)
        elif diff.kind == "position" and place.osm_type == "n" and diff.source_id and diff.source_id in city:
            point = _point_of(city[diff.source_id])
            lon, lat, moved = point.x, point.y, True
            used.append(diff.id)
        elif diff.kind == "position":
            left_out.append((diff, "reason.move_way"))
        else:
            left_out.append((diff, "reason.no_tag"))
    before = dict(place.tags)
    set_tags = {k: v for k, v in sorted(tags.items()) if before.get(k) != v}
    unset = tuple(sorted(k for k in before if k not in tags))
    if not used or (not set_tags and not unset and not moved):
        return None, left_out
    edit = OsmEdit(
        osm_key=place.key, action="modify", version=place.version, lon=lon, lat=lat,
        tags=dict(sorted(tags.items())), set_tags=set_tags, unset_tags=unset, moved=moved,
        difference_ids=tuple(sorted(used)), source_id=diffs[0].source_id,
        name=place.tags.get("name") or diffs[0].name, geometry=place.geometry,
    )
    return edit, left_out


def plan_osm_edits(result: DatasetResult) -> OsmEditPlan:
    """Return the edits implied by the run's `to_osm` differences, sorted by OSM key."""
    osm = {place.key: place for place in result.osm}
    city = {feature.source_id: feature for feature in result.city}
    to_osm = sorted((d for d in result.differences if d.proposal == "to_osm"), key=lambda d: d.id)
    by_key: dict[str, list[Difference]] = defaultdict(list)
    creations: dict[str, list[Difference]] = defaultdict(list)
    left_out: list[tuple[Difference, str]] = []
    for diff in to_osm:
        if diff.kind == "missing_in_osm":
            if diff.source_id in city:
                creations[diff.source_id].append(diff)
            else:
                left_out.append((diff, "reason.no_city_record"))
        elif diff.osm_key in osm:
            by_key[diff.osm_key].append(diff)
        else:
            left_out.append((diff, "reason.no_osm_object"))

    file_edits: list[OsmEdit] = []
    needs_download: list[OsmEdit] = []
    for key in sorted(by_key):
        place = osm[key]
        edit, skipped = _modification(place, by_key[key], city)
        left_out.extend(skipped)
        if edit is None:
            continue
        # Without a version JOSM and the API cannot check for edit conflicts: load it fresh instead.
        if place.osm_type == "n" and place.version > 0:
            file_edits.append(edit)
        else:
            needs_download.append(edit)
    number = 0
    for source_id in sorted(creations):
        created = _creation(city[source_id], -(number + 1), creations[source_id])
        if created is None:
            left_out.extend((diff, "reason.no_tag") for diff in creations[source_id])
            continue
        number += 1
        file_edits.append(created)
    return OsmEditPlan(
        file_edits=tuple(file_edits),
        needs_download=tuple(needs_download),
        left_out=tuple(sorted(left_out, key=lambda item: item[0].id)),
    )
