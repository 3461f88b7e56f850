"""Reports name the data they compared, by file name and date, and show no folder of the machine."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from osmbridge.demo.run import run_demo
from osmbridge.model import DataSource, SkippedRecord
from osmbridge.report import render_html_report
from report.report_fixtures import build_result


def test_page_names_both_sources_with_their_dates() -> None:
    result = replace(build_result(), city_source=DataSource("equipements.csv", "2026-11-20T08:15:00+00:00"),
                     osm_source=DataSource("pays-de-la-loire.osm.pbf", "2026-11-25T21:00:02Z"))
    html = render_html_report(result)
    sources = re.search(r'<p class="meta sources" id="sources">(.*?)</p>', html, re.S).group(1)
    assert "equipements.csv" in sources and '<time datetime="2026-11-20T08:15:00+00:00">2026-11-20 08:15' in sources
    assert "pays-de-la-loire.osm.pbf" in sources and "2026-11-25 21:00" in sources


def test_local_folders_never_reach_the_page() -> None:
    skipped = (SkippedRecord("/home/clerk/exports/2026/equipements.csv:41", "geometry", "no coordinates"),)
    html = render_html_report(replace(build_result(), skipped=skipped))
    assert "/home/clerk" not in html
    assert "<code>equipements.csv:41</code>" in html


def test_demo_reports_name_their_files_and_no_folder(tmp_path: Path) -> None:
    demo = run_demo(tmp_path / "demo", seed=3, size=60)
    [outcome] = [o for o in demo.summary.outcomes if o.dataset == "demo-equipements"]
    html = (outcome.report_dir / "report.html").read_text(encoding="utf-8")
    assert str(tmp_path) not in html
    sources = re.search(r'<p class="meta sources" id="sources">(.*?)</p>', html, re.S).group(1)
    assert "city-current.geojson" in sources and "osm-current.osm" in sources
    assert sources.count("<time") == 2  # the city file's date, the newest OSM edit in the extract


def test_a_dataset_kept_by_several_producers_names_every_file_it_compared(tmp_path: Path) -> None:
    demo = run_demo(tmp_path / "demo", seed=3, size=60)
    [outcome] = [o for o in demo.summary.outcomes if o.dataset == "demo-defibrillateurs"]
    html = (outcome.report_dir / "report.html").read_text(encoding="utf-8")
    sources = re.search(r'<p class="meta sources" id="sources">(.*?)</p>', html, re.S).group(1)
    assert "dae-sante-current.geojson" in sources and "dae-secouristes-current.csv" in sources
    assert str(tmp_path) not in html
