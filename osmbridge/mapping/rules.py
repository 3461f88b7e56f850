"""The typed form of a tag mapping file: filters, field rules, category rules, skips."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from osmbridge.model import TagFilter
from osmbridge.sources.columns import resolve_column

OnError = Literal["keep", "omit", "fail"]
EMPTY_CATEGORY = ""  # the category value of a record whose category field(s) are empty


class Record(Protocol):
    """What the mapping reads of a record: its fields (a CityPlace, or a source's raw record not yet checked)."""

    @property
    def fields(self) -> Mapping[str, Any]: ...


def field_text(place: Record, name: str) -> str | None:
    """Return a record's field as trimmed text (12.0 -> "12"), or None when missing or empty.

    A column whose name differs only in case is the same column, as for the readers' id field: cities
    re-publish releases with renamed headers ("MOB_ARCE_NB" then "mob_arce_nb").
    """
    if name not in place.fields:
        name = resolve_column(name, place.fields) or name
    value = place.fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """A condition on one field: its value is one of `values`, or matches `regex`; `exclude` inverts it."""

    field: str
    values: frozenset[str] | None = None
    regex: re.Pattern[str] | None = None
    exclude: bool = False

    def accepts(self, place: Record) -> bool:
        value = field_text(place, self.field) or ""
        if self.values is not None:
            hit = value in self.values
        else:
            hit = bool(self.regex and self.regex.search(value))
        return hit != self.exclude


@dataclass(frozen=True, slots=True)
class ValueSelector:
    """Which category values a [[category]] or [[skip]] covers: listed values and/or a regex, plus `when`."""

    values: frozenset[str] = frozenset()
    regex: re.Pattern[str] | None = None
    when: tuple[RecordFilter, ...] = ()
    catch_all: bool = False  # no values and no regex: every record (mappings without a category field)

    def selects(self, value: str, place: Record) -> bool:
        if not (self.catch_all or value in self.values or (self.regex is not None and self.regex.search(value))):
            return False
        return all(condition.accepts(place) for condition in self.when)


@dataclass(frozen=True, slots=True)
class FieldRule:
    """City field(s) -> one OSM tag through a transform. `fields` are alternatives: the first non-empty wins."""

    fields: tuple[str, ...]
    tag: str
    transform: str = "text"
    on_error: OnError = "keep"
    factor: float | None = None  # "int": multiply (stands -> bikes)
    value_map: Mapping[str, str] = field(default_factory=dict)  # "map": city value -> OSM value
    ignore: frozenset[str] = frozenset()  # placeholder values treated as empty ("-", "N/A")
    days: Mapping[str, str] = field(default_factory=dict)  # "weekday_hours": OSM day ("Mo") -> column

    def describe(self) -> str:
        return f"{' | '.join(self.fields)} -> {self.tag} ({self.transform})"


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """Category value(s) -> the OSM tags the city asserts, what counts as the same type, match distance."""

    selector: ValueSelector
    tags: Mapping[str, str]
    match_tags: tuple[tuple[str, str], ...]
    match_distance_m: float | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class SkipRule:
    """Category value(s) deliberately left out of the mapping, and why."""

    selector: ValueSelector
    reason: str


@dataclass(frozen=True, slots=True)
class ClosedRule:
    """Records whose `field` holds one of `values` are marked closed."""

    field: str
    values: frozenset[str]
    listed: tuple[str, ...] = ()  # `values` in the mapping's order: the push writes the first

    @property
    def written(self) -> tuple[str, ...]:
        """The closed values in the mapping's order (the first is what a city push writes)."""
        return self.listed or tuple(sorted(self.values))

    def is_closed(self, place: Record) -> bool:
        return (field_text(place, self.field) or "") in self.values


@dataclass(frozen=True, slots=True)
class TagMapping:
    """A declarative city-dataset -> OSM tag mapping, loaded and checked from a TOML file."""

    name: str
    path: Path | None
    id_field: str
    name_field: str | None
    category_field: str | None  # the first category field; see `category_fields`
    ref_tag: str | None
    country: str | None  # ISO 3166 alpha-2, region for phone numbers and address conventions
    match_distance_m: float
    city_authoritative: frozenset[str]
    osm_only: frozenset[str]
    description: str = ""
    category_fields: tuple[str, ...] = ()  # their non-empty values joined with " / " make the category value
    name_transform: str = "text"
    tags: Mapping[str, str] = field(default_factory=dict)  # added to every feature
    filters: tuple[RecordFilter, ...] = ()
    fields: tuple[FieldRule, ...] = ()
    categories: tuple[CategoryRule, ...] = ()
    skips: tuple[SkipRule, ...] = ()
    closed: ClosedRule | None = None
    # False when the dataset lists only some places of its types (a register of headquarters, not of
    # every station): OSM places it lacks are then not "missing in the city".
    complete: bool = True
    # What the push may do beyond tag changes (both off unless the mapping says so).
    move_nodes: bool = False
    delete_closed: bool = False

    def osm_filters(self) -> list[TagFilter]:
        """Return what to fetch from OSM: the union of every category's match tags ("k=*" -> key present)."""
        seen: dict[tuple[str, str | None], TagFilter] = {}
        for category in self.categories:
            for key, value in category.match_tags:
                wanted = None if value == "*" else value
                seen.setdefault((key, wanted), TagFilter(key, wanted))
        # A key-only filter already fetches every value of that key.
        keys_only = {key for key, value in seen if value is None}
        return [f for (key, value), f in seen.items() if value is None or key not in keys_only]

    def covers(self, place: Record) -> bool:
        """Return whether the record passes every [[mapping.filter]]."""
        return all(condition.accepts(place) for condition in self.filters)

    def category_of(self, place: Record) -> str:
        """Return the record's category value: its category fields' non-empty values joined with " / "."""
        parts = [field_text(place, name) for name in self.category_fields]
        return " / ".join(part for part in parts if part) or EMPTY_CATEGORY

    def rule_for(self, place: Record, value: str | None = None) -> CategoryRule | SkipRule | None:
        """Return the [[skip]] or [[category]] that covers the record (skips first), or None."""
        value = self.category_of(place) if value is None else value
        for skip in self.skips:
            if skip.selector.selects(value, place):
                return skip
        for category in self.categories:
            if category.selector.selects(value, place):
                return category
        return None

    def category_name(self, value: str, rule: CategoryRule | SkipRule) -> str:
        """Return the category shown for a record: its value, or the rule's label without a category field."""
        if self.category_fields:
            return value
        if isinstance(rule, CategoryRule):
            return rule.label or "=".join(next(iter(rule.tags.items()), ("", "")))
        return value

    def referenced_fields(self) -> dict[str, str]:
        """Return every city field the mapping reads -> where in the file it is named."""
        used: dict[str, str] = {"mapping.id_field": self.id_field}
        if self.name_field:
            used["mapping.name_field"] = self.name_field
        for name in self.category_fields:
            used.setdefault(f"mapping.category_field ({name})", name)
        for index, condition in enumerate(self.filters, 1):
            used[f"mapping.filter[{index}]"] = condition.field
        if self.closed:
            used["mapping.closed"] = self.closed.field
        return used


def describe_value(value: str) -> str:
    """Return a category value as shown to people: quoted, "(empty)" for no value."""
    return "(empty)" if value == EMPTY_CATEGORY else repr(value)


def as_text(value: Any) -> str:
    """Return a TOML scalar (string or number) as the text it is compared with."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
