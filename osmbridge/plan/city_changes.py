"""Plan the corrections accepted items make to the city's records, field by field.

A correction names the city record and column, the value the record holds now (as the last run read
it: what the reviewer saw) and the value to write, with where it comes from for the change log: the
OSM element, version and changeset of an OSM value, or the field agent and day of a survey answer
(`survey_exists`: check_date; `survey_value`: the value read; `survey_closed`: the city's own word
for closed, the first of the mapping's `closed.values`). It is refused as stale when the city
record, or the OSM tag it copies, is no longer what the reviewer saw. An OSM note's item carries no
value and is never a correction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from osmbridge.model import Decision, Difference, Note
from osmbridge.osm.api_elements import ApiElement
from osmbridge.plan.osm_changes import Refusal
from osmbridge.review.directions import proposed_value

FIELD_KINDS = frozenset({"differs", "minor", "only_osm", "only_city", "producers_disagree"})
# A field agent's answers a city column can take (the position of survey_moved is no column).
SURVEY_FIELD_KINDS = frozenset({"survey_exists", "survey_value", "survey_closed"})


@dataclass(frozen=True, slots=True)
class ClosedColumn:
    """How the city's records say a place is closed: a column and its values (the first is written)."""

    field: str
    values: tuple[str, ...]


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
    from_producer: str = ""  # a correction between producers: the producer whose value this is
    surveyed_by: str = ""  # a field agent's answer: "anne, 2024-05-02" (the value is theirs, not OSM's)


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
                          osm_now: Mapping[str, ApiElement | None] | None = None, *,
                          city_tags: Mapping[str, Mapping[str, str]] | None = None,
                          closed: ClosedColumn | None = None,
                          ) -> tuple[list[CityCorrection], list[Refusal]]:
    """Corrections for accepted `to_city` items; `city_fields` are the records as the last run read them
    (source_id -> raw fields), `osm_now` the OSM elements re-read now (None: not checked), `city_tags`
    the records as the last run mapped them (checks a survey item against what the agent saw; None: not
    checked), `closed` the mapping's closure column."""
    corrections: list[CityCorrection] = []
    refused: list[Refusal] = []
    for difference, decision in sorted(items, key=lambda item: (item[0].source_id or "", item[0].id)):
        if decision.direction != "to_city" or decision.state not in ("accepted", "edited"):
            refused.append(Refusal(difference.id, "plan.not_accepted_to_city"))
            continue
        if difference.kind in SURVEY_FIELD_KINDS:
            outcome = _survey_correction(difference, decision, city_fields, city_tags, closed)
            if isinstance(outcome, Refusal):
                refused.append(outcome)
            else:
                corrections.append(outcome)
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
        between_producers = difference.kind == "producers_disagree"  # the value is another producer's, not OSM's
        if osm_now is not None and difference.osm_key and not between_producers:
            element = osm_now.get(difference.osm_key)
            now = cell_text((element.tags if element else {}).get(difference.field))
            if element is None or now != cell_text(difference.osm_value):
                refused.append(Refusal(difference.id, "city.osm_changed",
                                       {"osm": difference.osm_key, "field": difference.field, "now": now or ""},
                                       stale=True))
                continue
        value = decision.value if (decision.state == "edited" or decision.value is not None) else (
            proposed_value(difference, "to_city"))
        corrections.append(CityCorrection(
            difference_id=difference.id, decided_at=decision.decided_at, author=decision.author,
            record=difference.source_id, field=difference.city_field,
            old=cell_text(record.get(difference.city_field)), new=cell_text(value), tag=difference.field,
            osm_key=difference.osm_key,
            osm_version=element.version if element else difference.osm_version,
            osm_changeset=element.changeset if element else None,
            from_producer=difference.producer_values[0][0] if between_producers and difference.producer_values else ""))
    return corrections, refused


def _survey_correction(difference: Difference, decision: Decision, city_fields: Mapping[str, Mapping[str, Any]],
                       city_tags: Mapping[str, Mapping[str, str]] | None,
                       closed: ClosedColumn | None) -> CityCorrection | Refusal:
    """The correction a field agent's answer makes to its city record, or why it cannot be made."""
    column = difference.city_field
    if difference.kind == "survey_closed" and closed is not None and column in (None, closed.field):
        column = closed.field
    if not difference.source_id:
        return Refusal(difference.id, "city.not_a_correction", {"kind": difference.kind})
    if not column or (difference.kind == "survey_closed" and (closed is None or not closed.values)):
        return Refusal(difference.id, "city.no_column", {"field": difference.field or "closed"})
    record = city_fields.get(difference.source_id)
    if record is None:
        return Refusal(difference.id, "city.record_missing", {"record": difference.source_id}, stale=True)
    old = cell_text(record.get(column))
    new: str | None
    if difference.kind == "survey_closed":
        assert closed is not None
        # Already closed in the city's own words: nothing to write, whichever closed value it holds.
        new = old if old in closed.values else closed.values[0]
    else:
        new = cell_text(decision.value if decision.value is not None else difference.survey_value)
        tags = (city_tags or {}).get(difference.source_id)
        key = difference.field or "check_date"
        if tags is not None and cell_text(tags.get(key)) != cell_text(difference.city_value):
            # The city changed this value since the agent's answer (a later run read another one).
            return Refusal(difference.id, "city.value_changed",
                           {"record": difference.source_id, "field": column, "seen": difference.city_value or ""},
                           stale=True)
    return CityCorrection(
        difference_id=difference.id, decided_at=decision.decided_at, author=decision.author,
        record=difference.source_id, field=column, old=old, new=new, tag=difference.field or "",
        osm_key=None, osm_version=None, osm_changeset=None, surveyed_by=surveyed_by(difference))


def surveyed_by(difference: Difference) -> str:
    """"agent, day" of the field survey answer behind a survey item ("" when it names none)."""
    note: Note | None = next((n for n in difference.note if n.code == "survey_answer"), None)
    if note is None:
        return "field survey"
    return ", ".join(str(note.params[k]) for k in ("agent", "date") if note.params.get(k))
