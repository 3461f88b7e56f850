"""Turn a run's differences into places to visit, each with what to check on the ground."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping

from osmbridge.model import DatasetResult, Difference
from osmbridge.party.model import Check, PartyTask, WorkKind
from osmbridge.report.rows import has_position

# Differences that only eyes on the ground can settle.
SURVEY_KINDS = frozenset({"lifecycle", "position", "ambiguous", "duplicate", "missing_in_city"})
# Field-level differences worth a look at a party ("minor" is formatting, done from an armchair).
VALUE_KINDS = frozenset({"differs", "only_city", "only_osm"})
_PLACE_CHECKS = {
    "missing_in_osm": "task.missing",
    "lifecycle": "task.lifecycle",
    "ambiguous": "task.ambiguous",
    "duplicate": "task.duplicate",
    "missing_in_city": "task.missing_in_city",
}
_ADDRESS_TAGS = ("addr:housenumber", "addr:street", "addr:postcode", "addr:city")
# Settled at a desk, nothing to see on the ground: identifiers, sources, links and the addresses of a
# website or a mailbox (a website's path differs, an e-mail changed: no sign in the street shows it).
_DESK_ONLY = re.compile(r"^(ref|source|wikidata|wikipedia|check_date|website|url|email|fax|image|"
                        r"wikimedia_commons|mapillary|contact:(website|email|fax|facebook|instagram|twitter|"
                        r"youtube|linkedin|mastodon))(:|$)|(^|:)(wikidata|wikipedia)$")


def address_from_tags(tags: Mapping[str, str]) -> str:
    """Return "12 rue X, 44000 Town" from OSM-style addr:* tags ("" when they have none)."""
    street = " ".join(tags[k] for k in ("addr:housenumber", "addr:street") if tags.get(k))
    town = " ".join(tags[k] for k in ("addr:postcode", "addr:city") if tags.get(k))
    return ", ".join(part for part in (street, town) if part)


def address_from_fields(fields: Mapping[str, object]) -> str:
    """Return the first address-like column of a raw city record ("" when none)."""
    # City columns are named freely ("ADRESSE", "adresse_complete", "Address 1"): take the first one.
    for column, value in fields.items():
        lowered = column.lower()
        if ("adress" in lowered or "address" in lowered) and value not in (None, ""):
            return str(value)
    return ""


def _check(diff: Difference) -> Check | None:
    if diff.kind in _PLACE_CHECKS:
        return Check(_PLACE_CHECKS[diff.kind], {})
    if diff.kind == "position":
        distance = f"{diff.distance_m:.0f}" if diff.distance_m is not None and math.isfinite(diff.distance_m) else "?"
        return Check("task.position", {"d": distance})
    if diff.kind in VALUE_KINDS or (diff.field and diff.proposal == "conflict"):
        params = {"field": diff.field or "", "city": diff.city_value or "—", "osm": diff.osm_value or "—"}
        return Check("task.conflict" if diff.proposal == "conflict" else "task.value", params)
    return None


def ground_check(diff: Difference) -> Check | None:
    """Return what to check on the ground about a difference, in the checklist's words (None: desk work)."""
    if diff.field and _DESK_ONLY.match(diff.field):
        return None
    return _check(diff)


def _work(diffs: list[Difference]) -> WorkKind | None:
    if any(d.kind in SURVEY_KINDS or d.proposal == "conflict" for d in diffs):
        return "survey"
    if any(d.kind == "missing_in_osm" for d in diffs):
        return "missing"
    if any(d.kind in VALUE_KINDS for d in diffs):
        return "disagreement"
    return None


def party_tasks(result: DatasetResult) -> tuple[list[PartyTask], int]:
    """Return the places of one run that need work, and the count of differences without a position."""
    city = {f.source_id: f for f in result.city}
    osm = {p.key: p for p in result.osm}
    by_place: dict[tuple[str, str], list[Difference]] = defaultdict(list)
    unplaced = 0
    for diff in result.differences:
        if not has_position(diff):
            unplaced += 1
            continue
        if diff.field and _DESK_ONLY.match(diff.field):
            continue
        key = ("c", diff.source_id) if diff.source_id else ("o", diff.osm_key or diff.id)
        by_place[key].append(diff)
    tasks = []
    for key in sorted(by_place):
        diffs = sorted(by_place[key], key=lambda d: d.id)
        work = _work(diffs)
        if work is None:
            continue
        first = diffs[0]
        source_id = first.source_id
        osm_key = next((d.osm_key for d in diffs if d.osm_key), None)
        feature = city.get(source_id or "")
        place = osm.get(osm_key or "")
        address = ""
        if feature is not None:
            address = address_from_tags(feature.tags) or address_from_fields(feature.place.fields)
        if not address and place is not None:
            address = address_from_tags(place.tags)
        checks = tuple(c for c in (_check(d) for d in diffs) if c is not None)
        tasks.append(PartyTask(
            dataset=result.dataset, source_id=source_id, osm_key=osm_key,
            name=first.name or (feature.name if feature else None) or (place.tags.get("name") if place else None),
            category=first.category, address=address, lon=first.lon, lat=first.lat, work=work, checks=checks,
            difference_ids=tuple(d.id for d in diffs),
            disagreements=sum(1 for d in diffs if d.kind in VALUE_KINDS and d.proposal != "conflict"),
        ))
    return tasks, unplaced
