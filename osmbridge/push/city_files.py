"""A patched copy of the city's file, in its own format: the accepted OSM corrections written in place.

CSV keeps its encoding (and byte order mark), delimiter, line endings, column order and every row it
does not change byte for byte; a changed row is written back with the same quoting style. GeoJSON and
JSON keep their structure and property order; a number stays a number. The copy is written to a temp
file and renamed: it is the old one or the whole new one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osmbridge.errors import OsmbridgeError
from osmbridge.model import SourceSpec
from osmbridge.plan.city_changes import cell_text
from osmbridge.report.atomic import write_bytes_atomic
from osmbridge.sources.columns import resolve_column
from osmbridge.sources.csv_reader import _SEP_HINT, detect_delimiter
from osmbridge.sources.download import is_url


class CityFileError(OsmbridgeError):
    """The city's file cannot be patched."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """Set `field` of record `record` to `new`, if it still holds `old`."""

    record: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class PatchOutcome:
    """What each change found: "written" (old value found and replaced), "present" (already the new
    value), "changed" (the record holds something else), "missing" (no such record or column)."""

    statuses: tuple[str, ...]  # one per change, in order
    output: Path


# Reads the current value of (record, field), applies new values, serialises the document.
Editor = tuple[Callable[[str, str], tuple[bool, str | None]], Callable[[str, str, str | None], None],
               Callable[[], bytes]]


def patch_city_file(spec: SourceSpec, id_field: str, changes: Sequence[FieldChange], output: Path) -> PatchOutcome:
    """Write a copy of the city's file with `changes` applied to `output`; report each change's status."""
    if spec.kind not in ("csv", "geojson", "json") or is_url(spec.location):
        raise CityFileError(f"the city's data comes from {spec.location} ({spec.kind}), not a local file: "
                            "download the file and point the source location at it, or configure "
                            "[datasets.X.push.city.database] to update the city's database")
    path = Path(spec.location)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CityFileError(f"{path}: cannot be read ({error.strerror})") from None
    editor = _csv_editor(path, data, spec, id_field) if spec.kind == "csv" else _json_editor(path, data, spec, id_field)
    read, write, serialise = editor
    statuses = []
    for change in changes:
        found, current = read(change.record, change.field)
        if not found:
            statuses.append("missing")
        elif current == change.new:
            statuses.append("present")
        elif current != change.old:
            statuses.append("changed")
        else:
            write(change.record, change.field, change.new)
            statuses.append("written")
    return PatchOutcome(tuple(statuses), write_bytes_atomic(output, serialise()))


# --- CSV ---------------------------------------------------------------------------------------------


