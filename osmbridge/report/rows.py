"""One flat record per difference: the shared shape of diff.geojson, diff.csv and the HTML table."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from osmbridge.i18n import render_notes
from osmbridge.model import DatasetResult, Difference, Match
from osmbridge.report.links import (id_editor_url, josm_add_node_url, josm_load_url, josm_zoom_url, osm_url,
                                    record_page_url, review_url)
from osmbridge.report.tag_order import ordered_tags

_OSM_KEY = re.compile(r"^[nwr][1-9][0-9]*$")

# Documented in osmbridge/report/README.md; the first four are the stable core.
DIFF_COLUMNS = (
    "id", "kind", "field", "city_value", "osm_value", "changed_side", "proposal",
    "source_id", "osm_id", "osm_url", "city_url", "josm_url", "id_url", "objects", "name", "category", "city_field",
    "base_city_value", "base_osm_value", "distance_m", "osm_version", "note", "dataset", "lat", "lon",
    "review_url",
)


# Datasets with several producers add the producers each difference is routed to (space-separated, the
# one holding the field first) and that producer's owner.
PRODUCER_COLUMNS = ("producers", "owner")


def diff_columns(result: DatasetResult) -> tuple[str, ...]:
    """Return the columns of the difference files: DIFF_COLUMNS, and the producers' when there are several."""
    return DIFF_COLUMNS + PRODUCER_COLUMNS if result.producers else DIFF_COLUMNS


def record_url(result: DatasetResult, source_id: str | None) -> str | None:
    """Return the page of a city record on its portal (its producer's, under its own id), or None."""
    return record_page_url(result.city_url_template, source_id, result.producers)


def sorted_differences(result: DatasetResult) -> list[Difference]:
    """Return the differences in report order: by category, name, source id, kind, field, id."""
    return sorted(
        result.differences,
        key=lambda d: (d.category, d.name or "", d.source_id or "", d.osm_key or "", d.kind, d.field or "", d.id),
    )


# What a reader acts on first: a conflict, then proposals either way, then decisions to take, reviews,
# and last the long lists of places only OSM has and formatting-only differences.
_PROPOSAL_RANK = {"conflict": 0, "to_osm": 1, "to_city": 2, "disagreement": 3, "review": 4}
_LAST_KINDS = {"missing_in_city": 6, "minor": 7}


def actionable_rank(diff: Difference) -> int:
    """Return the rank of a difference in the report's default order (lower is shown first)."""
    return _LAST_KINDS.get(diff.kind, _PROPOSAL_RANK.get(diff.proposal, 5))


def actionable_order(result: DatasetResult) -> list[Difference]:
    """Return the differences as the page lists them by default: actionable first, then report order."""
    return sorted(sorted_differences(result), key=actionable_rank)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def has_position(diff: Difference) -> bool:
    """Return whether a difference has a usable display position (finite, within WGS84 ranges)."""
    return _finite(diff.lat) and _finite(diff.lon) and -90.0 <= diff.lat <= 90.0 and -180.0 <= diff.lon <= 180.0


@dataclass(frozen=True, slots=True)
class RowContext:
    """What rows look up in the run: each city record's mapped tags, each place's match."""

    city_tags: Mapping[str, Mapping[str, str]]
    matches: Mapping[tuple[str | None, str | None], Match]

    @classmethod
    def of(cls, result: DatasetResult) -> RowContext:
        return cls(city_tags={f.source_id: f.tags for f in result.city},
                   matches={(m.source_id, m.osm_key): m for m in result.matches})


def objects_involved(diff: Difference, context: RowContext) -> list[str]:
    """Return the OSM objects a person must look at together: the object, and its candidates or twins."""
    keys = [diff.osm_key] if diff.osm_key else []
    if diff.kind in ("ambiguous", "duplicate"):
        match = context.matches.get((diff.source_id, diff.osm_key))
        candidates = list(match.candidates) if match else []
        if not candidates:  # the difference lists them too: "n1, n2"
            candidates = [part.strip() for value in (diff.osm_value, diff.city_value) if value
                          for part in value.split(",")]
        keys += [key for key in candidates if _OSM_KEY.match(key) and key not in keys]
    return keys


def _josm_url(diff: Difference, objects: list[str], context: RowContext) -> str | None:
    if (diff.kind == "missing_in_osm" and diff.proposal == "to_osm" and diff.osm_edit is not None
            and has_position(diff)):
        # One click adds the node with the tags the difference proposes (never an invalid value);
        # JOSM shows them for approval first.
        return josm_add_node_url(diff.lon, diff.lat, ordered_tags(dict(diff.osm_edit.set_tags)))
    if objects:
        change = None
        if diff.proposal == "to_osm" and diff.osm_edit is not None:
            # JOSM's addtags removes a tag given an empty value.
            change = dict(diff.osm_edit.set_tags) | dict.fromkeys(diff.osm_edit.unset_tags, "")
        elif diff.proposal == "to_osm" and diff.field and diff.kind not in ("position", "missing_in_osm"):
            change = {diff.field: diff.city_value or ""}
        return josm_load_url(objects, change)
    if has_position(diff):
        return josm_zoom_url(diff.lon, diff.lat)
    return None


def _id_url(diff: Difference, objects: list[str]) -> str | None:
    if objects:
        return id_editor_url(objects)
    return id_editor_url([], diff.lon, diff.lat) if has_position(diff) else None


def difference_record(diff: Difference, result: DatasetResult, context: RowContext | None = None,
                      lang: str = "en") -> dict[str, Any]:
    """Return the flat record of one difference (values None when absent), its notes in `lang`."""
    context = context or RowContext.of(result)
    objects = objects_involved(diff, context)
    return {
        "id": diff.id,
        "kind": diff.kind,
        "field": diff.field,
        "city_value": diff.city_value,
        "osm_value": diff.osm_value,
        "changed_side": diff.changed_side,
        "proposal": diff.proposal,
        "source_id": diff.source_id,
        "osm_id": diff.osm_key,
        "osm_url": osm_url(diff.osm_key),
        "city_url": record_url(result, diff.source_id),
        "josm_url": _josm_url(diff, objects, context),
        "id_url": _id_url(diff, objects),
        "objects": " ".join(objects),
        "name": diff.name,
        "category": diff.category,
        "city_field": diff.city_field,
        "base_city_value": diff.base_city_value,
        "base_osm_value": diff.base_osm_value,
        # NaN would make the JSON (GeoJSON, the page's data) unreadable.
        "distance_m": round(diff.distance_m, 1) if diff.distance_m is not None and _finite(diff.distance_m) else None,
        "osm_version": diff.osm_version,
        "note": render_notes(diff.note, lang),
        "dataset": diff.dataset,
        "lat": round(diff.lat, 7) if has_position(diff) else None,
        "lon": round(diff.lon, 7) if has_position(diff) else None,
        "review_url": review_url(result.review_url_template, diff.id),
    } | (_routing(diff, result) if result.producers else {})


def _routing(diff: Difference, result: DatasetResult) -> dict[str, Any]:
    owners = {producer.name: producer.owner for producer in result.producers}
    return {"producers": " ".join(diff.producers),
            "owner": owners.get(diff.producers[0]) if diff.producers else None}
