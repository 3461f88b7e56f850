"""Reading a CSV file of city records: encoding and delimiter detection, physical line numbers."""

from __future__ import annotations

import csv
import io
import re

from osmbridge.errors import SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources.download import read_location
from osmbridge.sources.records import RawRecord, RawSource

DELIMITERS = (",", ";", "\t")
_SAMPLE_RECORDS = 50
# Spreadsheet exports may start with a "sep=;" line naming the delimiter.
_SEP_HINT = re.compile(r"\ufeff?sep=(.)\r?\n", re.IGNORECASE)
# Some exports hold whole WKT polygons in one cell: allow cells far beyond csv's 128 KiB default.
csv.field_size_limit(64 * 1024 * 1024)


def read_csv(spec: SourceSpec) -> RawSource:
    """Return every record of the CSV file (path or URL) `spec.location`; the header row names the fields."""
    path, text = read_location(spec.location, spec.encoding, spec.timeout_s)
    _refuse_other_formats(path, text)
    hint = _SEP_HINT.match(text)
    delimiter = spec.delimiter or (hint.group(1) if hint else detect_delimiter(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[RawRecord] = []
    header: list[str] | None = None
    try:
        start = 1  # physical line where the next record begins
        for row in reader:
            if header is None:
                if _blank(row) or (hint and reader.line_num == 1):
                    start = reader.line_num + 1
                    continue
                header = _header(row)
            elif not _blank(row):
                records.append(_record(path, start, header, row))
            start = reader.line_num + 1
    except csv.Error as error:
        raise SourceError(f"{path}:{reader.line_num}: not readable as CSV ({error}). Check the file's quoting, "
                          "or set delimiter and encoding in the source spec.") from None
    if header is None:
        raise SourceError(f"{path}: the file is empty; expected a header row and records.")
    if records and len(records[-1].fields) < len(header):
        last = records[-1]
        records[-1] = RawRecord(last.origin, last.fields, problem=f"has {len(last.fields)} fields where the header "
                                f"has {len(header)}, and is the last record: the file looks cut off (an interrupted "
                                "download or export?)")
    return RawSource(path, tuple(header), records)


def detect_delimiter(text: str) -> str:
    """Return the delimiter among , ; tab that splits the first records into the most, equal, columns."""
    best, best_score = ",", (False, 1)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        widths = []
        try:
            for row in reader:
                if not _blank(row):
                    widths.append(len(row))
                if len(widths) >= _SAMPLE_RECORDS:
                    break
        except csv.Error:
            continue
        if not widths:
            continue
        score = (all(width == widths[0] for width in widths), widths[0])
        if widths[0] > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def _header(row: list[str]) -> list[str]:
    """The field names: stripped, unnamed columns numbered, repeated names suffixed so none is lost."""
    names: list[str] = []
    for index, raw in enumerate(row, start=1):
        name = raw.strip() or f"column {index}"
        base, count = name, 2
        while name in names:
            name, count = f"{base} ({count})", count + 1
        names.append(name)
    return names


def _record(path: str, line: int, header: list[str], row: list[str]) -> RawRecord:
    origin = f"{path}:{line}"
    if len(row) != len(header):
        # A shifted row would put values under the wrong names, coordinates included.
        return RawRecord(origin, dict(zip(header, row, strict=False)),
                         problem=f"has {len(row)} fields where the header has {len(header)} (a stray delimiter "
                                 "or quote?)")
    return RawRecord(origin, dict(zip(header, row, strict=True)))


def _blank(row: list[str]) -> bool:
    return all(not cell.strip() for cell in row)


def _refuse_other_formats(path: str, text: str) -> None:
    """A JSON or HTML file read as CSV would give one nonsense column: say what it is instead."""
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("{", "["):
        raise SourceError(f"{path}: holds JSON, not CSV. Set kind = \"geojson\" or \"json\" in the source spec.")
    if start == "<":
        raise SourceError(f"{path}: holds HTML or XML, not CSV. Download the dataset's CSV export instead.")
