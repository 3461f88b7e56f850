"""A checklist printed to PDF by Chromium, read back with pdfium: A4, map on page 1 fitted to the
neighbourhood, the table starting on page 1, no row split across pages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from osmbridge.party import plan_party, write_party
from party.party_fixtures import CENTRE, EAST, SOUTH
from report.browser import open_page
from report.report_fixtures import build_result

A4_PT = (595.3, 841.9)
ORANGE = np.array([0xFF, 0x7F, 0x0E])  # the pins of places missing in OSM
PLACES = 36


def _many_places_checklist(tmp_path: Path) -> Path:
    result = build_result()
    template = next(d for d in result.differences if d.kind == "missing_in_osm")
    # 36 places missing in OSM over the west of the centre neighbourhood, a few on one address.
    many = tuple(replace(template, id=f"m{i:03d}", source_id=f"9{i:03d}", name=f"École numéro {i:02d}",
                         lon=-1.5635 + (i % 6) * 0.0012, lat=47.2065 + (i // 6 // 2) * 0.0024)
                 for i in range(PLACES))
    paths = write_party(plan_party([replace(result, differences=(*result.differences, *many))],
                                   [CENTRE, EAST, SOUTH]), tmp_path)
    return paths["checklists/01-centre-ville.html"]


def test_checklist_prints_on_a4_with_the_map_and_table_on_page_one(tmp_path: Path) -> None:
    checklist = _many_places_checklist(tmp_path)
    with open_page(checklist) as (page, errors):
        # On screen the page is laid out as its sheet: the map shows the whole neighbourhood, pins inside.
        map_box = page.locator("#map").bounding_box()
        pins = [p.bounding_box() for p in page.locator("#map .num-marker").all()]
        assert len(pins) == PLACES + 4
        assert all(map_box["x"] <= p["x"] and p["x"] + p["width"] <= map_box["x"] + map_box["width"]
                   and map_box["y"] <= p["y"] and p["y"] + p["height"] <= map_box["y"] + map_box["height"] for p in pins)
        area = page.locator("#map path.leaflet-interactive").first.bounding_box()
        assert area["width"] > 0.5 * map_box["width"] or area["height"] > 0.5 * map_box["height"]
        pdf_bytes = page.pdf(format="A4", print_background=True)
        assert errors == []

    document = pdfium.PdfDocument(pdf_bytes)
    assert 2 <= len(document) <= 8  # 40 rows, a few to a page
    texts = []
    for index in range(len(document)):
        sheet = document[index]
        width, height = sheet.get_size()
        assert abs(width - A4_PT[0]) < 1 and abs(height - A4_PT[1]) < 1
        texts.append(" ".join(sheet.get_textpage().get_text_range().split()))  # lines joined

    # The table starts on page 1, under the map.
    assert "What to check" in texts[0] and "École numéro 00" in texts[0]
    # Every row whole on one page: its name and its check sentence on the same page, once.
    for number in range(PLACES):
        name = f"École numéro {number:02d}"
        assert sum(text.count(name) for text in texts) == 1
    for text in texts:
        assert text.count("École numéro") == text.count("Not in OSM")

    # The map is drawn on page 1: its orange pins are there, in the upper part of the sheet.
    image = document[0].render(scale=1.5, rev_byteorder=True).to_numpy()[:, :, :3].astype(int)  # RGB
    upper = image[: image.shape[0] // 2]
    orange = np.abs(upper - ORANGE).sum(axis=2) < 60
    assert orange.sum() > 2000
