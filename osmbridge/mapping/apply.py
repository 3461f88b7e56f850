"""Turn city places into CityFeatures through a tag mapping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from osmbridge.errors import BadRecord
from osmbridge.mapping.rules import CategoryRule, FieldRule, Record, SkipRule, TagMapping, describe_value, field_text
from osmbridge.mapping.transforms import TRANSFORMS, TransformError, apply_transform
from osmbridge.model import CityFeature, CityPlace, SkippedRecord


class FieldFailure(Exception):
    """A field whose rule says on_error = "fail" holds an unusable value."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field, self.problem = field, problem


@dataclass(frozen=True, slots=True)
class FieldNote:
    """A city value a transform rejected, and what became of it ("kept as written" or "left out")."""

    field: str
    tag: str
    problem: str
    outcome: str


def uncovered_problem(mapping: TagMapping, value: str) -> str:
    """Return the message for a record whose category value no [[category]] or [[skip]] covers."""
    where = mapping.path or mapping.name
    return (f"category {describe_value(value)} is not covered by mapping {where}: add it to a [[category]] "
            "(OSM tags) or a [[skip]] (with the reason)")


def _raw_value(rule: FieldRule, place: Record) -> tuple[str, str | None]:
    """Return (the city field read, its text) for a rule: the first non-empty alternative, or the day columns."""
    if rule.days:
        # One column per weekday ("poniedzialek" = "08.00-17.00"): read as "Mo 08.00-17.00; Tu ...".
        parts = [(day, field_text(place, name)) for day, name in rule.days.items()]
        text = "; ".join(f"{day} {value}" for day, value in parts if value and value not in rule.ignore)
        return rule.fields[0], text or None
    name = next((f for f in rule.fields if field_text(place, f) is not None), rule.fields[0])
    return name, field_text(place, name)


def mapped_fields(mapping: TagMapping, place: Record) -> tuple[dict[str, str], dict[str, str], list[FieldNote]]:
    """Return (tag -> value, tag -> city field, notes on values kept as written or left out) for one record.

    A value the transform rejects follows the rule's on_error: "keep" puts the raw value in the tag
    (the diff shows it as not parseable, nothing is lost), "omit" leaves the tag out, "fail" raises
    FieldFailure. Several rules for one tag are joined with ";" as OSM does for several values.
    """
    tags: dict[str, str] = {}
    sources: dict[str, str] = {}
    notes: list[FieldNote] = []
    for rule in mapping.fields:
        name, raw = _raw_value(rule, place)
        if raw is None:
            continue
        try:
            value = apply_transform(rule, raw, mapping.country)
        except TransformError as error:
            if rule.on_error == "fail":
                raise FieldFailure(name, str(error)) from None
            if rule.on_error == "omit":
                notes.append(FieldNote(name, rule.tag, str(error), "left out"))
                continue
            notes.append(FieldNote(name, rule.tag, str(error), "kept as written"))
            value = raw
        if value is None:
            continue
        if rule.tag in tags:
            joined = tags[rule.tag].split(";")
            joined += [v for v in value.split(";") if v not in joined]
            tags[rule.tag] = ";".join(joined)
        else:
            tags[rule.tag] = value
            sources[rule.tag] = name
    return tags, sources, notes


def _feature(mapping: TagMapping, place: CityPlace, value: str, rule: CategoryRule) -> CityFeature:
    tags: dict[str, str] = dict(mapping.tags)
    tags.update(rule.tags)
    sources: dict[str, str] = {}
    if mapping.ref_tag:
        tags[mapping.ref_tag] = place.source_id
        sources[mapping.ref_tag] = mapping.id_field
    name = None
    if mapping.name_field:
        raw = field_text(place, mapping.name_field)
        if raw is not None:
            name = TRANSFORMS[mapping.name_transform](raw, None, mapping.country)  # type: ignore[arg-type]
        if name:
            tags["name"] = name
            sources["name"] = mapping.name_field
    field_tags, field_sources, _notes = mapped_fields(mapping, place)
    tags.update(field_tags)
    sources.update(field_sources)
    category = mapping.category_name(value, rule)
    return CityFeature(
        place=place,
        mapping=mapping.name,
        category=category,
        name=name,
        tags=tags,
        match_tags=rule.match_tags,
        match_distance_m=rule.match_distance_m or mapping.match_distance_m,
        ref_tag=mapping.ref_tag,
        city_authoritative=mapping.city_authoritative,
        osm_only=mapping.osm_only,
        field_of_tag=sources,
        closed=mapping.closed.is_closed(place) if mapping.closed else False,
    )


def apply_mapping(mapping: TagMapping, places: Sequence[CityPlace], *, skip_invalid: bool = False
                  ) -> tuple[list[CityFeature], list[SkippedRecord]]:
    """Return the CityFeatures of the records the mapping covers, and the records it could not use.

    Records the [[mapping.filter]]s exclude, and records in a [[skip]] category, are left out on
    purpose. A record whose category no rule covers comes back as a SkippedRecord saying so. A field
    value the transform rejects is kept as written (on_error = "keep", the default) or left out
    ("omit"); with on_error = "fail" it raises BadRecord, or becomes a SkippedRecord with skip_invalid.
    """
    features: list[CityFeature] = []
    skipped: list[SkippedRecord] = []
    category_label = " + ".join(mapping.category_fields) or None
    for place in places:
        if not mapping.covers(place):
            continue
        value = mapping.category_of(place)
        rule = mapping.rule_for(place, value)
        if isinstance(rule, SkipRule):
            continue
        if rule is None:
            skipped.append(SkippedRecord(place.origin, category_label, uncovered_problem(mapping, value)))
            continue
        try:
            features.append(_feature(mapping, place, value, rule))
        except FieldFailure as failure:
            if not skip_invalid:
                raise BadRecord(place.origin, failure.field, failure.problem) from None
            skipped.append(SkippedRecord(place.origin, failure.field, failure.problem))
    return features, skipped


def unconverted_tags(mapping: TagMapping, feature: CityFeature) -> dict[str, str]:
    """Return tag -> problem for the feature's tags holding a city value as written (its transform refused it).

    The diff uses it to show such values raw with a note ("not a valid phone number ...") rather than
    propose them to OSM as they are.
    """
    try:
        _tags, _sources, notes = mapped_fields(mapping, feature.place)
    except FieldFailure:
        return {}
    return {note.tag: note.problem for note in notes if note.outcome == "kept as written"}
