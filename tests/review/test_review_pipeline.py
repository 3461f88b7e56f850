"""Review across real runs of the pipeline on the demo town: decisions survive reruns, changed values come
back stale with the old decision, vanished differences close, and match verdicts reach the matcher."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

from osmbridge.config import Config, load_config
from osmbridge.demo import generate_town
from osmbridge.demo.run import CURRENT_RUN_AT, PREVIOUS_RUN_AT, previous_config
from osmbridge.model import DatasetResult
from osmbridge.pipeline import run
from osmbridge.review import Accept, Choose, ItemFilter, NotSame, Reject, ReviewItem, allowed_directions, slot_key
from osmbridge.store import Store

DATASET = "demo-equipements"
LATER = "2024-12-01T07:00:00+00:00"


def only_result(config: Config, clock: str) -> DatasetResult:
    summary = run(config, datasets=[DATASET], trigger="test", clock=lambda: clock)
    assert summary.ok, [o.error for o in summary.outcomes]
    (outcome,) = summary.outcomes
    assert outcome.result is not None
    return outcome.result


def everything(store: Store) -> dict[str, ReviewItem]:
    return {item.id: item for item in store.review_items(ItemFilter(dataset=DATASET, present=None))}


def set_city_field(path: Path, source_id: str, field: str, value: str) -> None:
    """Change one field of one record of a demo GeoJSON file, as the city's next release would."""
    data = json.loads(path.read_text(encoding="utf-8"))
    (feature,) = [f for f in data["features"] if f["properties"]["identifiant"] == source_id]
    feature["properties"][field] = value
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def set_osm_tag(path: Path, osm_key: str, key: str, value: str) -> None:
    """Change one tag of one node of a demo .osm file, as a mapper's edit would (a new version)."""
    tree = ElementTree.parse(path)
    (node,) = [n for n in tree.getroot().iter("node") if n.get("id") == osm_key[1:]]
    node.set("version", str(int(node.get("version", "1")) + 1))
    tags = [t for t in node.iter("tag") if t.get("k") == key]
    if tags:
        tags[0].set("v", value)
    else:
        ElementTree.SubElement(node, "tag", k=key, v=value)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def test_decisions_survive_reruns_and_changed_values_come_back_stale(tmp_path: Path) -> None:
    files = generate_town(tmp_path, size=120)
    config = load_config(files.config, {})
    first = only_result(previous_config(config, files), PREVIOUS_RUN_AT)
    store = Store(config.store_url)
    try:
        opened = everything(store)
        assert set(opened) == {d.id for d in first.differences}
        assert all(item.state == "open" for item in opened.values())
        # Every item decided: a value sent one way, or rejected when no value can travel.
        for i, item in enumerate(opened.values()):
            ways = allowed_directions(item.difference)
            action = Accept(ways[i % len(ways)]) if ways else Reject("seen on the ground: nothing to do")
            store.decide(item.id, action, author="anne", now="2024-07-01T10:00:00+00:00")
        decided = {item_id: item.decision for item_id, item in everything(store).items()}

        # The current sync: what both sides did since. Unchanged differences keep their decisions.
        second = only_result(config, CURRENT_RUN_AT)
        after = everything(store)
        kept = [item_id for item_id in decided if item_id in {d.id for d in second.differences}]
        assert kept and all(after[i].decision == decided[i] and after[i].present for i in kept)
        new_ones = [i for i in after if i not in decided]
        assert new_ones and all(after[i].state == "open" for i in new_ones)

        # Then the city changes a phone, a mapper changes a website, and another mapper takes a city value.
        fields = [after[i].difference for i in kept if after[i].difference.kind == "differs"
                  and (after[i].difference.osm_key or "").startswith("n")]
        by_place = {d.source_id: d for d in fields}
        city_change = next(d for d in by_place.values() if d.field == "phone")
        osm_change = next(d for d in by_place.values() if d.field == "website" and d.source_id != city_change.source_id)
        agreed = next(d for d in by_place.values() if d.source_id not in (city_change.source_id, osm_change.source_id))
        set_city_field(files.city_current, city_change.source_id or "", "telephone", "02 61 00 00 01")
        set_osm_tag(files.osm_current, osm_change.osm_key or "", "website", "https://osm.example/moved")
        set_osm_tag(files.osm_current, agreed.osm_key or "", agreed.field or "", agreed.city_value or "")
        third = only_result(config, LATER)
        now = everything(store)
        for old, side in ((city_change, "city"), (osm_change, "osm")):
            (new,) = [d for d in third.differences if slot_key(d) == slot_key(old) and d.id != old.id]
            item = now[new.id]
            # Back to review, the old decision shown with the values it was made on and the new ones.
            assert item.state == "stale" and item.previous == decided[old.id]
            assert (item.previous.seen_city_value, item.previous.seen_osm_value) == (old.city_value, old.osm_value)
            changed_value = new.city_value if side == "city" else new.osm_value
            assert changed_value != (old.city_value if side == "city" else old.osm_value)
            assert now[old.id].state == "resolved" and now[old.id].previous == decided[old.id]
            entry = store.review_history(new.id)[-1]
            assert (entry.action, entry.old_city_value, entry.old_osm_value, entry.city_value, entry.osm_value) == (
                "stale", old.city_value, old.osm_value, new.city_value, new.osm_value)
            assert entry.details == {"replaces": old.id}
        gone = now[agreed.id]
        assert gone.state == "resolved" and gone.decision.reason == "gone" and not gone.present
        # Nothing is pushed from a stale or resolved item.
        pushable = {d.id for direction in ("to_osm", "to_city") for d, _ in store.accepted_items(DATASET, direction)}
        assert pushable.isdisjoint({agreed.id, city_change.id, osm_change.id}) and pushable

        # Running again on the same data changes nothing: every item and its decision as it was.
        only_result(config, "2024-12-02T07:00:00+00:00")
        again = everything(store)
        assert {i: (x.state, x.decision, x.previous, x.present) for i, x in again.items()} == {
            i: (x.state, x.decision, x.previous, x.present) for i, x in now.items()}
    finally:
        store.close()


