"""The differences as files for other tools: GeoJSON (uMap, QGIS, scripts), CSV for Excel, CSV for maps."""

from __future__ import annotations

import json
from pathlib import Path

from osmbridge.model import DatasetResult
from osmbridge.report.atomic import write_csv_atomic, write_text_atomic
from osmbridge.report.rows import DIFF_COLUMNS, difference_record, has_position, sorted_differences


def write_diff_geojson(result: DatasetResult, path: Path) -> Path:
    """Write one Point Feature per difference (null geometry without a position); return path."""
    features = []
    for diff in sorted_differences(result):
        record = difference_record(diff, result)
        geometry = (
            {"type": "Point", "coordinates": [record["lon"], record["lat"]]} if has_position(diff) else None
        )
        properties = {k: v for k, v in record.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "id": diff.id, "geometry": geometry, "properties": properties})
    collection = {
        "type": "FeatureCollection",
        "name": f"osmbridge-{result.dataset}-run{result.run_id}",
        "features": features,
    }
    return write_text_atomic(path, json.dumps(collection, ensure_ascii=False, indent=1, sort_keys=False) + "\n")


def _rows(result: DatasetResult) -> list[list[object]]:
    rows = []
    for diff in sorted_differences(result):
        record = difference_record(diff, result)
        rows.append([record[column] for column in DIFF_COLUMNS])
    return rows


def write_diff_csv(result: DatasetResult, path: Path) -> Path:
    """Write the differences for Excel: `;` separator, UTF-8 with BOM, one row per difference; return path."""
    return write_csv_atomic(path, DIFF_COLUMNS, _rows(result), excel=True)


def write_diff_map_csv(result: DatasetResult, path: Path) -> Path:
    """Write the differences for uMap/QGIS: plain `,` UTF-8 CSV with lat/lon columns; return path."""
    return write_csv_atomic(path, DIFF_COLUMNS, _rows(result), excel=False)
