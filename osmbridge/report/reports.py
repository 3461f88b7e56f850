"""Write every report file of one dataset's run into its folder."""

from __future__ import annotations

from pathlib import Path

from osmbridge.model import DatasetResult
from osmbridge.report.city_corrections import write_city_additions, write_city_corrections
from osmbridge.report.diff_files import write_diff_csv, write_diff_excel, write_diff_geojson, write_diff_map_csv
from osmbridge.report.html import write_html_report
from osmbridge.report.josm import write_josm_download, write_josm_osm, write_osc
from osmbridge.report.licence_gate import gated_for_city, gated_plan, report_gate
from osmbridge.report.maproulette import write_maproulette
from osmbridge.report.matches_csv import write_matches_csv
from osmbridge.report.producers import write_producers_csv

# File name -> the i18n key describing it in the report's "files" section, in display order.
REPORT_FILES = {
    "diff_excel.csv": "file.diff_excel",
    "diff_excel_fr.csv": "file.diff_excel_fr",
    "diff.csv": "file.diff_csv",
    "diff.geojson": "file.diff_geojson",
    "diff_map.csv": "file.diff_map_csv",
    "to_osm.osm": "file.josm",
    "to_osm.osc": "file.osc",
    "josm_download.csv": "file.josm_download",
    "maproulette_tagfix.geojson": "file.maproulette",
    "city_corrections.csv": "file.city_corrections",
    "city_additions.csv": "file.city_additions",
    "matches.csv": "file.matches",
    "producers.csv": "file.producers",  # datasets with several producers
}


def write_reports(result: DatasetResult, out_dir: Path) -> dict[str, Path]:
    """Write every report file of one dataset's run into out_dir (reports/<dataset>/<run>/); return name -> path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # The licence gate: a blocked direction gets no upload file (the page says why).
    gate = report_gate(result)
    plan = gated_plan(result, gate)
    for_city = gated_for_city(result, gate)
    written = {
        "matches.csv": write_matches_csv(result, out_dir / "matches.csv"),
        "diff.geojson": write_diff_geojson(result, out_dir / "diff.geojson"),
        "diff.csv": write_diff_csv(result, out_dir / "diff.csv"),
        "diff_excel.csv": write_diff_excel(result, out_dir / "diff_excel.csv"),
        "diff_excel_fr.csv": write_diff_excel(result, out_dir / "diff_excel_fr.csv", french=True),
        "diff_map.csv": write_diff_map_csv(result, out_dir / "diff_map.csv"),
        "to_osm.osm": write_josm_osm(result, out_dir / "to_osm.osm", plan),
        "to_osm.osc": write_osc(result, out_dir / "to_osm.osc", plan),
        "josm_download.csv": write_josm_download(result, out_dir / "josm_download.csv", plan),
        "maproulette_tagfix.geojson": write_maproulette(result, out_dir / "maproulette_tagfix.geojson", plan),
        "city_corrections.csv": write_city_corrections(for_city, out_dir / "city_corrections.csv"),
        "city_additions.csv": write_city_additions(for_city, out_dir / "city_additions.csv"),
    }
    if result.producers:
        written["producers.csv"] = write_producers_csv(result, out_dir / "producers.csv")
    files = {name: key for name, key in REPORT_FILES.items() if name in written}
    # The page lists the files beside it: i18n key -> relative name.
    written["report.html"] = write_html_report(
        result, out_dir / "report.html", {key: name for name, key in files.items()}, plan, gate
    )
    return dict(sorted(written.items()))