def _csv_editor(path: Path, data: bytes, spec: SourceSpec, id_field: str) -> Editor:
    encoding, bom = _encoding(data, spec.encoding)
    text = data[len(bom):].decode(encoding)
    hint = _SEP_HINT.match(text)
    delimiter = spec.delimiter or (hint.group(1) if hint else detect_delimiter(text))
    lines = list(io.StringIO(text, newline=""))
    consumed: list[str] = []

    def feed() -> Any:
        for line in lines:
            consumed.append(line)
            yield line

    rows: list[tuple[list[str] | None, str]] = []  # (cells or None for kept-as-is lines, raw text)
    header: list[str] | None = None
    for number, cells in enumerate(csv.reader(feed(), delimiter=delimiter)):
        raw = "".join(consumed)
        consumed.clear()
        if header is None and (not any(c.strip() for c in cells) or (hint and number == 0)):
            rows.append((None, raw))
            continue
        if header is None:
            header = [c.strip() for c in cells]
            rows.append((None, raw))
            continue
        rows.append((cells, raw))
    if header is None:
        raise CityFileError(f"{path}: no header row")
    id_column = _column(path, header, id_field, "id field")
    by_id = {cells[header.index(id_column)].strip(): index for index, (cells, _) in enumerate(rows)
             if cells is not None and len(cells) > header.index(id_column)}
    changed: set[int] = set()

    def locate(record: str, field: str) -> tuple[int, int] | None:
        column = resolve_column(field, header)
        index = by_id.get(record)
        if column is None or index is None:
            return None
        return index, header.index(column)

    def read(record: str, field: str) -> tuple[bool, str | None]:
        where = locate(record, field)
        if where is None:
            return False, None
        cells = rows[where[0]][0]
        assert cells is not None
        return True, cell_text(cells[where[1]]) if where[1] < len(cells) else None

    def write(record: str, field: str, value: str | None) -> None:
        where = locate(record, field)
        assert where is not None
        cells = rows[where[0]][0]
        assert cells is not None
        cells[where[1]] = value or ""
        changed.add(where[0])

    def serialise() -> bytes:
        out = io.StringIO(newline="")
        for index, (cells, raw) in enumerate(rows):
            if index not in changed or cells is None:
                out.write(raw)
                continue
            ending = "\r\n" if raw.endswith("\r\n") else "\n" if raw.endswith("\n") else ""
            quote_all = raw.startswith('"') and raw.count(f'"{delimiter}"') >= len(cells) - 1
            writer = csv.writer(out, delimiter=delimiter, lineterminator=ending or "\n",
                                quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
            writer.writerow(cells)
            if not ending:  # the last line had no line break: keep it so
                out.seek(out.tell() - 1)
                out.truncate()
        try:
            return bom + out.getvalue().encode(encoding)
        except UnicodeEncodeError as error:
            raise CityFileError(f"{path}: a new value holds {error.object[error.start:error.end]!r}, which the "
                                f"file's encoding ({encoding}) cannot write; fix the value in review") from None

    return read, write, serialise


def _encoding(data: bytes, declared: str | None) -> tuple[str, bytes]:
    """(codec, byte order mark) of a CSV file, detected like the source reader does."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", codecs.BOM_UTF8
    if declared:
        return declared, b""
    for candidate in ("utf-8", "cp1252"):
        try:
            data.decode(candidate)
            return candidate, b""
        except UnicodeDecodeError:
            continue
    return "latin-1", b""


# --- GeoJSON / JSON ----------------------------------------------------------------------------------


def _json_editor(path: Path, data: bytes, spec: SourceSpec, id_field: str) -> Editor:
    text = data.decode(spec.encoding or "utf-8-sig")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CityFileError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    records = _json_records(path, document, spec.records_path)
    by_id: dict[str, dict[str, Any]] = {}
    for record in records:
        key = resolve_column(id_field, record.keys())
        value = cell_text(record.get(key)) if key else None
        if value is not None:
            by_id[value] = record

    def read(record: str, field: str) -> tuple[bool, str | None]:
        found = by_id.get(record)
        column = resolve_column(field, found.keys()) if found is not None else None
        if found is None or column is None:
            return False, None
        return True, cell_text(found[column])

    def write(record: str, field: str, value: str | None) -> None:
        found = by_id[record]
        column = resolve_column(field, found.keys()) or field
        found[column] = _typed(found.get(column), value)

    def serialise() -> bytes:
        indent = 2 if text.count("\n") > 2 else None
        return (json.dumps(document, ensure_ascii=False, indent=indent) + ("\n" if text.endswith("\n") else "")
                ).encode("utf-8")

    return read, write, serialise


def _json_records(path: Path, document: Any, records_path: str | None) -> list[dict[str, Any]]:
    """The property dicts of the records: each feature's properties, or the records list's items."""
    node = document
    if records_path:
        for part in records_path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
    elif isinstance(node, dict) and node.get("type") == "FeatureCollection":
        node = node.get("features")
    if not isinstance(node, list):
        raise CityFileError(f"{path}: no list of records found" + (f" at {records_path!r}" if records_path else ""))
    records = []
    for item in node:
        if isinstance(item, dict) and item.get("type") == "Feature":
            if item.get("properties") is None:
                item["properties"] = {}
            records.append(item["properties"])
        elif isinstance(item, dict):
            records.append(item)
    return records


def _typed(old: Any, value: str | None) -> Any:
    """The new value in the old one's JSON type when it reads as one (a count stays a number)."""
    if value is None:
        return None
    if isinstance(old, bool):
        return value.lower() in ("yes", "true", "1", "oui")
    if isinstance(old, int):
        try:
            return int(value)
        except ValueError:
            return value
    if isinstance(old, float):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _column(path: Path, header: Sequence[str], name: str, what: str) -> str:
    column = resolve_column(name, header)
    if column is None:
        raise CityFileError(f"{path}: the {what} {name!r} is not among the columns ({', '.join(header[:30])})")
    return column


