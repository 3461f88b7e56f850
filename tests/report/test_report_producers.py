"""Report files of a dataset with several producers, and those of a dataset with one source left as they were."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from report.report_fixtures import build_result

from osmbridge.model import Producer, ProducerStats
from osmbridge.report import write_reports
from osmbridge.report.producers import freshness_rows
from osmbridge.report.rows import DIFF_COLUMNS

HEALTH = Producer("sante", "Direction de la santé", "Ville, direction de la santé", "sante@example.org",
                  "etalab-2.0", 80, frozenset({"phone"}), "https://data.example.org/dae/{id}")
CLUB = Producer("club", "Club", "Club (association)", "https://club.example", "ODbL-1.0", 30)


def test_a_dataset_with_one_source_gets_the_same_files_as_before(tmp_path: Path) -> None:
    paths = write_reports(build_result(), tmp_path)
    assert "producers.csv" not in paths
    with paths["diff.csv"].open(encoding="utf-8-sig", newline="") as handle:
        assert tuple(next(csv.reader(handle, delimiter=";"))) == DIFF_COLUMNS
    html = paths["report.html"].read_text(encoding="utf-8")
    assert 'id="producers"' not in html and 'id="filter-producer"' not in html and 'id="says"' not in html


def test_differences_name_the_producers_they_are_routed_to_and_their_owner(tmp_path: Path) -> None:
    result = build_result()
    first, second, *rest = result.differences
    result = replace(result, producers=(HEALTH, CLUB), differences=(
        replace(first, producers=("sante",), source_id="sante:D1"), replace(second, producers=("club", "sante")),
        *rest))
    paths = write_reports(result, tmp_path)
    with paths["diff.csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle, delimiter=";")}
    assert (rows[first.id]["producers"], rows[first.id]["owner"]) == ("sante", "Ville, direction de la santé")
    assert (rows[second.id]["producers"], rows[second.id]["owner"]) == ("club sante", "Club (association)")
    assert rows[rest[0].id]["producers"] == "" and rows[rest[0].id]["owner"] == ""
    # A record's page on its producer's portal uses the id as the producer writes it.
    assert rows[first.id]["city_url"] == "https://data.example.org/dae/D1"
    assert paths["producers.csv"].exists()


def test_freshness_rows_say_what_each_producer_brought() -> None:
    stats = [ProducerStats("club", 4, 3, 2, 10, 7, 2, 1, "x", "2024-10-28", "2024-11-04T07:00:00+00:00")]
    health, club = freshness_rows([HEALTH, CLUB], stats)
    assert (club["share_agreed"], club["fields_agreed"], club["fields_compared"]) == (70, 7, 10)
    assert (club["data_date"], club["last_change"], club["contact_url"]) == ("2024-10-28", "2024-11-04",
                                                                             "https://club.example")
    # A producer the run has no stats for yet (just configured) shows empty counts.
    assert (health["records"], health["share_agreed"], health["contact_url"], health["holds"]) == (
        0, None, "mailto:sante@example.org", ["phone"])
