"""What one accepted difference does to an OSM element's tags, and whether OSM still looks as reviewed.

Values are the reviewer's (`Decision.value`, which for an accepted proposal is the proposed value).
A lifecycle value lists prefixed tags, "disused:amenity=library" (several joined by ";"): each moves
its main key under the prefix. A creation's value is the whole tag set, one "key=value" per line.
A field agent's item (`survey_exists`, `survey_closed`, `survey_value`) carries its tag changes in
`Difference.osm_edit` (check_date, the `disused:` move, the value read); an edited `survey_value`
sets its key to the reviewer's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from osmbridge.model import Decision, Difference

# Kinds whose `field` is an OSM tag key and whose value is that tag's new value.
TAG_KINDS = frozenset({"differs", "minor", "only_city", "only_osm"})
# Field survey kinds that change tags (survey_moved moves the node instead).
SURVEY_TAG_KINDS = frozenset({"survey_exists", "survey_closed", "survey_value"})
LIFECYCLE_PREFIXES = ("disused:", "abandoned:", "was:", "closed:", "removed:", "demolished:", "razed:")


@dataclass(frozen=True, slots=True)
class TagEdit:
    """Tags to set and keys to remove on one element, and the tags the reviewer saw there."""

    set_tags: Mapping[str, str] = field(default_factory=dict)
    unset: frozenset[str] = frozenset()
    expected: Mapping[str, str | None] = field(default_factory=dict)  # key -> value seen at review (None: absent)


def chosen_value(difference: Difference, decision: Decision) -> str | None:
    """The value the decision sends to OSM: the reviewer's own when edited, else the city's."""
    if decision.state == "edited" or decision.value is not None:
        return decision.value
    return difference.city_value


def tag_edit(difference: Difference, decision: Decision) -> TagEdit | None:
    """The tag change of a field or lifecycle difference; None for kinds that are not tag changes."""
    value = chosen_value(difference, decision)
    if difference.kind in TAG_KINDS and difference.field:
        expected = {difference.field: _present(difference.osm_value)}
        if _present(value) is None:
            return TagEdit(unset=frozenset({difference.field}), expected=expected)
        return TagEdit(set_tags={difference.field: value.strip()}, expected=expected)  # type: ignore[union-attr]
    if difference.kind == "lifecycle":
        seen = parse_tag_list(difference.osm_value or "")
        stated = _stated_edit(difference, decision)
        if stated is not None:
            return TagEdit(set_tags=dict(stated[0]), unset=frozenset(stated[1]), expected=dict(seen))
        moved = parse_tag_list(value or "")
        set_tags: dict[str, str] = {}
        unset: set[str] = set()
        for key, tag_value in moved.items():
            set_tags[key] = tag_value
            base = lifecycle_base(key)
            if base is not None and base not in moved:
                unset.add(base)
        return TagEdit(set_tags=set_tags, unset=frozenset(unset),
                       expected=dict(seen))
    if difference.kind in SURVEY_TAG_KINDS:
        return _survey_edit(difference, decision)
    return None


def _survey_edit(difference: Difference, decision: Decision) -> TagEdit | None:
    """The tag change of a field agent's item: its `osm_edit`, or the reviewer's value for `field`.

    What the item expects to find is what OSM held when the agent answered: the key's value for
    check_date and a value read, the active main tags for a closure (`osm_value`, one per line).
    """
    edit = difference.osm_edit
    if difference.kind == "survey_closed":
        if edit is None:
            return None
        return TagEdit(set_tags=dict(edit.set_tags), unset=frozenset(edit.unset_tags),
                       expected=dict(parse_tag_list(difference.osm_value or "")))
    key = difference.field or ("check_date" if difference.kind == "survey_exists" else None)
    if key is None:
        return None
    expected = {key: _present(difference.osm_value)}
    if decision.state == "edited" or edit is None:
        value = _present(chosen_value(difference, decision))
        return None if value is None else TagEdit(set_tags={key: value}, expected=expected)
    return TagEdit(set_tags=dict(edit.set_tags), unset=frozenset(edit.unset_tags), expected=expected)


def creation_tags(difference: Difference, decision: Decision) -> dict[str, str]:
    """The tag set of a place to create: the diff's stated edit, else the reviewed "key=value" lines
    (the reviewer's own when edited)."""
    stated = _stated_edit(difference, decision)
    if stated is not None:
        return dict(stated[0])
    return parse_pairs(chosen_value(difference, decision) or "", "\n")


def _stated_edit(difference: Difference, decision: Decision) -> tuple[tuple[tuple[str, str], ...],
                                                                       tuple[str, ...]] | None:
    """(set tags, unset keys) the diff stage stated for a lifecycle move or a creation, when it did and the
    reviewer accepted it as proposed (an edited value wins)."""
    edit = getattr(difference, "osm_edit", None)  # Difference.osm_edit comes with the safety-diff work
    if edit is None or decision.state == "edited":
        return None
    return tuple(edit.set_tags), tuple(edit.unset_tags)


def parse_tag_list(text: str) -> dict[str, str]:
    """Tags written one "key=value" per line, or (older runs) joined with ";"."""
    return parse_pairs(text, "\n" if "\n" in text else ";")


def lifecycle_base(key: str) -> str | None:
    """"amenity" for "disused:amenity"; None for a key without a lifecycle prefix."""
    for prefix in LIFECYCLE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return None


def parse_pairs(text: str, separator: str) -> dict[str, str]:
    """{"a": "1", "b": "2"} for "a=1<sep>b=2"; blanks skipped, a value may contain "="."""
    pairs: dict[str, str] = {}
    for part in text.split(separator):
        key, found, value = part.strip().partition("=")
        if found and key.strip() and value.strip():
            pairs[key.strip()] = value.strip()
    return pairs


def _present(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None
