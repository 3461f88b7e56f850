"""What a run's notification says: per dataset, the new review items by direction, errors, and links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from osmbridge.redact import redact

if TYPE_CHECKING:
    from osmbridge.config import Config
    from osmbridge.pipeline import DatasetOutcome, RunSummary

# Proposals (model.Proposal) by where the change would go.
DIRECTIONS = {"to_osm": "to_osm", "to_city": "to_city", "conflict": "to_review", "disagreement": "to_review",
              "review": "to_review"}
_WORDS = {"to_osm": ("for OSM", "pour OSM"), "to_city": ("for the city", "pour la collectivité"),
          "to_review": ("to decide", "à arbitrer")}


@dataclass(frozen=True, slots=True)
class Notification:
    """One message about one run: a subject, a bilingual text, and the same as JSON for webhooks."""

    subject: str
    text: str
    payload: Mapping[str, Any]


def build_notification(config: Config, summary: RunSummary,
                       new_items: Mapping[str, Mapping[str, int]]) -> Notification | None:
    """The run's notification, or None when no dataset has new review items and none failed.

    `new_items` holds, per dataset, the counts of its differences absent from its previous
    successful run, by proposal.
    """
    datasets = [_dataset(config, outcome, new_items.get(outcome.dataset, {})) for outcome in summary.outcomes]
    failed = [d for d in datasets if d["status"] != "ok"]
    fresh = sum(sum(d["new"].values()) for d in datasets)
    if not failed and not fresh:
        return None
    parts = [f"{fresh} new item(s) to review / {fresh} nouvel(s) élément(s) à examiner"] if fresh else []
    if failed:
        parts.append(f"{len(failed)} dataset(s) failed / {len(failed)} jeu(x) en échec")
    subject = f"osmbridge run {summary.run_id}: {', '.join(parts)}"
    lines = [subject, ""]
    for d in datasets:
        lines.append(f"{d['title']} ({d['dataset']}): {d['status']}")
        if d["error"]:
            lines.append(f"  {d['error']}")
        if d["new"]:
            for direction, (english, french) in _WORDS.items():
                if d["new"].get(direction):
                    lines.append(f"  {d['new'][direction]} new {english} / {d['new'][direction]} nouveaux {french}")
        if d["report_url"]:
            lines.append(f"  report / rapport : {d['report_url']}")
        lines.append("")
    payload = {"run_id": summary.run_id, "status": "ok" if summary.ok else "failed", "new_items": fresh,
               "datasets": datasets, "text": subject}
    return Notification(subject=redact(subject), text=redact("\n".join(lines)), payload=payload)


def _dataset(config: Config, outcome: DatasetOutcome, new: Mapping[str, int]) -> dict[str, Any]:
    by_direction: dict[str, int] = {}
    for proposal, count in new.items():
        direction = DIRECTIONS.get(proposal, "to_review")
        by_direction[direction] = by_direction.get(direction, 0) + count
    dataset = config.datasets.get(outcome.dataset)
    counts = outcome.counts
    return {"dataset": outcome.dataset, "title": dataset.title if dataset else outcome.dataset,
            "status": "ok" if outcome.ok else ("skipped" if outcome.error.startswith("skipped") else "failed"),
            "error": redact(outcome.error), "new": by_direction,
            "differences": counts.differences if counts else None,
            "report_url": _report_url(config, outcome.report_dir)}


def _report_url(config: Config, report_dir: Path | None) -> str | None:
    if report_dir is None:
        return None
    page = report_dir / "report.html"
    if config.notify.base_url is None:
        return page.as_uri() if page.is_absolute() else str(page)
    try:
        relative = page.resolve().relative_to(config.reports_dir.resolve())
    except ValueError:
        return str(page)
    return config.notify.base_url + quote(relative.as_posix())
