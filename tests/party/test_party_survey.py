"""Checklists link to the field survey: a link and QR code to the neighbourhood's survey page, the
places already checked on the ground, and the count in the plan (read back in Chromium)."""

from __future__ import annotations

from pathlib import Path

from osmbridge.party import plan_party, write_party
from osmbridge.party.survey import PartySurvey
from osmbridge.survey import RecordedAnswer, SurveyAnswer
from party.party_fixtures import CENTRE, EAST, SOUTH
from report.browser import open_page
from report.report_fixtures import build_result


def test_checklists_link_to_the_survey_and_show_what_was_checked(tmp_path: Path) -> None:
    plan = plan_party([build_result()], [CENTRE, EAST, SOUTH], cell_size_m=300)
    first = plan.neighbourhoods[0]
    task = first.tasks[0]
    seen = RecordedAnswer(SurveyAnswer(answer_id="a1b2c3d4-1", dataset=task.dataset, source_id=task.source_id,
                                       osm_key=task.osm_key, answer="closed", author="paul",
                                       observed_at="2025-06-03T09:15:00+00:00"), "2025-06-03T09:16:00+00:00", ())
    paths = write_party(plan, tmp_path, PartySurvey("https://review.example.org/", [seen]))
    url = "https://review.example.org/survey/malakoff"
    assert first.neighbourhood.name == "Malakoff"
    with open_page(paths[f"checklists/{first.slug}.html"], locale="fr-FR") as (page, errors):
        assert page.get_attribute("#survey-link a", "href") == url  # type: ignore[attr-defined]
        qr = page.locator("#survey-link svg")  # type: ignore[attr-defined]
        assert qr.count() == 1 and page.text_content("#survey-link svg title") == url  # type: ignore[attr-defined]
        assert qr.bounding_box()["width"] >= 90  # about 33 mm: scannable from paper
        rows = page.locator("#tasks tbody tr.surveyed")  # type: ignore[attr-defined]
        assert rows.count() == 1 and "fermé" in rows.inner_text() and "paul" in rows.inner_text()
        assert errors == []
    with open_page(paths["party.html"]) as (page, errors):
        assert page.inner_text("#ranking tr[data-rank='1'] td.surveyed") == f"1 / {len(first.tasks)}"  # type: ignore[attr-defined]
        assert errors == []
    # Without a public address, no link; without answers, no count column.
    plain = write_party(plan, tmp_path / "plain")
    assert "id=\"survey-link\"" not in plain[f"checklists/{first.slug}.html"].read_text(encoding="utf-8")
    assert "td class=\"surveyed\"" not in plain["party.html"].read_text(encoding="utf-8")
