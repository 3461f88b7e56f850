"""The differences as files for other tools: GeoJSON (uMap, QGIS, scripts), CSV for Excel, CSV for maps."""

from __future__ import annotations

import json
from pathlib import Path

from osmbridge.model import DatasetResult
from osmbridge.report.atomic import write_csv_atomic, write_text_atomic
from osmbridge.report.rows import RowContext, diff_columns, difference_record, has_position, sorted_differences


def write_diff_geojson(result: DatasetResult, path: Path) -> Path:
    """Write one Point Feature per difference (null geometry without a position); return path."""
    features = []
    context = RowContext.of(result)
    for diff in sorted_differences(result):
        record = difference_record(diff, result, context)
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


def _rows(result: DatasetResult, lang: str = "en") -> list[list[object]]:
    rows = []
    context = RowContext.of(result)
    for diff in sorted_differences(result):
        record = difference_record(diff, result, context, lang)
        rows.append([record[column] for column in diff_columns(result)])
    return rows


def write_diff_csv(result: DatasetResult, path: Path) -> Path:
    """Write the differences as data: `;` separator, UTF-8 with BOM, values as they are; return path."""
    return write_csv_atomic(path, diff_columns(result), _rows(result), excel=True, protect=False)


def write_diff_excel(result: DatasetResult, path: Path, *, french: bool = False) -> Path:
    """Write the differences for Excel, one row per difference; return path.

    English Excel: `,` and decimal points; `french`: `;`, decimal commas and notes in French.
    Both UTF-8 with BOM, phone numbers and other values Excel would alter kept as text.
    """
    columns = diff_columns(result)
    if french:
        # The French reader's file: notes in French too.
        return write_csv_atomic(path, columns, _rows(result, "fr"), excel=True, delimiter=";", decimal_comma=True)
    return write_csv_atomic(path, columns, _rows(result), excel=True, delimiter=",")


def write_diff_map_csv(result: DatasetResult, path: Path) -> Path:
    """Write the differences for uMap/QGIS: plain `,` UTF-8 CSV with lat/lon columns; return path."""
    return write_csv_atomic(path, diff_columns(result), _rows(result), excel=False)
