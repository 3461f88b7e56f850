"""Sorting a source's records by what a mapping does with them, before any record is checked.

A record outside the mapping's filters or in a [[skip]] is not the dataset's business: its id and
position are never judged (a fire-service row with a broken latitude must not fail the police dataset).
A malformed record (a CSV row of the wrong width) is the exception: its fields cannot be trusted to say
whether it is covered, so it is always checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from osmbridge.mapping.apply import uncovered_problem
from osmbridge.mapping.rules import SkipRule, TagMapping
from osmbridge.model import SkippedRecord
from osmbridge.sources.records import RawRecord


@dataclass(frozen=True, slots=True)
class Selection:
    """A source's records, sorted by the mapping."""

    mapped: list[RawRecord]  # a [[category]] covers them: checked, then compared with OSM
    filtered_out: int  # outside the [[mapping.filter]]s
    skipped_on_purpose: int  # in a [[skip]]
    uncovered: list[SkippedRecord]  # their category value is in no [[category]] and no [[skip]]


def select_records(mapping: TagMapping, records: Sequence[RawRecord]) -> Selection:
    """Return which records the mapping covers, reading only the fields its filters and categories name."""
    mapped: list[RawRecord] = []
    uncovered: list[SkippedRecord] = []
    filtered_out = skipped = 0
    category_label = " + ".join(mapping.category_fields) or None
    for record in records:
        if record.problem:
            # A row of the wrong width has its values under the wrong names: whether the mapping covers
            # it cannot be told, so it is checked (and reported) like a covered one.
            mapped.append(record)
            continue
        if not mapping.covers(record):
            filtered_out += 1
            continue
        value = mapping.category_of(record)
        rule = mapping.rule_for(record, value)
        if isinstance(rule, SkipRule):
            skipped += 1
        elif rule is None:
            uncovered.append(SkippedRecord(record.origin, category_label, uncovered_problem(mapping, value)))
        else:
            mapped.append(record)
    return Selection(mapped, filtered_out, skipped, uncovered)
