"""Read a tag mapping TOML file into a TagMapping, checking every key; errors name the file and key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from osmbridge.errors import ConfigError, os_problem
from osmbridge.mapping.rules import (
    CategoryRule,
    ClosedRule,
    FieldRule,
    RecordFilter,
    SkipRule,
    TagMapping,
    ValueSelector,
    as_text,
    describe_value,
)
from osmbridge.mapping.transforms import TRANSFORMS

_TOP_KEYS = {"mapping", "field", "category", "skip"}
_MAPPING_KEYS = {"name", "description", "id_field", "name_field", "name_transform", "category_field", "ref_tag",
                 "country", "match_distance_m", "city_authoritative", "osm_only", "closed", "filter", "tags",
                 "complete", "move_nodes", "delete_closed"}
_FILTER_KEYS = {"field", "values", "regex", "exclude"}
_FIELD_KEYS = {"field", "tag", "transform", "on_error", "factor", "map", "ignore", "days"}
_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_CATEGORY_KEYS = {"values", "regex", "when", "tags", "match_tags", "match_distance_m", "label"}
_SKIP_KEYS = {"values", "regex", "when", "reason"}
_TAG_KEY = re.compile(r"^[^\s=]+$")
_NEEDS_COUNTRY = {"phone"}


class _Reader:
    """Typed access to the raw TOML tables; every problem becomes a ConfigError naming file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

    def table(self, raw: Any, key: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(key, f"expected a table, got {type(raw).__name__}")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"unknown key; expected one of: {', '.join(sorted(allowed))}")
        return raw

    def tables(self, raw: Any, key: str) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise self.fail(key, f"expected an array of tables ([[{key}]]), got {type(raw).__name__}")
        return raw

    def text(self, raw: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}.{key}", "missing; expected a string")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", f"expected a non-empty string, got {value!r}")
        return value

    def text_list(self, raw: dict[str, Any], key: str, where: str, *, numbers_ok: bool = False) -> list[str] | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        allowed = (str, int, float) if numbers_ok else (str,)
        if not isinstance(value, list) or not all(isinstance(v, allowed) and not isinstance(v, bool) for v in value):
            raise self.fail(f"{where}.{key}", f"expected a list of strings, got {value!r}")
        texts = [as_text(v) for v in value]
        duplicates = sorted({v for v in texts if texts.count(v) > 1})
        if duplicates:
            raise self.fail(f"{where}.{key}", f"value {duplicates[0]!r} is listed twice")
        return texts

    def number(self, raw: dict[str, Any], key: str, where: str, *, positive: bool = True) -> float | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (positive and value <= 0):
            raise self.fail(f"{where}.{key}", f"expected a {'positive ' if positive else ''}number, got {value!r}")
        return float(value)

    def boolean(self, raw: dict[str, Any], key: str, where: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", f"expected true or false, got {value!r}")
        return value

    def regex(self, raw: dict[str, Any], key: str, where: str) -> re.Pattern[str] | None:
        pattern = self.text(raw, key, where)
        if pattern is None:
            return None
        try:
            return re.compile(pattern)
        except re.error as error:
            raise self.fail(f"{where}.{key}", f"not a valid regular expression ({error}): {pattern!r}") from None

    def tag_table(self, raw: dict[str, Any], key: str, where: str, *, required: bool = False) -> dict[str, str]:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}.{key}", 'missing; expected a table of OSM tags, e.g. { amenity = "library" }')
            return {}
        if not isinstance(value, dict) or (required and not value):
            raise self.fail(f"{where}.{key}",
                            f'expected a table of OSM tags, e.g. {{ amenity = "library" }}, got {value!r}')
        for tag, tag_value in value.items():
            if not _TAG_KEY.match(tag) or not isinstance(tag_value, str) or not tag_value.strip():
                raise self.fail(f"{where}.{key}.{tag}",
                                f"expected an OSM key with a non-empty string value, got {tag_value!r}")
        return dict(value)

    def tag_keys(self, raw: dict[str, Any], key: str, where: str) -> frozenset[str] | None:
        keys = self.text_list(raw, key, where)
        if keys is None:
            return None
        for tag in keys:
            if not _TAG_KEY.match(tag):
                raise self.fail(f"{where}.{key}", f"{tag!r} is not an OSM key")
        return frozenset(keys)

    def condition(self, raw: Any, where: str) -> RecordFilter:
        table = self.table(raw, where, _FILTER_KEYS)
        field = self.text(table, "field", where, required=True)
        values = self.text_list(table, "values", where, numbers_ok=True)
        regex = self.regex(table, "regex", where)
        if (values is None) == (regex is None):
            raise self.fail(where, "expected exactly one of `values` (a list) or `regex`")
        assert field is not None  # required
        return RecordFilter(field, frozenset(values) if values is not None else None, regex,
                            self.boolean(table, "exclude", where))

    def when(self, raw: dict[str, Any], where: str) -> tuple[RecordFilter, ...]:
        value = raw.get("when")
        if value is None:
            return ()
        if not isinstance(value, dict) or not value:
            raise self.fail(f"{where}.when", 'expected a table field -> value(s), e.g. { Ecole_maternelle = "1" }')
        conditions = []
        for field, wanted in value.items():
            texts = self.text_list({field: wanted}, field, f"{where}.when", numbers_ok=True)
            conditions.append(RecordFilter(field, frozenset(texts or ())))
        return tuple(conditions)

    def selector(self, raw: dict[str, Any], where: str, *, catch_all_ok: bool) -> ValueSelector:
        values = self.text_list(raw, "values", where, numbers_ok=True)
        regex = self.regex(raw, "regex", where)
        when = self.when(raw, where)
        if values is None and regex is None:
            if not catch_all_ok:
                raise self.fail(where, "expected `values` (a list of category values) and/or `regex`")
            return ValueSelector(when=when, catch_all=True)
        return ValueSelector(frozenset(values or ()), regex, when)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(path, None, "mapping file not found") from None
    except OSError as error:
        raise ConfigError(path, None, f"cannot read the mapping file ({os_problem(error)})") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "the mapping file is not UTF-8 text (binary data?)") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, None, f"not valid TOML: {error}") from None


