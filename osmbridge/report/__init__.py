"""Report stage: the files where city staff and mappers meet (see README.md in this folder).

`write_reports` writes them all; each format also has its own writer. The names below are imported
on first use, so that writing matches.csv alone does not load the HTML templates.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osmbridge.report.city_corrections import write_city_additions, write_city_corrections
    from osmbridge.plan.proposals import OsmEdit, OsmEditPlan, plan_osm_edits
    from osmbridge.report.diff_files import write_diff_csv, write_diff_excel, write_diff_geojson, write_diff_map_csv
    from osmbridge.report.html import render_html_report, write_html_report
    from osmbridge.report.josm import write_josm_download, write_josm_osm, write_osc
    from osmbridge.report.maproulette import write_maproulette
    from osmbridge.report.matches_csv import write_matches_csv
    from osmbridge.report.reports import REPORT_FILES, write_reports

_HOMES = {
    "write_city_additions": "city_corrections", "write_city_corrections": "city_corrections",
    "write_diff_csv": "diff_files", "write_diff_excel": "diff_files", "write_diff_geojson": "diff_files",
    "write_diff_map_csv": "diff_files",
    # Edit planning is its own stage (osmbridge.plan), shared with the push.
    "OsmEdit": "osmbridge.plan.proposals", "OsmEditPlan": "osmbridge.plan.proposals",
    "plan_osm_edits": "osmbridge.plan.proposals",
    "render_html_report": "html", "write_html_report": "html",
    "write_josm_download": "josm", "write_josm_osm": "josm", "write_osc": "josm",
    "write_maproulette": "maproulette", "write_matches_csv": "matches_csv",
    "REPORT_FILES": "reports", "write_reports": "reports",
}

__all__ = [
    "OsmEdit", "OsmEditPlan", "REPORT_FILES", "plan_osm_edits", "render_html_report",
    "write_city_additions", "write_city_corrections", "write_diff_csv", "write_diff_excel", "write_diff_geojson",
    "write_diff_map_csv", "write_html_report", "write_josm_download", "write_josm_osm",
    "write_maproulette", "write_matches_csv", "write_osc", "write_reports",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = _HOMES[name]
    value = getattr(importlib.import_module(home if "." in home else f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
