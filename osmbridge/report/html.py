"""report.html: one self-contained page (Leaflet and data inlined) for city staff and mappers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from pathlib import Path

from osmbridge.diff.places import UNKNOWN_CATEGORY
from osmbridge.model import DatasetResult
from osmbridge.report.assets import (
    KIND_COLOURS, KIND_TEXT_COLOURS, OSM_TILES, environment, leaflet_css, leaflet_js, package_text,
)
from osmbridge.report.atomic import write_text_atomic
from osmbridge.plan.proposals import OsmEditPlan
from osmbridge.report.licence_gate import ReportGate, gated_plan, report_gate
from osmbridge.i18n import rendered_in_each_language
from osmbridge.report.i18n import STRINGS
from osmbridge.report.rows import RowContext, actionable_order, difference_record, has_position
from osmbridge.report.paths import file_names_only
from osmbridge.report.tag_order import ordered_tag_lines
from osmbridge.report.links import note_url, osm_url
from osmbridge.report.osm_notes import notes_by_place
from osmbridge.report.producers import PAGE_PLACES, freshness_rows, who_says_what
from osmbridge.report.summary import KINDS, PROPOSALS, summarise
from osmbridge.report.trend import SERIES, build_trend
from osmbridge.model import RunCounts

# Fields of a difference the page's table and map need (the table is drawn by the page script, in
# pages of rows, so ten thousand differences still open quickly).
PAGE_SIZE = 250  # table rows drawn at a time; "show more" draws the next ones
_PAGE_FIELDS = ("id", "kind", "name", "category", "source_id", "osm_id", "field", "city_field", "city_value",
                "osm_value", "base_city_value", "base_osm_value", "distance_m", "changed_side", "proposal",
                "note", "osm_url", "city_url", "josm_url", "id_url", "objects", "review_url", "lat", "lon")
_TAG_LIST_FIELDS = ("city_value", "osm_value", "base_city_value", "base_osm_value")


def _page_row(record: dict[str, Any], notes: dict[str, str]) -> dict[str, Any]:
    row = {key: record[key] for key in _PAGE_FIELDS}
    if "producers" in record:  # routed to (the producer holding the field first) and its owner
        row["producers"] = record["producers"].split()
        row["owner"] = record["owner"]
    for key in _TAG_LIST_FIELDS:  # whole objects read name and main tag first
        row[key] = ordered_tag_lines(row[key])
    # Notes in each language: the page shows the reader's and switches with the rest.
    row["note"] = {lang: file_names_only(text) for lang, text in notes.items()}
    return row


def _current_counts(result: DatasetResult) -> RunCounts:
    totals = summarise(result).totals
    return RunCounts(run_id=result.run_id, started_at=result.started_at, **totals)


def render_html_report(
    result: DatasetResult, files: Mapping[str, str] | None = None, plan: OsmEditPlan | None = None,
    gate: ReportGate | None = None,
) -> str:
    """Return the HTML report of one run; `files` maps an i18n key (file.*) to a file beside it."""
    gate = gate or report_gate(result)
    plan = plan or gated_plan(result, gate)
    # The licence verdicts are sentences of this dataset: page strings like the others, both languages.
    strings = {lang: {**table, **gate.strings()[lang]} for lang, table in STRINGS.items()}
    diffs = actionable_order(result)
    context = RowContext.of(result)
    records = [difference_record(d, result, context) for d in diffs]
    placed = sum(1 for d in diffs if has_position(d))
    history = result.history
    if not any(run.run_id == result.run_id for run in history):
        history = (*history, _current_counts(result))
    payload = {
        "strings": strings,
        "colours": KIND_COLOURS,
        "text_colours": KIND_TEXT_COLOURS,
        "differences": [_page_row(r, rendered_in_each_language(d.note)) for d, r in zip(diffs, records)],
        "page_size": PAGE_SIZE,
        "tiles": OSM_TILES,
        "unknown_category": UNKNOWN_CATEGORY,
    }
    places = who_says_what(result) if result.producers else []
    template = environment("osmbridge.report").get_template("report.html.j2")
    return template.render(
        producers=freshness_rows(result.producers, result.producer_stats),
        places=places[:PAGE_PLACES],
        more_places=max(0, len(places) - PAGE_PLACES),
        result=result,
        summary=summarise(result),
        records=records,
        unplaced=len(records) - placed,
        trend=build_trend(history),
        series=SERIES,
        plan=plan,
        gate=gate,
        files=dict(files or {}),
        lang_files={"file.diff_excel": "en", "file.diff_excel_fr": "fr"},  # the reader's Excel variant only
        kinds=KINDS,
        proposals=PROPOSALS,
        categories=sorted({r["category"] for r in records if r["category"]}),
        unknown_category=UNKNOWN_CATEGORY,
        colours=KIND_COLOURS,
        text_colours=KIND_TEXT_COLOURS,
        en=strings["en"],
        payload=payload,
        leaflet_css=leaflet_css(),
        leaflet_js=leaflet_js(),
        page_css=package_text("osmbridge.report", "report.css", "style"),
        i18n_js=package_text("osmbridge.report", "i18n.js", "script"),
        page_js=package_text("osmbridge.report", "spread.js", "script")
        + package_text("osmbridge.report", "report.js", "script"),
        osm_url=osm_url,
        note_url=note_url,
        notes_by_place=notes_by_place(result),
    )


def write_html_report(
    result: DatasetResult, path: Path, files: Mapping[str, str] | None = None, plan: OsmEditPlan | None = None,
    gate: ReportGate | None = None,
) -> Path:
    """Write report.html (self-contained, English and French); return path."""
    return write_text_atomic(path, render_html_report(result, files, plan, gate))