def _field_rule(reader: _Reader, raw: Any, where: str, country: str | None) -> FieldRule:
    table = reader.table(raw, where, _FIELD_KEYS)
    days = _days(reader, table, where)
    fields = list(days.values()) if days else reader.text_list(table, "field", where)
    if not fields:
        raise reader.fail(f"{where}.field", "missing; expected the city field name (or a list of alternatives)")
    tag = reader.text(table, "tag", where, required=True) or ""
    if not _TAG_KEY.match(tag):
        raise reader.fail(f"{where}.tag", f"{tag!r} is not an OSM key")
    transform = reader.text(table, "transform", where) or "text"
    if transform not in TRANSFORMS:
        raise reader.fail(f"{where}.transform", f"unknown transform {transform!r}; expected one of: "
                          f"{', '.join(sorted(TRANSFORMS))}")
    if transform in _NEEDS_COUNTRY and not country:
        raise reader.fail(f"{where}.transform", f"transform {transform!r} needs `country` in [mapping] "
                          "(the region of national phone numbers, e.g. \"FR\")")
    on_error = reader.text(table, "on_error", where) or "keep"
    if on_error not in {"keep", "omit", "fail"}:
        raise reader.fail(f"{where}.on_error", f"expected \"keep\", \"omit\" or \"fail\", got {on_error!r}")
    factor = reader.number(table, "factor", where)
    if factor is not None and transform != "int":
        raise reader.fail(f"{where}.factor", "only the \"int\" transform takes a factor")
    value_map = table.get("map")
    if transform == "map":
        if not isinstance(value_map, dict) or not value_map or not all(isinstance(v, str) for v in value_map.values()):
            raise reader.fail(f"{where}.map", 'the "map" transform needs a table city value -> OSM value, '
                              'e.g. { OUI = "yes", NON = "no" }')
    elif value_map is not None:
        raise reader.fail(f"{where}.map", 'only the "map" transform takes a `map` table')
    ignore = reader.text_list(table, "ignore", where, numbers_ok=True) or []
    if (transform == "weekday_hours") != bool(days):
        raise reader.fail(f"{where}.days", 'the "weekday_hours" transform, and only it, takes `days`: a table '
                          'OSM day -> column, e.g. { Mo = "lundi", Tu = "mardi" }')
    return FieldRule(tuple(fields), tag, transform, on_error, factor,  # type: ignore[arg-type]
                     dict(value_map or {}), frozenset(ignore), days)


