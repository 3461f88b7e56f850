"""Shared pieces for building Difference records: the per-dataset context and tag rendering."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from osmbridge.diff.comparators import comparator_for, squash
from osmbridge.model import CityFeature, SyncBase


@dataclass(frozen=True, slots=True)
class DiffContext:
    """What every difference of one dataset needs besides its own pair."""

    dataset: str
    base: SyncBase
    region: str | None  # default phone region of the dataset
    # Tag keys the mapping fills from a city field, per (mapping, category): a key there that a
    # record left empty is still "mapped", so OSM having it is an `only_osm` difference.
    mapped_keys: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def keys_of(self, feature: CityFeature) -> frozenset[str]:
        """Return the tag keys compared for `feature`: mapped and present ones, minus OSM-only."""
        keys = set(feature.tags) | set(feature.field_of_tag)
        keys |= self.mapped_keys.get((feature.mapping, feature.category), frozenset())
        return frozenset(keys - feature.osm_only)


def mapped_keys_by_rule(city: Iterable[CityFeature]) -> dict[tuple[str, str], frozenset[str]]:
    """Return, per (mapping, category), every tag key some record got from a city field."""
    keys: dict[tuple[str, str], set[str]] = {}
    for feature in city:
        keys.setdefault((feature.mapping, feature.category), set()).update(feature.field_of_tag)
    return {rule: frozenset(found) for rule, found in keys.items()}


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
