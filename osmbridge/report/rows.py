"""One flat record per difference: the shared shape of diff.geojson, diff.csv and the HTML table."""

from __future__ import annotations

import math
from typing import Any

from osmbridge.i18n import render_notes
from osmbridge.model import DatasetResult, Difference
from osmbridge.report.links import city_url, josm_load_url, josm_zoom_url, osm_url, review_url

# Documented in osmbridge/report/README.md; the first four are the stable core.
DIFF_COLUMNS = (
    "id", "kind", "field", "city_value", "osm_value", "changed_side", "proposal",
    "source_id", "osm_id", "osm_url", "city_url", "josm_url", "name", "category", "city_field",
    "base_city_value", "base_osm_value", "distance_m", "osm_version", "note", "dataset", "lat", "lon",
    "review_url",
)


def sorted_differences(result: DatasetResult) -> list[Difference]:
    """Return the differences in report order: by category, name, source id, kind, field, id."""
    return sorted(
        result.differences,
        key=lambda d: (d.category, d.name or "", d.source_id or "", d.osm_key or "", d.kind, d.field or "", d.id),
    )


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def has_position(diff: Difference) -> bool:
    """Return whether a difference has a usable display position (finite, within WGS84 ranges)."""
    return _finite(diff.lat) and _finite(diff.lon) and -90.0 <= diff.lat <= 90.0 and -180.0 <= diff.lon <= 180.0


def _josm_url(diff: Difference) -> str | None:
    if diff.osm_key:
        tags = None
        if diff.proposal == "to_osm" and diff.field and diff.kind not in ("position", "missing_in_osm"):
            tags = {diff.field: diff.city_value or ""}
        return josm_load_url(diff.osm_key, tags)
    if has_position(diff):
        return josm_zoom_url(diff.lon, diff.lat)
    return None


def difference_record(diff: Difference, result: DatasetResult, lang: str = "en") -> dict[str, Any]:
    """Return the flat record of one difference (values None when absent), its notes in `lang`."""
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
        "city_url": city_url(result.city_url_template, diff.source_id),
        "josm_url": _josm_url(diff),
        "name": diff.name,
        "category": diff.category,
        "city_field": diff.city_field,
        "base_city_value": diff.base_city_value,
        "base_osm_value": diff.base_osm_value,
        # NaN would make the JSON (GeoJSON, the page's data) unreadable.
        "distance_m": round(diff.distance_m, 1) if _finite(diff.distance_m) else None,
        "osm_version": diff.osm_version,
        "note": render_notes(diff.note, lang),
        "dataset": diff.dataset,
        "lat": round(diff.lat, 7) if has_position(diff) else None,
        "lon": round(diff.lon, 7) if has_position(diff) else None,
        "review_url": review_url(result.review_url_template, diff.id),
    }
