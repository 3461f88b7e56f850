"""A push's outcome as text for the operator (the CLI prints it, cron mails it)."""

from __future__ import annotations

from osmbridge.plan.osm_changes import Refusal
from osmbridge.push.licence import LicenceVerdict, describe
from osmbridge.push.messages import message
from osmbridge.push.run import PushSummary


def describe_summary(summary: PushSummary) -> str:
    """Several lines: per direction, what was pushed, what went back to review and why, what was blocked."""
    lines: list[str] = []
    if summary.osm is not None:
        osm = summary.osm
        if osm.blocked:
            lines += _blocked(summary.dataset, "OSM", osm.blocked, osm.licence)
        if osm.dry_run:
            lines.append(f"{summary.dataset} -> OSM (dry run, nothing sent): {osm.planned_changes} changes in "
                         f"{sum(1 for f in osm.files if f.suffix == '.osc')} changesets; files:")
            lines += [f"  {path}" for path in osm.files]
        elif not osm.blocked or osm.pushed or osm.stale or osm.refused:
            lines.append(f"{summary.dataset} -> OSM: {len(osm.pushed)} items pushed in changesets "
                         f"{', '.join(map(str, osm.changesets)) or '(none)'}")
        if osm.recovered:
            lines.append(f"  recovered {len(osm.recovered)} interrupted uploads from the journal first")
        if osm.licence.flagged and not osm.licence.blocked:
            lines.append(f"  note: {describe(osm.licence)}")
        lines += _refusals("back to review", osm.stale) + _refusals("not pushed", osm.refused)
    for city in summary.city:
        side = f"city ({city.producer})" if city.producer else "city"
        if city.blocked:
            lines += _blocked(summary.dataset, side, city.blocked, city.licence)
        if not city.blocked or city.written or city.stale or city.refused:
            where = f" -> {city.output}" if city.output else ""
            lines.append(f"{summary.dataset} -> {side}{' (dry run)' if city.dry_run else ''}: "
                         f"{len(city.written)} fields written{where}; change log {city.log or '(none)'}")
        lines += _refusals("back to review", city.stale) + _refusals("not written", city.refused)
    for direction, error in sorted(summary.errors.items()):
        lines.append(f"{summary.dataset} -> {direction}: FAILED: {error}")
    return "\n".join(lines) or f"{summary.dataset}: nothing to push"


def _blocked(dataset: str, side: str, item_ids: tuple[str, ...], licence: LicenceVerdict) -> list[str]:
    """The items the licence gate kept back, and why, in English and French."""
    shown = ", ".join(item_ids[:_LISTED]) + (f" and {len(item_ids) - _LISTED} more" if len(item_ids) > _LISTED else "")
    return [f"{dataset} -> {side}: {len(item_ids)} accepted items BLOCKED by the licence gate: {shown}",
            f"  {describe(licence, 'en')}", f"  {describe(licence, 'fr')}"]


_LISTED = 20  # blocked item ids named on the line; the review pages list them all


def _refusals(title: str, refusals: tuple[Refusal, ...]) -> list[str]:
    if not refusals:
        return []
    return [f"  {len(refusals)} {title}:"] + [f"    {r.difference_id}: {message(r.code, r.params)}" for r in refusals]
