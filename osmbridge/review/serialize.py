"""Review items and audit entries as JSON-safe dicts, notes rendered in the reader's language.

The CLI's `--json` output; the web app's JSON API can return the same shape.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from osmbridge.i18n import message, notes_to_json, render_note
from osmbridge.model import Decision, Difference
from osmbridge.review.directions import allowed_directions, proposed_direction
from osmbridge.review.items import AuditEntry, ReviewItem
from osmbridge.review.refresh import SYSTEM_REASONS
from osmbridge.review.transitions import SYSTEM_AUTHOR, candidates


def difference_json(difference: Difference, lang: str = "en") -> dict[str, Any]:
    """Return every field of a difference; notes as [{"code", "params", "text"}] with text in `lang`."""
    data = {field.name: getattr(difference, field.name) for field in dataclasses.fields(difference)}
    for name in ("lon", "lat", "distance_m"):
        if isinstance(data[name], float) and not math.isfinite(data[name]):
            data[name] = None  # NaN is not JSON
    data["note"] = [{**coded, "text": render_note(note, lang)}
                    for coded, note in zip(notes_to_json(difference.note), difference.note)]
    edit = difference.osm_edit
    data["osm_edit"] = None if edit is None else {"set": dict(edit.set_tags), "unset": list(edit.unset_tags)}
    return data


def decision_json(decision: Decision | None) -> dict[str, Any] | None:
    """Return a decision's fields (None stays None)."""
    if decision is None:
        return None
    return {field.name: getattr(decision, field.name) for field in dataclasses.fields(decision)}


def item_json(item: ReviewItem, lang: str = "en") -> dict[str, Any]:
    """Return a review item: its state, what it may do, the difference, the decision and the stale one."""
    difference = item.difference
    return {
        "id": item.id,
        "dataset": item.dataset,
        "state": item.state,
        "state_text": message(f"state.{item.state}", lang),
        "revision": item.revision,
        "present": item.present,
        "direction": item.direction,
        "allowed_directions": list(allowed_directions(difference)),
        "proposed_direction": proposed_direction(difference),
        "candidates": list(candidates(difference)),
        "first_run_id": item.first_run_id,
        "last_run_id": item.last_run_id,
        "difference": difference_json(difference, lang),
        "decision": decision_json(item.decision),
        "previous": decision_json(item.previous),
    }


def entry_json(entry: AuditEntry, lang: str = "en") -> dict[str, Any]:
    """Return an audit entry, with its action and automatic reason in `lang`."""
    data = {field.name: getattr(entry, field.name) for field in dataclasses.fields(entry)}
    data["details"] = dict(entry.details)
    data["action_text"] = message(f"action.{entry.action}", lang)
    data["reason_text"] = reason_text(entry.reason, entry.author, lang)
    return data


def reason_text(reason: str, author: str, lang: str = "en") -> str:
    """Return a reason as a person reads it: those osmbridge gives itself are codes, rendered in `lang`."""
    return message(f"reason.{reason}", lang) if author == SYSTEM_AUTHOR and reason in SYSTEM_REASONS else reason
