"""Shared pieces for building Difference records: the per-dataset context and tag rendering."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from osmbridge.diff.comparators import comparator_for, squash
from osmbridge.diff.notes import note
from osmbridge.model import CityFeature, Note, SyncBase
from osmbridge.normalize.validity import osm_value_problem


@dataclass(frozen=True, slots=True)
class DiffContext:
    """What every difference of one dataset needs besides its own pair."""

    dataset: str
    base: SyncBase
    region: str | None  # default phone region of the dataset
    # Per mapping, the tags it fills from a city field and that field: a tag there that a record
    # left empty is still "mapped", so OSM having it is an `only_osm` difference. (A feature only
    # records the tags it got a value for, hence the union over the dataset.)
    mapped_fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The places of this run, to tell a link lost since the last sync from one moved elsewhere.
    city_ids: frozenset[str] = frozenset()
    osm_keys: frozenset[str] = frozenset()

    def keys_of(self, feature: CityFeature) -> frozenset[str]:
        """Return the tag keys compared for `feature`: mapped and present ones, minus OSM-only."""
        keys = set(feature.tags) | set(feature.field_of_tag) | set(self.mapped_fields.get(feature.mapping, {}))
        return frozenset(keys - feature.osm_only)

    def city_field(self, feature: CityFeature, tag: str) -> str | None:
        """Return the city column behind `tag` for this feature, or for its mapping."""
        return feature.field_of_tag.get(tag) or self.mapped_fields.get(feature.mapping, {}).get(tag)


def mapped_fields_by_mapping(city: Iterable[CityFeature]) -> dict[str, dict[str, str]]:
    """Return, per mapping, every tag some record got from a city field, with that field.

    When records of one mapping got a tag from different fields (a rule with fallback fields),
    the alphabetically first field is kept, so the answer does not depend on record order.
    """
    fields: dict[str, dict[str, str]] = {}
    for feature in city:
        known = fields.setdefault(feature.mapping, {})
        for tag, column in feature.field_of_tag.items():
            known[tag] = min(known.get(tag, column), column)
    return fields


def city_value_problem(feature: CityFeature, tag: str, value: str, region: str | None) -> Note | None:
    """Return the note saying why the city's `value` for `tag` may not be proposed to OSM, or None.

    A value the mapping's transform refused (kept as written) never is; any other value must pass
    the checks for its OSM key (`normalize.validity`): an e-mail address, a phone number valid in
    the region, a house number, a postcode of the country, opening_hours syntax, a count...
    """
    code = "invalid_value" if tag in feature.raw_tags else osm_value_problem(tag, value, region)
    return note(code, key=tag, value=value) if code else None


def present(value: str | None) -> str | None:
    """Return `value` trimmed, or None when it is missing or blank."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def render_tags(tags: Mapping[str, str]) -> str:
    """Return tags as "key=value" lines sorted by key, the way reports show a whole object."""
    return "\n".join(f"{key}={squash(value)}" for key, value in sorted(tags.items()) if present(value))


def tags_key(tags: Mapping[str, str], region: str | None) -> str:
    """Return the tags rendered with each value's normalised key, for difference ids."""
    return "\n".join(f"{key}={comparator_for(key).key(value, region)}"
                     for key, value in sorted(tags.items()) if present(value))
