"""report.html in Chromium: the notes near the places are listed per place, with their links, in English and
French."""

from __future__ import annotations

from pathlib import Path

from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import DATASET, METRE, demo_config, isolated_records
from report.browser import open_page

from osmbridge.pipeline import run

def test_the_notes_section_reads_in_both_languages(tmp_path: Path, osm: OsmNotesEmulator) -> None:
    config = demo_config(tmp_path / "town", osm)
    [(source_id, lon, lat)] = isolated_records(Path(config.datasets[DATASET].source.location), 1)
    closure = osm.add_note(lon, lat + 3 * METRE, "Fermé définitivement", user="anne")
    older = osm.add_note(lon - 3 * METRE, lat, "Vérifier le nom", user="bob")
    osm.close(older, "fait")
    summary = run(config, datasets=[DATASET], trigger="test")
    assert summary.ok
    with open_page(summary.outcomes[0].report_dir / "report.html") as (page, errors):
        section = page.locator("#osm-notes")  # type: ignore[attr-defined]
        assert section.is_visible()
        rows = section.locator("tbody tr")
        assert rows.count() == 2
        # Open notes first within the place; the place heads its rows.
        assert rows.nth(0).get_attribute("data-note") == str(closure)
        assert source_id in rows.nth(0).locator("th").inner_text()
        link = rows.nth(0).locator("a.note-link")
        assert link.get_attribute("href") == f"https://www.openstreetmap.org/note/{closure}"
        assert "a closure" in rows.nth(0).inner_text() and "resolved" in rows.nth(1).inner_text()
        page.click("#lang-switch")  # type: ignore[attr-defined]
        assert section.locator("h2").inner_text().startswith("Notes OSM près des lieux")
        assert "une fermeture" in rows.nth(0).inner_text() and "résolue" in rows.nth(1).inner_text()
        assert errors == []
