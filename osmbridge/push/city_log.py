"""The city change log: every field osmbridge changed in the city's data, with the OSM source and attribution.

One row per field: when, which record and column, old and new value, the OSM element, version and
changeset the value comes from, the attribution OSM data requires, and the reviewed item. The log
also makes city pushes safe to repeat: an item already logged is not written twice, and a patched copy
rebuilt from the city's file re-applies the logged changes the city has not published yet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osmbridge.errors import OsmbridgeError
from osmbridge.plan.city_changes import CityCorrection
from osmbridge.report.atomic import BOM, write_csv_atomic

COLUMNS = ("date", "record", "field", "old", "new", "osm_element", "osm_version", "osm_changeset", "attribution",
           "difference_id", "decided_at", "reviewer", "target")


@dataclass(frozen=True, slots=True)
class LoggedChange:
    date: str
    record: str
    field: str
    old: str | None
    new: str | None
    osm_element: str
    osm_version: str
    osm_changeset: str
    attribution: str
    difference_id: str
    decided_at: str
    reviewer: str
    target: str  # the file or table written

    @property
    def item(self) -> tuple[str, str]:
        return self.difference_id, self.decided_at


def read_log(path: Path) -> list[LoggedChange]:
    """The rows of a change log ([] when it does not exist yet)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8").removeprefix(BOM)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise OsmbridgeError(f"{path}: not an osmbridge change log (expected the columns {', '.join(COLUMNS)}); "
                             "move it away or point the city push elsewhere")
    changes = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise OsmbridgeError(f"{path}:{number}: {len(row)} fields where the log has {len(COLUMNS)}")
        values: dict[str, Any] = dict(zip(COLUMNS, (_unprotect(cell) for cell in row), strict=True))
        values["old"], values["new"] = values["old"] or None, values["new"] or None
        changes.append(LoggedChange(**values))
    return changes


def _unprotect(cell: str) -> str:
    """A cell as written, without the ="..." that keeps Excel from altering it (phones, leading zeros)."""
    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3:
        return cell[2:-1].replace('""', '"')
    return cell


def logged(correction: CityCorrection, date: str, attribution: str, target: str) -> LoggedChange:
    return LoggedChange(date=date, record=correction.record, field=correction.field, old=correction.old,
                        new=correction.new, osm_element=correction.osm_key or "",
                        osm_version="" if correction.osm_version is None else str(correction.osm_version),
                        osm_changeset="" if correction.osm_changeset is None else str(correction.osm_changeset),
                        attribution=attribution, difference_id=correction.difference_id,
                        decided_at=correction.decided_at, reviewer=correction.author, target=target)


def write_log(path: Path, changes: Sequence[LoggedChange]) -> Path:
    """Write the whole log atomically (`;`, UTF-8 with BOM, for a spreadsheet)."""
    rows = [[getattr(change, column) or "" for column in COLUMNS] for change in changes]
    return write_csv_atomic(path, COLUMNS, rows, excel=True)