def _days(reader: _Reader, table: dict[str, Any], where: str) -> dict[str, str]:
    """Return the `days` table of a weekday_hours field (OSM day -> column), checked."""
    days = table.get("days")
    if days is None:
        return {}
    if "field" in table:
        raise reader.fail(f"{where}.field", "a field with `days` reads its columns from `days`; remove `field`")
    if not isinstance(days, dict) or not days or not all(isinstance(v, str) and v for v in days.values()):
        raise reader.fail(f"{where}.days", 'expected a table OSM day -> column, e.g. { Mo = "lundi" }')
    unknown = sorted(set(days) - set(_OSM_DAYS))
    if unknown:
        raise reader.fail(f"{where}.days.{unknown[0]}", f"expected an OSM day: {', '.join(_OSM_DAYS)}")
    return {day: days[day] for day in _OSM_DAYS if day in days}


def _match_tags(reader: _Reader, raw: dict[str, Any], where: str, tags: dict[str, str]) -> tuple[tuple[str, str], ...]:
    items = reader.text_list(raw, "match_tags", where)
    if items is None:
        key, value = next(iter(tags.items()))
        return ((key, value),)
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not _TAG_KEY.match(key) or not value or "=" in value:
            raise reader.fail(f"{where}.match_tags", f"{item!r}: expected \"key=value\" or \"key=*\"")
        pairs.append((key, value))
    if not pairs:
        raise reader.fail(f"{where}.match_tags", "expected at least one \"key=value\"")
    return tuple(pairs)


def _check_overlaps(reader: _Reader, categories: list[tuple[str, CategoryRule]],
                    skips: list[tuple[str, SkipRule]]) -> None:
    """Refuse a value mapped twice under the same conditions, or both mapped and skipped."""
    owner: dict[tuple[str, frozenset[tuple[str, frozenset[str] | None]]], str] = {}
    rules: list[tuple[str, CategoryRule | SkipRule]] = [*categories, *skips]
    for where, rule in rules:
        selector = rule.selector
        conditions = frozenset((c.field, c.values) for c in selector.when)
        for value in selector.values:
            key = (value, conditions)
            if key in owner:
                first = owner[key]
                both = "mapped in" if first.startswith("category") and where.startswith("category") \
                    else "both mapped and skipped:"
                raise reader.fail(f"{where}.values", f"category value {describe_value(value)} is {both} "
                                  f"{first} and {where}; keep it in one place")
            owner[key] = where