def test_match_verdicts_given_in_review_steer_the_next_run(tmp_path: Path) -> None:
    files = generate_town(tmp_path, size=120)
    config = load_config(files.config, {})
    first = only_result(config, CURRENT_RUN_AT)
    store = Store(config.store_url)
    try:
        items = store.review_items(ItemFilter(dataset=DATASET))
        # "Not the same place" on a linked pair's field: the next run keeps them apart.
        pair = next(i for i in items if i.difference.kind == "differs")
        source_id, wrong = pair.difference.source_id, pair.difference.osm_key
        assert store.decide(pair.id, NotSame(reason="two libraries"), author="anne").state == "match_decided"
        # An OSM duplicate: choose it, rather than its twin, for the city record linked to the twin.
        twin_item = next(i for i in items if i.difference.kind == "duplicate" and i.difference.source_id is None)
        duplicate, (twin,) = twin_item.difference.osm_key, twin_item.difference.osm_value.split(", ")
        owner = next(m.source_id for m in first.matches if m.osm_key == twin and m.status == "matched")
        chosen = store.decide(twin_item.id, Choose(osm_key=duplicate, source_id=owner), author="anne")
        assert chosen.state == "match_decided" and chosen.decision.value == f"{owner}={duplicate}"

        second = only_result(config, LATER)
        matches = {m.source_id: m for m in second.matches if m.source_id}
        assert matches[source_id].osm_key != wrong
        assert (matches[owner].osm_key, matches[owner].method) == (duplicate, "decision")
        # Both items are gone from the new run: closed, their verdicts kept to show.
        for item in (pair, twin_item):
            closed = store.review_item(item.id)
            assert closed.state == "resolved" and closed.previous is not None
            assert closed.previous.state == "match_decided"
    finally:
        store.close()


def test_no_report_shows_english_and_french_side_by_side(tmp_path: Path) -> None:
    files = generate_town(tmp_path, size=60)
    config = load_config(files.config, {})
    result = only_result(config, CURRENT_RUN_AT)
    report_dir = config.reports_dir / DATASET / "latest"
    create_en, create_fr = "no OSM counterpart: create it with the city's tags", "pas d'équivalent OSM : le créer"
    assert any(d.note for d in result.differences)
    for name in ("diff.csv", "diff_map.csv", "diff.geojson"):
        text = (report_dir / name).read_text(encoding="utf-8-sig")
        assert create_en in text and create_fr not in text, name
    # The page carries each note in both languages, separately, and shows the reader's.
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    payload = json.loads(re.search(r'<script type="application/json" id="osmbridge-data">(.*?)</script>', page,
                                   re.S).group(1))  # type: ignore[union-attr]
    notes = [d["note"] for d in payload["differences"] if d["note"]["en"]]
    assert notes and all(set(note) == {"en", "fr"} for note in notes)
    created = [note for note in notes if note["en"].startswith(create_en)]
    assert created and all(note["fr"].startswith(create_fr) and create_fr not in note["en"] for note in created)
