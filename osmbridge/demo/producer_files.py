"""Writes the defibrillators' two producer files: the health department's GeoJSON, the association's CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from osmbridge.demo.output import write_atomic

HEALTH_COLUMNS = ("id_dae", "nom", "adresse", "telephone", "horaires", "date_maj")
AID_COLUMNS = ("numero", "lieu", "telephone", "horaires", "verifie_le", "latitude", "longitude")


def write_health_geojson(path: Path, records: Sequence[dict[str, Any]]) -> None:
    """Write the department's records as GeoJSON points, one feature per line, in id order."""
    lines = [json.dumps({"type": "Feature", "properties": {column: record[column] for column in HEALTH_COLUMNS},
                         "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]}},
                        ensure_ascii=False)
             for record in sorted(records, key=lambda r: r["id_dae"])]
    head = '{"type": "FeatureCollection", "name": "Défibrillateurs — direction de la santé publique", "features": [\n'
    write_atomic(path, (head + ",\n".join(lines) + "\n]}\n").encode("utf-8"))


def write_aid_csv(path: Path, records: Sequence[dict[str, Any]]) -> None:
    """Write the association's spreadsheet export: `;` separated, decimal points, in number order."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(AID_COLUMNS)
    for record in sorted(records, key=lambda r: r["numero"]):
        writer.writerow([record[column] for column in AID_COLUMNS])
    write_atomic(path, out.getvalue().encode("utf-8"))
