"""Converting review rows to the model's dataclasses and back (differences, decisions, audit entries)."""

from __future__ import annotations

from typing import Any

from osmbridge.i18n import notes_from_json, notes_to_json
from osmbridge.model import Decision, Difference, TagEdit
from osmbridge.review.items import AuditEntry, ReviewItem
from osmbridge.store.tables import DifferenceRow, ReviewEventRow, ReviewItemRow

# Decision fields stored as columns of review_items (and as keys of its `previous` JSON).
_DECISION_FIELDS = ("state", "direction", "value", "reason", "author", "decided_at", "seen_city_value",
                    "seen_osm_value", "seen_osm_version", "match_verdict", "push_ref")


def difference_row(difference: Difference, dataset_run_id: int) -> dict[str, Any]:
    """Return the `differences` row of a difference: every field, notes as JSON."""
    return dict(dataset_run_id=dataset_run_id, diff_id=difference.id, kind=difference.kind,
                source_id=difference.source_id, osm_key=difference.osm_key, field=difference.field,
                city_value=difference.city_value, osm_value=difference.osm_value,
                changed_side=difference.changed_side, proposal=difference.proposal, lon=_finite(difference.lon),
                lat=_finite(difference.lat), category=difference.category, name=difference.name,
                osm_version=difference.osm_version, city_field=difference.city_field,
                base_city_value=difference.base_city_value, base_osm_value=difference.base_osm_value,
                distance_m=_finite(difference.distance_m), notes=notes_to_json(difference.note),
                osm_edit=edit_json(difference.osm_edit), survey_value=difference.survey_value,
                producers=producers_text(difference.producers),
                producer_values=[list(pair) for pair in difference.producer_values] or None)


def difference_of(row: DifferenceRow, dataset: str) -> Difference:
    """Return the Difference a `differences` row holds."""
    return Difference(
        id=row.diff_id, dataset=dataset, kind=row.kind, source_id=row.source_id,  # type: ignore[arg-type]
        osm_key=row.osm_key, field=row.field, city_value=row.city_value, osm_value=row.osm_value,
        changed_side=row.changed_side, proposal=row.proposal,  # type: ignore[arg-type]
        lon=row.lon if row.lon is not None else float("nan"), lat=row.lat if row.lat is not None else float("nan"),
        category=row.category or "", name=row.name, osm_version=row.osm_version, city_field=row.city_field,
        base_city_value=row.base_city_value, base_osm_value=row.base_osm_value, distance_m=row.distance_m,
        note=notes_from_json(row.notes), osm_edit=edit_of(row.osm_edit), survey_value=row.survey_value,
        producers=tuple((row.producers or "").split()),
        producer_values=tuple((str(name), value) for name, value in (row.producer_values or ())))


def producers_text(producers: tuple[str, ...]) -> str | None:
    """Return the producers a difference is routed to as stored: " a b " (None for none), for LIKE '% a %'."""
    return f" {' '.join(producers)} " if producers else None


def edit_json(edit: TagEdit | None) -> dict[str, Any] | None:
    """Return a proposal's tag changes as the JSON kept in differences.osm_edit."""
    return None if edit is None else {"set": dict(edit.set_tags), "unset": list(edit.unset_tags)}


def edit_of(data: Any) -> TagEdit | None:
    """Return the TagEdit kept as JSON by `edit_json`."""
    if not data:
        return None
    return TagEdit.of(dict(data.get("set") or {}), data.get("unset") or ())


def decision_columns(decision: Decision) -> dict[str, Any]:
    """Return the review_items columns holding a decision."""
    return {name: getattr(decision, name) for name in _DECISION_FIELDS}


def decision_json(decision: Decision | None) -> dict[str, Any] | None:
    """Return a decision as the JSON kept in review_items.previous (with the item it was made on)."""
    return None if decision is None else decision_columns(decision) | {"difference_id": decision.difference_id}


def decision_of(row: ReviewItemRow) -> Decision:
    """Return the current decision of an item row."""
    return Decision(difference_id=row.diff_id, dataset=row.dataset,
                    **{name: getattr(row, name) for name in _DECISION_FIELDS})


def previous_of(row: ReviewItemRow) -> Decision | None:
    """Return the decision a stale or resolved item keeps, if any."""
    data = row.previous
    if not data:
        return None
    return Decision(difference_id=data.get("difference_id") or row.diff_id, dataset=row.dataset,
                    **{name: data.get(name) for name in _DECISION_FIELDS if name in data})


def item_of(row: ReviewItemRow, difference: DifferenceRow) -> ReviewItem:
    """Return the ReviewItem of an item row and its latest difference row."""
    return ReviewItem(difference=difference_of(difference, row.dataset), decision=decision_of(row),
                      revision=row.revision, previous=previous_of(row), present=row.present,
                      first_run_id=row.first_run_id, last_run_id=row.last_run_id)


def entry_of(row: ReviewEventRow) -> AuditEntry:
    """Return the AuditEntry of an audit row."""
    return AuditEntry(id=row.id, item_id=row.diff_id, dataset=row.dataset, at=row.at, author=row.author,
                      action=row.action, old_state=row.old_state, new_state=row.new_state,  # type: ignore[arg-type]
                      direction=row.direction, value=row.value, reason=row.reason,  # type: ignore[arg-type]
                      city_value=row.city_value, osm_value=row.osm_value, old_city_value=row.old_city_value,
                      old_osm_value=row.old_osm_value, run_id=row.run_id, details=dict(row.details or {}))


def _finite(value: float | None) -> float | None:
    # NaN is not valid JSON and PostgreSQL keeps it, but comparisons with it surprise: store NULL.
    return value if value is not None and value == value and abs(value) != float("inf") else None
