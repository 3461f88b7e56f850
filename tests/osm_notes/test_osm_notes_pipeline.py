"""OSM notes in a run of the demo town against the notes emulator: notes near places reach the report and become
review items for the city; a resolved note resolves its item; a publish-then-resolve loop reopens the item; a
notes API that fails keeps the items and says so."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from emulators.osm_notes import OsmNotesEmulator
from notes_fixtures import DATASET, METRE, TOKEN, demo_config, isolated_records

from osmbridge.config import Config
from osmbridge.osm_notes.client import notes_api
from osmbridge.osm_notes.publish import publish_item_note
from osmbridge.pipeline import run
from osmbridge.review import ItemFilter, Survey
from osmbridge.store import Store

def _items(config: Config, **where: object) -> list:
    store = Store(config.store_url)
    try:
        return store.review_items(ItemFilter(dataset=DATASET, **where))  # type: ignore[arg-type]
    finally:
        store.close()


@pytest.fixture
def town(tmp_path: Path, osm: OsmNotesEmulator) -> tuple[Config, list[tuple[str, float, float]]]:
    config = demo_config(tmp_path / "town", osm)
    return config, isolated_records(Path(config.datasets[DATASET].source.location), 3)


def test_notes_near_places_reach_the_report_and_the_city_review(town, osm: OsmNotesEmulator) -> None:
    config, [(closed_id, lon1, lat1), (hours_id, lon2, lat2), (fine_id, lon3, lat3)] = town
    closure = osm.add_note(lon1, lat1 + 4 * METRE, "Fermé définitivement depuis janvier", user="anne")
    hours = osm.add_note(lon2 + 3 * METRE, lat2, "The opening hours are wrong", user="bob")
    chat = osm.add_note(lon3, lat3 - 3 * METRE, "Très bon accueil", user="carl")
    far = osm.add_note(lon1, lat1 + 400 * METRE, "Fermé", user="dan")
    summary = run(config, datasets=[DATASET], trigger="test")
    assert summary.ok, summary.outcomes
    [outcome] = summary.outcomes
    assert {pn.note.id for pn in outcome.result.osm_notes} == {closure, hours, chat}
    items = {i.difference.field: i for i in _items(config, kinds=("osm_note",))}
    assert set(items) == {f"note:{closure}", f"note:{hours}"}
    first = items[f"note:{closure}"]
    assert first.difference.source_id == closed_id and first.state == "open" and first.direction == "to_city"
    assert first.difference.osm_value == "Fermé définitivement depuis janvier"
    assert items[f"note:{hours}"].difference.source_id == hours_id
    page = (outcome.report_dir / "report.html").read_text(encoding="utf-8")
    section = page[page.index('id="osm-notes"'):]
    for note_id in (closure, hours, chat):
        assert f'href="https://www.openstreetmap.org/note/{note_id}"' in section
    assert f"/note/{far}" not in page and fine_id in section
    # The mapper resolves the closure note: the next run resolves its item, the other stays.
    osm.close(closure, "Mis à jour dans OSM", user="anne")
    assert run(config, datasets=[DATASET], trigger="test").ok
    states = {i.difference.field: (i.state, i.present) for i in _items(config, kinds=("osm_note",), present=None)}
    assert states == {f"note:{closure}": ("resolved", False), f"note:{hours}": ("open", True)}


def test_a_notes_api_that_fails_keeps_the_items_and_says_why(town, osm: OsmNotesEmulator) -> None:
    config, [(_, lon, lat), *_] = town
    note = osm.add_note(lon, lat, "n'existe plus")
    assert run(config, datasets=[DATASET], trigger="test").ok
    osm.fail_next(429, method="GET", count=50, retry_after_s=300)
    summary = run(config, datasets=[DATASET], trigger="test")
    assert summary.ok  # the sync itself went through
    [item] = _items(config, kinds=("osm_note",))
    assert item.difference.field == f"note:{note}" and item.state == "open"
    page = (summary.outcomes[0].report_dir / "report.html").read_text(encoding="utf-8")
    assert 'id="osm-notes-problem"' in page and "HTTP 429" in page


def test_publish_then_resolve_reopens_the_item(tmp_path: Path, osm: OsmNotesEmulator) -> None:
    config = demo_config(tmp_path / "town", osm, {"OSMBRIDGE_OSM_TOKEN": TOKEN})
    assert run(config, datasets=[DATASET], trigger="test").ok
    item = next(i for i in _items(config, kinds=("differs",)) if i.direction == "to_osm")
    settings = config.datasets[DATASET].osm_notes
    store = Store(config.store_url)
    try:
        store.decide(item.id, Survey(), author="marc")
        published = publish_item_note(store, notes_api(settings.api, signed=True), settings, item.id, author="marc",
                                      now=datetime.now(UTC), title=config.datasets[DATASET].title,
                                      city_url_template=config.datasets[DATASET].city_url_template)
    finally:
        store.close()
    assert published.origin == "created" and osm.created == [published.note.id]
    # Our own note next to a place never becomes an item, however it is worded.
    assert run(config, datasets=[DATASET], trigger="test").ok
    assert _items(config, kinds=("osm_note",)) == []
    assert _items(config, source_id=item.difference.source_id, field=item.difference.field)[0].state == "needs_survey"
    osm.close(published.note.id, "Vérifié : la valeur de la ville est la bonne", user="anne")
    assert run(config, datasets=[DATASET], trigger="test").ok
    [after] = _items(config, source_id=item.difference.source_id, field=item.difference.field)
    assert after.state == "open" and after.decision.reason == "osm_note_closed"
    store = Store(config.store_url)
    try:
        [closed] = [e for e in store.review_history(after.id) if e.action == "osm_note_closed"]
    finally:
        store.close()
    assert closed.details["comment"].startswith("Vérifié") and re.fullmatch(r"\d+", str(closed.details["note_id"]))
