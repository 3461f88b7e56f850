"""Accepted OSM corrections into a city's PostgreSQL/PostGIS table, in one transaction.

The config names the table, its key column and which column holds each city field. Every row to
change is locked and read first (`SELECT ... FOR UPDATE`): a value that is no longer what the reviewer
saw is left alone and reported; the others are updated. If the database refuses any value (a type, a
length, a constraint), nothing at all is changed and the error names the record and field. Geometry
columns are never touched.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import MetaData, Table, create_engine, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchTableError, SAWarning, SQLAlchemyError

from osmbridge.config_push import CityDatabaseConfig
from osmbridge.errors import OsmbridgeError
from osmbridge.plan.city_changes import CityCorrection, cell_text


class CityDatabaseError(OsmbridgeError):
    """The city's database cannot be updated; nothing was changed."""


@dataclass(frozen=True, slots=True)
class DatabaseOutcome:
    """Per correction, in order: "written", "present" (already the new value), "changed", "missing"."""

    statuses: tuple[str, ...]
    target: str  # "table <name>" for the change log


def write_city_database(config: CityDatabaseConfig, corrections: Sequence[CityCorrection], *,
                        dry_run: bool = False) -> DatabaseOutcome:
    """Apply `corrections` to the configured table in one transaction; all or nothing on a database error.

    With `dry_run` everything is checked and written inside the transaction, which is then rolled back.
    """
    try:
        engine = create_engine(config.url, future=True)
    except (ArgumentError, ModuleNotFoundError) as error:
        raise CityDatabaseError(f"city database {_redact(config.url)}: {error}") from None
    schema, _, name = config.table.rpartition(".")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)  # "Did not recognize type 'geometry'": we never touch it
            table = Table(name, MetaData(), schema=schema or None, autoload_with=engine)
    except NoSuchTableError:
        raise CityDatabaseError(f"city database {_redact(config.url)}: no table {config.table!r}; check "
                                "[datasets.X.push.city.database] table") from None
    except SQLAlchemyError as error:
        raise CityDatabaseError(f"city database {_redact(config.url)}: {_first_line(error)}") from None
    columns = {c.name for c in table.columns}
    if config.key_column not in columns:
        raise CityDatabaseError(f"table {config.table}: no key column {config.key_column!r} "
                                f"(columns: {', '.join(sorted(columns))})")
    key = table.c[config.key_column]
    statuses: list[str] = []
    current: CityCorrection | None = None
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            for correction in corrections:
                current = correction
                column_name = config.columns.get(correction.field, correction.field)
                if column_name not in columns:
                    raise CityDatabaseError(f"table {config.table}: no column {column_name!r} for the city field "
                                            f"{correction.field!r}; map it in [datasets.X.push.city.database] "
                                            "columns")
                column = table.c[column_name]
                found = connection.execute(select(column).where(key == _key_value(key, correction.record))
                                           .with_for_update()).first()
                if found is None:
                    statuses.append("missing")
                    continue
                now = cell_text(found[0])
                if now == correction.new:
                    statuses.append("present")
                elif now != correction.old:
                    statuses.append("changed")
                else:
                    value = _column_value(column, correction)
                    connection.execute(update(table).where(key == _key_value(key, correction.record))
                                       .values({column_name: value}))
                    statuses.append("written")
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    except CityDatabaseError:
        raise
    except SQLAlchemyError as error:
        where = f"record {current.record!r}, field {current.field!r}: " if current else ""
        raise CityDatabaseError(f"table {config.table}: {where}{_first_line(error)}. Nothing was changed "
                                "(the whole push to the city's database was rolled back).") from None
    finally:
        engine.dispose()
    return DatabaseOutcome(tuple(statuses), f"table {config.table}")


def _column_value(column: object, correction: CityCorrection) -> object:
    """The new value in the column's type; a value that is not of that type is a bad row."""
    if correction.new is None:
        return None
    try:
        python_type = column.type.python_type  # type: ignore[attr-defined]
    except (NotImplementedError, AttributeError):
        return correction.new
    if python_type is str:
        return correction.new
    try:
        if python_type is bool:
            lowered = correction.new.lower()
            if lowered not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(correction.new)
            return lowered in ("true", "yes", "1")
        return python_type(correction.new)
    except (ValueError, TypeError, ArithmeticError):
        raise CityDatabaseError(
            f"record {correction.record!r}, field {correction.field!r}: {correction.new!r} is not a valid "
            f"{python_type.__name__} for column {column.name!r}. Nothing was changed (the whole push to the "  # type: ignore[attr-defined]
            "city's database was rolled back); fix the value in review.") from None


def _key_value(key: object, record: str) -> object:
    """The record id in the key column's type (an integer key compares with an integer)."""
    python_type = None
    with contextlib.suppress(NotImplementedError, AttributeError):
        python_type = key.type.python_type  # type: ignore[attr-defined]
    if python_type is int:
        try:
            return int(record)
        except ValueError:
            return record
    return record


def _first_line(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).strip().splitlines()[0] if str(original).strip() else error.__class__.__name__


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"