def load_mapping(path: Path) -> TagMapping:
    """Read and check a tag mapping file; ConfigError names the file and key and says what is expected."""
    path = Path(path)
    reader = _Reader(path)
    raw = reader.table(_read_toml(path), "(top level)", _TOP_KEYS)
    head = reader.table(raw.get("mapping"), "mapping", _MAPPING_KEYS) if "mapping" in raw else None
    if head is None:
        raise reader.fail("mapping", "missing [mapping] table (name, id_field, ...)")
    country = reader.text(head, "country", "mapping")
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise reader.fail("mapping.country", f"expected a two-letter country code such as \"FR\", got {country!r}")
    country = country.upper() if country else None
    category_fields = reader.text_list(head, "category_field", "mapping") or []
    name_transform = reader.text(head, "name_transform", "mapping") or "text"
    if name_transform not in {"text", "title", "upper", "lower"}:
        raise reader.fail("mapping.name_transform", "expected \"text\", \"title\", \"upper\" or \"lower\"")
    closed = None
    if head.get("closed") is not None:
        table = reader.table(head["closed"], "mapping.closed", {"field", "values"})
        listed = tuple(reader.text_list(table, "values", "mapping.closed", numbers_ok=True) or ())
        closed = ClosedRule(reader.text(table, "field", "mapping.closed", required=True) or "", frozenset(listed),
                            tuple(dict.fromkeys(listed)))
        if not closed.values:
            raise reader.fail("mapping.closed.values", "expected the list of values that mean closed")
    filters = tuple(reader.condition(item, f"mapping.filter[{index}]")
                    for index, item in enumerate(reader.tables(head.get("filter"), "mapping.filter"), 1))
    fields = tuple(_field_rule(reader, item, f"field[{index}]", country)
                   for index, item in enumerate(reader.tables(raw.get("field"), "field"), 1))

    categories: list[tuple[str, CategoryRule]] = []
    for index, item in enumerate(reader.tables(raw.get("category"), "category"), 1):
        where = f"category[{index}]"
        table = reader.table(item, where, _CATEGORY_KEYS)
        tags = reader.tag_table(table, "tags", where, required=True)
        selector = reader.selector(table, where, catch_all_ok=not category_fields)
        categories.append((where, CategoryRule(selector, tags, _match_tags(reader, table, where, tags),
                                               reader.number(table, "match_distance_m", where),
                                               reader.text(table, "label", where))))
    if not categories:
        raise reader.fail("category", "no [[category]]: expected at least one, with `tags`")
    if not category_fields:
        for where, rule in categories:
            if not rule.selector.catch_all:
                raise reader.fail(f"{where}.values", "category values need `category_field` in [mapping] "
                                  "(the city field holding the category)")
        if len(categories) > 1:
            raise reader.fail("mapping.category_field", "several [[category]] tables need `category_field` in "
                              "[mapping] to choose between them")
        if raw.get("skip"):
            raise reader.fail("skip", "[[skip]] needs `category_field` in [mapping]; use [[mapping.filter]] "
                              "with exclude = true to leave records out")
    skips: list[tuple[str, SkipRule]] = []
    for index, item in enumerate(reader.tables(raw.get("skip"), "skip"), 1):
        where = f"skip[{index}]"
        table = reader.table(item, where, _SKIP_KEYS)
        reason = reader.text(table, "reason", where, required=True) or ""
        skips.append((where, SkipRule(reader.selector(table, where, catch_all_ok=False), reason)))
    _check_overlaps(reader, categories, skips)

    ref_tag = reader.text(head, "ref_tag", "mapping")
    name_field = reader.text(head, "name_field", "mapping")
    city_authoritative = reader.tag_keys(head, "city_authoritative", "mapping")
    if city_authoritative is None:
        # By default the city is the reference for what it supplies: name, ref and mapped fields.
        city_authoritative = frozenset({rule.tag for rule in fields} | ({"name"} if name_field else set())
                                       | ({ref_tag} if ref_tag else set()))
    osm_only = reader.tag_keys(head, "osm_only", "mapping") or frozenset()
    complete = head.get("complete", True)
    if not isinstance(complete, bool):
        raise reader.fail("mapping.complete", "expected true (the dataset lists every such place in its area) "
                          "or false (it lists only some: OSM-only places are not reported as missing)")
    push_rules = {}
    for key, meaning in (("move_nodes", "the push may move an OSM node to the city's position"),
                         ("delete_closed", "the push may delete an OSM node the city marks closed, instead of "
                                           "giving it a lifecycle prefix")):
        push_rules[key] = head.get(key, False)
        if not isinstance(push_rules[key], bool):
            raise reader.fail(f"mapping.{key}", f"expected true ({meaning}) or false (the default)")
    both = sorted(city_authoritative & osm_only)
    if both:
        raise reader.fail("mapping.osm_only", f"tag {both[0]!r} is also in city_authoritative; it can only be one")
    return TagMapping(
        name=reader.text(head, "name", "mapping") or path.stem,
        path=path,
        id_field=reader.text(head, "id_field", "mapping", required=True) or "",
        name_field=name_field,
        category_field=category_fields[0] if category_fields else None,
        ref_tag=ref_tag,
        country=country,
        match_distance_m=reader.number(head, "match_distance_m", "mapping") or 50.0,
        city_authoritative=city_authoritative,
        osm_only=osm_only,
        description=reader.text(head, "description", "mapping") or "",
        category_fields=tuple(category_fields),
        name_transform=name_transform,
        tags=reader.tag_table(head, "tags", "mapping"),
        filters=filters,
        fields=fields,
        categories=tuple(rule for _, rule in categories),
        skips=tuple(rule for _, rule in skips),
        closed=closed,
        complete=complete,
        **push_rules,
    )
