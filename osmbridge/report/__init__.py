"""Report stage: the files where city staff and mappers meet (see README.md in this folder).

`write_reports` writes them all; each format also has its own writer.
"""

from osmbridge.report.city_corrections import write_city_additions, write_city_corrections
from osmbridge.report.diff_files import write_diff_csv, write_diff_excel, write_diff_geojson, write_diff_map_csv
from osmbridge.plan.proposals import OsmEdit, OsmEditPlan, plan_osm_edits
from osmbridge.report.html import render_html_report, write_html_report
from osmbridge.report.josm import write_josm_download, write_josm_osm, write_osc
from osmbridge.report.maproulette import write_maproulette
from osmbridge.report.matches_csv import write_matches_csv
from osmbridge.report.reports import REPORT_FILES, write_reports

__all__ = [
    "OsmEdit", "OsmEditPlan", "REPORT_FILES", "plan_osm_edits", "render_html_report",
    "write_city_additions", "write_city_corrections", "write_diff_csv", "write_diff_excel", "write_diff_geojson",
    "write_diff_map_csv", "write_html_report", "write_josm_download", "write_josm_osm",
    "write_maproulette", "write_matches_csv", "write_osc", "write_reports",
]
