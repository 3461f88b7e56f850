"""Decoding city files: UTF-8 (with or without BOM) first, then the legacy Windows/Latin-1 code pages."""

from __future__ import annotations

import codecs
from pathlib import Path

from osmbridge.errors import SourceError

# Tried in order when the spec names no encoding. UTF-8 is strict enough that a file which decodes as
# UTF-8 almost surely is UTF-8; CP1252 is what spreadsheet exports on Windows produce; Latin-1 decodes
# any byte, so it is the last resort for the few bytes CP1252 leaves undefined.
_FALLBACKS = ("utf-8", "cp1252", "latin-1")
# Named in messages: the encodings city exports come in, Central European ones included.
ENCODING_EXAMPLES = ("'utf-8', 'cp1252' (Windows, Western Europe), 'cp1250' (Windows, Central Europe), "
                     "'iso-8859-1', 'iso-8859-2'")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_text(path: Path, encoding: str | None = None) -> str:
    """Return the text of the file `path`, decoded with `encoding` or a detected one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        # The same reader serves `run` (config.toml) and `match` / `mappings check` (a path on the command line).
        raise SourceError(f"{path}: file not found. Check the path: the source location in config.toml, or the "
                          "file given on the command line (--city, --data).") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a folder, not a file. Point the source location at the data file.") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot be read ({error.strerror}). Check the path and its permissions.") from None
    return decode(data, str(path), encoding)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Return `data` as text: with `encoding` if given, else UTF-8 (BOM or not), then CP1252, then Latin-1."""
    if encoding is not None:
        return _decode_declared(name, data, encoding)
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return _decode_declared(name, data, bom_encoding)
    if b"\x00" in data[:4096]:
        raise SourceError(f"{name}: holds binary data (NUL bytes), not CSV or JSON text. "
                          "Export the dataset as CSV or (Geo)JSON.")
    for fallback in _FALLBACKS:
        try:
            return data.decode(fallback)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _decode_declared(name: str, data: bytes, encoding: str) -> str:
    """Decode with the encoding the spec names (or a BOM announces), saying where it fails."""
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding  # drop a BOM
    try:
        return data.decode(codec)
    except LookupError:
        raise SourceError(f"{name}: unknown encoding {encoding!r}. Set encoding (in the source spec, or "
                          f"--encoding) to a Python codec name: {ENCODING_EXAMPLES}; or remove it to detect.") from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = f"not valid {encoding} (byte {data[error.start]:#04x} at offset {error.start})"
        raise SourceError(f"{name}:{line}: {problem}. Set the file's encoding (encoding in the source spec, or "
                          f"--encoding): {ENCODING_EXAMPLES}; or remove it to detect.") from None
