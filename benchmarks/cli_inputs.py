"""The files a user hands to `osmbridge match`: the city list as CSV and a tag mapping for its types.

The scaling benchmark runs the real command on these, beside the matcher alone, so that its figures
include start-up, reading both files, applying the mapping and writing matches.csv.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks.synthetic import CityRecord, Kind

CSV_COLUMNS = ("id", "name", "type", "lat", "lon")


def write_city_csv(records: Iterable[CityRecord], path: Path) -> None:
    """Write the city list as CSV (id, name, type as key=value, lat, lon), atomically."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in records:
            writer.writerow((r.source_id, r.name or "", f"{r.kind[0]}={r.kind[1]}", f"{r.lat:.7f}", f"{r.lon:.7f}"))
    os.replace(tmp, path)


def mapping_toml(name: str, kinds: Sequence[Kind], max_distance_m: float) -> str:
    """Return a tag mapping giving each record the type in its `type` column (one category per type)."""
    lines = [
        "# Written by benchmarks/cli_inputs.py for the end-to-end benchmark.",
        "[mapping]",
        f'name = "{name}"',
        'id_field = "id"',
        'name_field = "name"',
        'category_field = "type"',
        f"match_distance_m = {max_distance_m:g}",
        "",
    ]
    for key, value in sorted(set(kinds)):
        lines += ["[[category]]", f'values = ["{key}={value}"]', f'tags = {{ {key} = "{value}" }}', ""]
    return "\n".join(lines)


def write_mapping(name: str, kinds: Sequence[Kind], max_distance_m: float, path: Path) -> None:
    """Write the mapping of `mapping_toml` to `path`."""
    path.write_text(mapping_toml(name, kinds, max_distance_m), encoding="utf-8")
