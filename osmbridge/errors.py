"""Errors shown to the operator as one line, no traceback. Bugs stay plain exceptions."""

from __future__ import annotations


class OsmbridgeError(Exception):
    """A user-facing problem; `cli.main` prints its message and exits non-zero."""


class ConfigError(OsmbridgeError):
    """config.toml or a mapping file is wrong; the message names the file and key."""

    def __init__(self, path: object, key: str, problem: str) -> None:
        super().__init__(f"{path}: key {key!r}: {problem}")
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
