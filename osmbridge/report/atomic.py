"""Atomic file writes: a report file is either the old one or the complete new one, never half."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from osmbridge.errors import write_error

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
    delimiter: str | None = None,
    decimal_comma: bool = False,
    protect: bool = True,
) -> Path:
    """Write a CSV atomically; return path.

    `excel`: UTF-8 with BOM, CRLF, `;` unless `delimiter` says otherwise, and (unless not `protect`) cells
    Excel would alter kept as text (see `excel_cell`); `decimal_comma` writes numbers as French Excel reads them.
    Otherwise a plain `,` UTF-8 CSV with the values as they are.
    """
    buffer = io.StringIO(newline="")
    if excel:
        buffer.write(BOM)
    separator = delimiter or (";" if excel else ",")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n" if excel else "\n")
    writer.writerow(header)
    for row in rows:
        if excel and protect:
            writer.writerow([excel_cell(value, decimal_comma=decimal_comma) for value in row])
        else:
            writer.writerow(["" if value is None else value for value in row])
    return write_text_atomic(path, buffer.getvalue())


# Text Excel would turn into something else: a formula (=, +, -, @: also a CSV-injection risk), a number
# losing its leading zero (phone numbers, postcodes, ids) or its last digits (past 15 digits).
_EXCEL_ALTERS = re.compile(r"^([=+\-@\t\r]|0\d|\d{12,}$)")
_EXCEL_FORMULA_MAX = 255  # Excel's limit for a text constant inside a formula


def excel_cell(value: object, *, decimal_comma: bool = False) -> object:
    """Return a cell as Excel should show it: numbers with the reader's decimal mark, fragile text as text.

    Fragile text becomes ="..." (a formula giving the text, which Excel and LibreOffice show as is);
    past Excel's 255 characters a leading apostrophe is the fallback.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not _EXCEL_ALTERS.match(text):
        return text
    if len(text) <= _EXCEL_FORMULA_MAX and "\n" not in text:
        return '="' + text.replace('"', '""') + '"'
    return "'" + text


@contextmanager
def staged_folder(out_dir: Path, elsewhere: str) -> Iterator[Path]:
    """Yield a staging folder beside `out_dir`; when the body succeeds it replaces `out_dir` whole.

    On any failure the staging folder is removed and `out_dir` is left as it was; an OS error (a full
    disk, a read-only folder) becomes a one-line WriteError naming `out_dir` and `elsewhere`, the other
    place the user can choose ("pass --out with another folder").
    """
    staging = out_dir.parent / f".{out_dir.name}.partial-{os.getpid()}"
    previous = out_dir.parent / f".{out_dir.name}.previous-{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        yield staging
        if out_dir.exists():
            os.replace(out_dir, previous)
        os.replace(staging, out_dir)
    except OSError as error:
        _restore(staging, previous, out_dir)
        raise write_error(out_dir, error, elsewhere) from None
    except BaseException:
        _restore(staging, previous, out_dir)
        raise
    shutil.rmtree(previous, ignore_errors=True)


def _restore(staging: Path, previous: Path, out_dir: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    with suppress(OSError):
        if previous.exists() and not out_dir.exists():
            os.replace(previous, out_dir)
