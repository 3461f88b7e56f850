"""Errors shown to the operator as one line, no traceback. Bugs stay plain exceptions."""

from __future__ import annotations

import errno


class OsmbridgeError(Exception):
    """A user-facing problem; `cli.main` prints its message and exits non-zero."""


class ConfigError(OsmbridgeError):
    """config.toml or a mapping file is wrong; the message names the file and key (None: the whole file)."""

    def __init__(self, path: object, key: str | None, problem: str) -> None:
        super().__init__(f"{path}: key {key!r}: {problem}" if key else f"{path}: {problem}")
        self.path, self.key, self.problem = path, key, problem


class BadRecord(OsmbridgeError):
    """A city record cannot be used; `origin` is "file:line" or "url#record N"."""

    def __init__(self, origin: str, field: str | None, problem: str) -> None:
        where = f"{origin}: field {field!r}" if field else origin
        super().__init__(f"{where}: {problem}. Fix the record, or run with --skip-invalid to leave it out.")
        self.origin, self.field, self.problem = origin, field, problem


class SourceError(OsmbridgeError):
    """A city source (file or portal) cannot be read at all."""


class OsmSourceError(OsmbridgeError):
    """OSM data (extract file or Overpass) cannot be read."""


class StoreError(OsmbridgeError):
    """The state database cannot be opened, read or written; the message says what to do."""


class WriteError(OsmbridgeError):
    """Output (reports, a plan, the state store) cannot be written; nothing half-written is left."""


_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def os_problem(error: OSError) -> str:
    """Return an OS error as a short phrase: "no space left on the disk", "permission denied"..."""
    if error.errno in _FULL:
        return "no space left on the disk (or a file size limit reached)"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    if error.errno in _DENIED:
        return "permission denied"
    if error.errno == errno.EISDIR:
        return "it is a folder, not a file"
    if error.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return (error.strerror or str(error)).lower()


def write_fix(error: OSError, elsewhere: str) -> str:
    """Return what to do when a write failed; `elsewhere` says how to choose another place."""
    if error.errno in _FULL:
        return f"Free some space on that disk, or {elsewhere}."
    if error.errno in _DENIED:
        return f"Make the folder writable for this user, or {elsewhere}."
    return f"Check the path, or {elsewhere}."


def write_error(path: object, error: OSError, elsewhere: str) -> WriteError:
    """Return the one-line WriteError for a failed write in the folder or file `path`."""
    return WriteError(f"{path}: cannot write ({os_problem(error)}). {write_fix(error, elsewhere)}")


def describe_os_error(error: OSError) -> str:
    """Return an OS error that reached the CLI as one line: the path, the problem, what to do."""
    where = f"{error.filename}: " if error.filename else ""
    if error.errno in _FULL:
        fix = "Free some space on that disk, or choose a folder on another one."
    elif error.errno in _DENIED:
        fix = "Check the permissions of that file and its folder, or choose another place."
    else:
        fix = "Check the path."
    return f"{where}{os_problem(error)}. {fix}"
