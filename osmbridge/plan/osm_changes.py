"""Plan the OSM changes of accepted items against the elements as the API has them now.

Each accepted (difference, decision) pair becomes part of one whole-element change:
- a tag or lifecycle difference modifies its element: the current version, node list and members are
  kept, only the tags change (several items on one element make one change);
- a place missing in OSM is created as a node at the city's position with the reviewed tags;
- a position difference, or a field agent's "it is elsewhere" (`survey_moved`), moves a node only when
  the mapping allows moving (`PlanRules.move_nodes`); ways and relations are never moved;
- a field agent's other answers change tags like a field or lifecycle difference, through the edit the
  survey stated (`Difference.osm_edit`: check_date, the `disused:` move, the value read);
- a closed place (city or survey) becomes a deletion only when the mapping allows it
  (`PlanRules.delete_closed`), and only for an untagged-elsewhere node (`if-unused`); otherwise it
  keeps its lifecycle prefix.

An item whose element changed since review (another version, a reviewed tag with another value, the
element deleted) is not planned: it is refused as stale and goes back to review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from osmbridge.model import SURVEY_KINDS, Decision, Difference
from osmbridge.osm.api_elements import ApiElement
from osmbridge.plan.tags import TagEdit, chosen_value, creation_tags, tag_edit

Action = Literal["create", "modify", "delete"]
Item = tuple[Difference, Decision]
# Kinds that change an existing element; the rest are creations or no OSM edit at all (an OSM note's
# item carries no value, a match review no edit).
MODIFY_KINDS = frozenset({"differs", "minor", "only_city", "only_osm", "lifecycle", "position", *SURVEY_KINDS})
# Kinds whose value is a position ("lat,lon") to move a node to.
MOVE_KINDS = frozenset({"position", "survey_moved"})
# Kinds saying the place is closed (a deletion where the mapping allows it).
CLOSE_KINDS = frozenset({"lifecycle", "survey_closed"})


@dataclass(frozen=True, slots=True)
class PlanRules:
    """What a mapping allows beyond tag changes (both off unless the mapping says so)."""

    move_nodes: bool = False
    delete_closed: bool = False


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One element as it will be written, with the items (difference ids) it carries out."""

    action: Action
    element: ApiElement  # the whole element to write (for "create": negative id, version 0)
    before: Mapping[str, str]  # its tags now ({} for a creation)
    item_ids: tuple[str, ...]
    source_ids: tuple[str, ...] = ()
    from_city: bool = False  # a creation from the city's data (import=yes on its changeset)
    moved: bool = False
    where: tuple[float, float] | None = None  # (lon, lat) to group changesets by: the node, else the place shown
    surveyed: bool = False  # carries a field agent's observation (source=survey on its changeset)

    @property
    def key(self) -> str:
        return self.element.key

    @property
    def set_tags(self) -> dict[str, str]:
        return {k: v for k, v in sorted(self.element.tags.items()) if self.before.get(k) != v}

    @property
    def unset_tags(self) -> tuple[str, ...]:
        return tuple(sorted(k for k in self.before if k not in self.element.tags))

    def position(self) -> tuple[float, float] | None:
        """(lon, lat) of a node; None for ways and relations."""
        if self.element.lat is None or self.element.lon is None:
            return None
        return self.element.lon, self.element.lat


@dataclass(frozen=True, slots=True)
class Refusal:
    """An accepted item left out of the plan, with why (a message code and parameters)."""

    difference_id: str
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    stale: bool = False  # OSM changed since review: the item goes back to review


@dataclass(frozen=True, slots=True)
class OsmPlan:
    changes: tuple[PlannedChange, ...]
    refused: tuple[Refusal, ...]


def plan_osm_changes(items: Sequence[Item], current: Mapping[str, ApiElement | None],
                     rules: PlanRules | None = None, first_placeholder: int = -1,
                     nearby: Mapping[str, Sequence[ApiElement]] | None = None) -> OsmPlan:
    """Plan the changes of accepted `to_osm` items; `current` maps each OSM key to its element now (None: deleted).

    `nearby` maps a creation's difference id to the elements OSM has around its position now: one of
    the same kind (or with the same ref) means someone mapped the place since the review, so the
    creation goes back to review instead of making a duplicate.
    """
    rules = rules or PlanRules()
    refused: list[Refusal] = []
    by_key: dict[str, list[Item]] = defaultdict(list)
    creations: list[Item] = []
    for difference, decision in sorted(items, key=lambda item: item[0].id):
        if decision.direction != "to_osm" or decision.state not in ("accepted", "edited"):
            refused.append(Refusal(difference.id, "plan.not_accepted_to_osm"))
        elif difference.kind == "missing_in_osm":
            creations.append((difference, decision))
        elif difference.osm_key and difference.kind in MODIFY_KINDS:
            by_key[difference.osm_key].append((difference, decision))
        else:
            refused.append(Refusal(difference.id, "plan.not_an_osm_edit", {"kind": difference.kind}))
    changes: list[PlannedChange] = []
    for key in sorted(by_key):
        change, left_out = _modify(by_key[key], current.get(key), rules)
        refused += left_out
        if change is not None:
            changes.append(change)
    placeholder = first_placeholder
    for difference, decision in creations:
        tags = creation_tags(difference, decision)
        if not tags:
            refused.append(Refusal(difference.id, "plan.no_tags"))
            continue
        twin = next((e for e in (nearby or {}).get(difference.id, ()) if same_kind(tags, e.tags)), None)
        if twin is not None:
            refused.append(Refusal(difference.id, "plan.created_meanwhile",
                                   {"osm": twin.key, "tags": ", ".join(f"{k}={v}" for k, v in sorted(twin.tags.items())
                                                                        if k in PRIMARY_KEYS or k.startswith("ref"))},
                                   stale=True))
            continue
        element = ApiElement("n", placeholder, 0, tags, lat=round(difference.lat, 7), lon=round(difference.lon, 7))
        changes.append(PlannedChange("create", element, {}, (difference.id,),
                                     (difference.source_id,) if difference.source_id else (), from_city=True,
                                     where=(element.lon, element.lat)))  # type: ignore[arg-type]
        placeholder -= 1
    return OsmPlan(tuple(changes), tuple(sorted(refused, key=lambda r: r.difference_id)))


