"""Atomic file writes: a report file is either the old one or the complete new one, never half."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

# Excel only reads a CSV as UTF-8 when it starts with a byte order mark.
BOM = "\ufeff"


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temp file in the same folder, then os.replace; return path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically; return path."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_csv_atomic(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    excel: bool = False,
) -> Path:
    """Write a CSV atomically: `excel` = `;` separator and UTF-8 BOM, else plain `,` UTF-8; return path."""
    buffer = io.StringIO(newline="")
    if excel:
        buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return write_text_atomic(path, buffer.getvalue())
