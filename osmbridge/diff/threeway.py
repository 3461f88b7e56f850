"""Which side changed since the last sync, and what that proposes (the three-way diff)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from osmbridge.diff.comparators import Comparator
from osmbridge.diff.notes import join_notes, note
from osmbridge.model import ChangedSide, DiffKind, Notes, Proposal

_PROPOSAL: dict[ChangedSide, Proposal] = {
    "city": "to_osm",  # the city updated its record: carry it to OSM
    "osm": "to_city",  # a mapper updated OSM: offer it to the city
    "both": "conflict",  # both moved apart: a person decides
    "none": "disagreement",  # neither moved: they already disagreed at the last sync
    "unknown": "disagreement",  # no base yet: nothing says which side is right (see with_authority)
}


@dataclass(frozen=True, slots=True)
class ThreeWay:
    """The outcome of the three-way comparison of one tag."""

    changed_side: ChangedSide
    proposal: Proposal
    base_city_value: str | None
    base_osm_value: str | None
    note: Notes = ()


def three_way(tag: str, comparator: Comparator, region: str | None, city_value: str | None,
              osm_value: str | None, base_city: Mapping[str, str] | None,
              base_osm: Mapping[str, str] | None, *, osm_tag: str | None = None) -> ThreeWay:
    """Compare each side's current value of `tag` with its value at the last sync.

    `base_city`/`base_osm` are the tags stored at the last sync (None when that side was not
    synced yet); `osm_tag` is the key OSM holds the value under when it differs from `tag`
    (contact:phone for phone). A side changed when its value differs in meaning from its base
    value, by the same comparator as the diff: reformatting a phone number is not a change.
    """
    base_city_value = _value(base_city, tag)
    base_osm_value = _value(base_osm, osm_tag or tag)
    if base_city is None or base_osm is None:
        partial = base_city is not None or base_osm is not None
        return ThreeWay("unknown", "disagreement", base_city_value, base_osm_value,
                        join_notes(note("base_partial")) if partial else ())
    city_changed = not comparator.same(base_city_value, city_value, region)
    osm_changed = not comparator.same(base_osm_value, osm_value, region)
    side: ChangedSide = ("both" if city_changed and osm_changed else "city" if city_changed
                         else "osm" if osm_changed else "none")
    return ThreeWay(side, _PROPOSAL[side], base_city_value, base_osm_value)


def with_authority(outcome: ThreeWay, kind: DiffKind, city_is_reference: bool) -> ThreeWay:
    """Return `outcome`, proposing the city's value when history says nothing and the mapping makes
    the city the reference for the tag (its `city_authoritative` tags and its ref tag).

    Only a real difference or a value OSM lacks is proposed: a city field left empty is no reason
    to delete OSM's value, and a case-only ("minor") difference is no reason to edit OSM.
    """
    if city_is_reference and kind in ("differs", "only_city") and outcome.changed_side in ("none", "unknown"):
        return replace(outcome, proposal="to_osm", note=join_notes(outcome.note, note("city_reference")))
    return outcome


def _value(tags: Mapping[str, str] | None, tag: str) -> str | None:
    if tags is None:
        return None
    value = tags.get(tag)
    return value if value is not None and value.strip() else None
