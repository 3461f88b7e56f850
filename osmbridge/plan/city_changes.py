"""Plan the corrections accepted OSM values make to the city's records, field by field.

A correction names the city record and column, the value the record holds now (as the last run read
it: what the reviewer saw) and the value to write, with the OSM element, version and changeset it
comes from for the change log. It is refused as stale when the city record or the OSM tag is no
longer what the reviewer saw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from osmbridge.model import Decision, Difference
from osmbridge.osm.api_elements import ApiElement
from osmbridge.plan.osm_changes import Refusal

FIELD_KINDS = frozenset({"differs", "minor", "only_osm", "only_city"})


@dataclass(frozen=True, slots=True)
class CityCorrection:
    """One field of one city record to change."""

    difference_id: str
    decided_at: str
    author: str
    record: str  # the record's id (source_id)
    field: str  # the city column
    old: str | None  # the value the record holds (as last read)
    new: str | None  # the value to write (None: empty the field)
    tag: str  # the OSM tag it comes from
    osm_key: str | None
    osm_version: int | None
    osm_changeset: int | None


def cell_text(value: Any) -> str | None:
    """A city cell as text for comparisons: 12.0 -> "12", blanks -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def plan_city_corrections(items: Sequence[tuple[Difference, Decision]],
                          city_fields: Mapping[str, Mapping[str, Any]],
                          osm_now: Mapping[str, ApiElement | None] | None = None,
                          ) -> tuple[list[CityCorrection], list[Refusal]]:
    """Corrections for accepted `to_city` items; `city_fields` are the records as the last run read them
    (source_id -> raw fields), `osm_now` the OSM elements re-read now (None: not checked)."""
    corrections: list[CityCorrection] = []
    refused: list[Refusal] = []
    for difference, decision in sorted(items, key=lambda item: (item[0].source_id or "", item[0].id)):
        if decision.direction != "to_city" or decision.state not in ("accepted", "edited"):
            refused.append(Refusal(difference.id, "plan.not_accepted_to_osm"))
            continue
        if difference.kind not in FIELD_KINDS or not difference.source_id or not difference.field:
            refused.append(Refusal(difference.id, "city.not_a_correction", {"kind": difference.kind}))
            continue
        if not difference.city_field:
            refused.append(Refusal(difference.id, "city.no_column", {"field": difference.field}))
            continue
        record = city_fields.get(difference.source_id)
        if record is None:
            refused.append(Refusal(difference.id, "city.record_missing", {"record": difference.source_id},
                                   stale=True))
            continue
        element = None
        if osm_now is not None and difference.osm_key:
            element = osm_now.get(difference.osm_key)
            now = cell_text((element.tags if element else {}).get(difference.field))
            if element is None or now != cell_text(difference.osm_value):
                refused.append(Refusal(difference.id, "city.osm_changed",
                                       {"osm": difference.osm_key, "field": difference.field, "now": now or ""},
                                       stale=True))
                continue
        value = decision.value if (decision.state == "edited" or decision.value is not None) else difference.osm_value
        corrections.append(CityCorrection(
            difference_id=difference.id, decided_at=decision.decided_at, author=decision.author,
            record=difference.source_id, field=difference.city_field,
            old=cell_text(record.get(difference.city_field)), new=cell_text(value), tag=difference.field,
            osm_key=difference.osm_key,
            osm_version=element.version if element else difference.osm_version,
            osm_changeset=element.changeset if element else None))
    return corrections, refused