# Keys that say what a place is: an element near a creation with the same value is the same kind of place.
PRIMARY_KEYS = frozenset({"amenity", "shop", "leisure", "tourism", "office", "craft", "healthcare", "emergency",
                          "historic", "man_made", "club", "sport", "public_transport", "railway", "aeroway"})


def same_kind(tags: Mapping[str, str], other: Mapping[str, str]) -> bool:
    """Whether `other` has one of `tags`' ref values or one of its primary key=value pairs."""
    return any(other.get(key) == value for key, value in tags.items()
               if key in PRIMARY_KEYS or key == "ref" or key.startswith("ref:"))


def _modify(items: list[Item], element: ApiElement | None,
            rules: PlanRules) -> tuple[PlannedChange | None, list[Refusal]]:
    key = items[0][0].osm_key or ""
    if element is None or not element.visible:
        return None, [Refusal(d.id, "plan.osm_deleted", {"osm": key}, stale=True) for d, _ in items]
    refused: list[Refusal] = []
    live: list[tuple[Difference, Decision, TagEdit | None]] = []
    for difference, decision in items:
        seen_version = decision.seen_osm_version or difference.osm_version
        if seen_version and seen_version != element.version:
            refused.append(Refusal(difference.id, "plan.osm_version_changed",
                                   {"osm": key, "seen": str(seen_version), "now": str(element.version)}, stale=True))
            continue
        edit = tag_edit(difference, decision)
        changed = _changed_tag(edit, element) if edit is not None else None
        if changed is not None:
            refused.append(Refusal(difference.id, "plan.osm_tag_changed",
                                   {"osm": key, "key": changed, "seen": str(edit.expected[changed] or ""),  # type: ignore[union-attr]
                                    "now": element.tags.get(changed, "")}, stale=True))
            continue
        live.append((difference, decision, edit))
    tags = dict(element.tags)
    lat, lon, moved, delete = element.lat, element.lon, False, False
    used: list[Difference] = []
    written: dict[str, str | None] = {}
    for difference, decision, edit in live:
        if difference.kind in MOVE_KINDS:
            if element.type != "n":
                refused.append(Refusal(difference.id, "plan.move_not_node", {"osm": key}))
                continue
            if not rules.move_nodes:
                refused.append(Refusal(difference.id, "plan.geometry_not_allowed", {"osm": key}))
                continue
            position = _lat_lon(chosen_value(difference, decision))
            if position is None:
                refused.append(Refusal(difference.id, "plan.bad_position",
                                       {"value": chosen_value(difference, decision) or ""}))
                continue
            lat, lon, moved = round(position[0], 7), round(position[1], 7), True
            used.append(difference)
            continue
        if edit is None:  # a survey item without a tag change (a record from an older release)
            refused.append(Refusal(difference.id, "plan.not_an_osm_edit", {"kind": difference.kind}))
            continue
        clash = next((k for k, v in (*edit.set_tags.items(), *((k, None) for k in edit.unset))
                      if k in written and written[k] != v), None)
        if clash is not None:
            refused.append(Refusal(difference.id, "plan.items_disagree", {"osm": key, "key": clash}))
            continue
        if difference.kind in CLOSE_KINDS and rules.delete_closed and element.type == "n":
            delete = True
        for name, value in edit.set_tags.items():
            tags[name], written[name] = value, value
        for name in edit.unset:
            tags.pop(name, None)
            written[name] = None
        used.append(difference)
    if not used:
        return None, refused
    ids = tuple(sorted(d.id for d in used))
    sources = tuple(sorted({d.source_id for d in used if d.source_id}))
    where = (lon, lat) if lon is not None and lat is not None else _shown_at(used)
    surveyed = any(d.kind in SURVEY_KINDS for d in used)
    if delete:
        return PlannedChange("delete", element, dict(element.tags), ids, sources, where=where,
                             surveyed=surveyed), refused
    after = replace(element, tags=dict(sorted(tags.items())), lat=lat, lon=lon)
    if after.tags == dict(sorted(element.tags.items())) and not moved:
        return None, refused + [Refusal(i, "plan.nothing_to_change", {"osm": key}) for i in ids]
    return PlannedChange("modify", after, dict(element.tags), ids, sources, moved=moved, where=where,
                         surveyed=surveyed), refused


def _shown_at(differences: Sequence[Difference]) -> tuple[float, float] | None:
    """Where the report shows a way or relation (its differences' display position), if anywhere."""
    for difference in differences:
        if difference.lon or difference.lat:
            return difference.lon, difference.lat
    return None


def _changed_tag(edit: TagEdit, element: ApiElement) -> str | None:
    """The first reviewed key whose value OSM no longer has as seen, or None."""
    for name, seen in sorted(edit.expected.items()):
        now = element.tags.get(name)
        now = now.strip() if now is not None and now.strip() else None
        if now != seen:
            return name
    return None


def _lat_lon(text: str | None) -> tuple[float, float] | None:
    """(lat, lon) from "47.2184,-1.5536" (a position difference's values)."""
    try:
        lat_text, lon_text = (text or "").split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
