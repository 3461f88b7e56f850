"""Check a mapping against real records: which category values it covers, skips, misses; field problems."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from osmbridge.mapping.apply import FieldFailure, FieldNote, mapped_fields
from osmbridge.mapping.rules import Record, SkipRule, TagMapping, describe_value
from osmbridge.model import SkippedRecord

_EXAMPLES = 3
_UNREADABLE_SHOWN = 100  # records listed one by one; beyond, a count


class CheckedRecord(Record, Protocol):
    """A record with its origin: a CityPlace, or a raw record of a source."""

    @property
    def origin(self) -> str: ...


@dataclass(frozen=True, slots=True)
class MappingCheck:
    """What a mapping does with a set of records."""

    mapping: str
    records: int = 0
    filtered_out: int = 0  # left out by [[mapping.filter]]
    covered: dict[str, int] = field(default_factory=dict)  # category value -> records
    skipped: dict[str, tuple[int, str]] = field(default_factory=dict)  # value -> (records, reason)
    uncovered: dict[str, int] = field(default_factory=dict)  # value -> records
    problems: list[str] = field(default_factory=list)  # the mapping does not fit the data
    warnings: list[str] = field(default_factory=list)  # values kept raw / left out / failing
    unused: list[str] = field(default_factory=list)  # configured category values seen in no record
    unreadable: list[SkippedRecord] = field(default_factory=list)  # covered records `run` would stop on

    @property
    def ok(self) -> bool:
        """True when the mapping fits the data, covers every category value, and every covered record reads."""
        return not self.problems and not self.uncovered and not self.unreadable


def _missing_fields(mapping: TagMapping, places: Sequence[Record]) -> list[str]:
    """Return a problem for each column the mapping reads that no record has (a typo, or another schema)."""
    present: set[str] = set()
    for place in places:
        present.update(place.fields)
    columns = ", ".join(sorted(present)[:40]) + (", ..." if len(present) > 40 else "")
    problems = []
    wanted = list(mapping.referenced_fields().items())
    wanted += [(f"field {rule.describe()}", name) for rule in mapping.fields for name in rule.fields
               if (rule.days and name not in present) or not any(other in present for other in rule.fields)]
    for category in mapping.categories:
        wanted += [("category `when`", condition.field) for condition in category.selector.when]
    seen = set()
    for where, name in wanted:
        if name not in present and (where, name) not in seen:
            seen.add((where, name))
            problems.append(f"{where}: field {name!r} is in no record; the records have: {columns}")
    return problems


def check_mapping(mapping: TagMapping, places: Sequence[CheckedRecord],
                  unreadable: Sequence[SkippedRecord] = ()) -> MappingCheck:
    """Return how the mapping treats each category value of `places`, and what does not fit.

    `places` are all the records, read or not; `unreadable` the covered ones whose id or position is
    bad (see `read_mapped_places`): `run` would stop on them, so the check is not OK.
    """
    covered: Counter[str] = Counter()
    uncovered: Counter[str] = Counter()
    skipped: dict[str, tuple[int, str]] = {}
    failures: dict[tuple[str, str], tuple[int, list[str]]] = {}
    filtered_out = 0
    for place in places:
        if not mapping.covers(place):
            filtered_out += 1
            continue
        value = mapping.category_of(place)
        rule = mapping.rule_for(place, value)
        if isinstance(rule, SkipRule):
            count, _ = skipped.get(value, (0, rule.reason))
            skipped[value] = (count + 1, rule.reason)
            continue
        if rule is None:
            uncovered[value] += 1
            continue
        covered[mapping.category_name(value, rule)] += 1
        try:
            _tags, _sources, notes = mapped_fields(mapping, place)
        except FieldFailure as failure:
            notes = [FieldNote(failure.field, "", failure.problem, 'the record fails (on_error = "fail")')]
        for note in notes:
            count, examples = failures.get((note.field, note.outcome), (0, []))
            if len(examples) < _EXAMPLES:
                examples.append(f"{place.origin}: {note.problem}")
            failures[(note.field, note.outcome)] = (count + 1, examples)
    warnings = [f"field {field!r}: {count} value(s) {outcome}, e.g. " + " | ".join(examples)
                for (field, outcome), (count, examples) in sorted(failures.items())]
    seen = set(covered) | set(skipped) | set(uncovered)
    unused = sorted({v for rule in [*mapping.categories, *mapping.skips] for v in rule.selector.values} - seen)
    return MappingCheck(
        mapping=mapping.name, records=len(places), filtered_out=filtered_out, covered=dict(covered),
        skipped=skipped, uncovered=dict(uncovered), problems=_missing_fields(mapping, places) if places else [],
        warnings=warnings, unused=unused, unreadable=list(unreadable),
    )


def format_check(check: MappingCheck) -> str:
    """Return the report `osmbridge mappings check` prints: uncovered values first, by record count."""
    lines = [f"Mapping {check.mapping!r}: {check.records} records / enregistrements; "
             f"{check.filtered_out} outside its filters / hors filtres; "
             f"{sum(check.covered.values())} mapped / associés; "
             f"{sum(n for n, _ in check.skipped.values())} skipped on purpose / écartés; "
             f"{sum(check.uncovered.values())} uncovered / non couverts; "
             f"{len(check.unreadable)} unreadable / illisibles."]
    if check.problems:
        lines.append("")
        lines.append("Problems / Problèmes:")
        lines += [f"  - {problem}" for problem in check.problems]
    if check.unreadable:
        lines.append("")
        lines.append(f"Records that cannot be read ({len(check.unreadable)}; `run` stops on the first, or leaves them "
                     "out with --skip-invalid) / Enregistrements illisibles:")
        for record in check.unreadable[:_UNREADABLE_SHOWN]:
            where = f"{record.origin}: field {record.field!r}" if record.field else record.origin
            lines.append(f"  - {where}: {record.problem}")
        if len(check.unreadable) > _UNREADABLE_SHOWN:
            lines.append(f"  ... and {len(check.unreadable) - _UNREADABLE_SHOWN} more / et "
                         f"{len(check.unreadable) - _UNREADABLE_SHOWN} autres")
    if check.uncovered:
        lines.append("")
        lines.append("Uncovered category values (add each to a [[category]] or a [[skip]]) / "
                     "Valeurs de catégorie non couvertes:")
        for value, count in sorted(check.uncovered.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"  {count:6d}  {describe_value(value)}")
    if check.warnings:
        lines.append("")
        lines.append("Field values not converted / Valeurs non converties:")
        lines += [f"  - {warning}" for warning in check.warnings]
    if check.covered:
        lines.append("")
        lines.append("Mapped / Associées:")
        for value, count in sorted(check.covered.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"  {count:6d}  {describe_value(value)}")
    if check.skipped:
        lines.append("")
        lines.append("Skipped on purpose / Écartées volontairement:")
        for value, (count, reason) in sorted(check.skipped.items(), key=lambda item: (-item[1][0], item[0])):
            lines.append(f"  {count:6d}  {describe_value(value)}: {reason}")
    if check.unused:
        lines.append("")
        lines.append("Configured values seen in no record / Valeurs prévues absentes des données: "
                     + ", ".join(describe_value(v) for v in check.unused))
    lines.append("")
    lines.append("OK" if check.ok else "NOT OK / À CORRIGER")
    return "\n".join(lines)
