"""A demo store for the web tests: the `osmbridge demo` town (two runs: the last sync, then now), plus two
ambiguous compost bins (one city record, two unnamed OSM containers as close) so that matches must be chosen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from osmbridge.config import Config, load_config
from osmbridge.demo.generate import DemoFiles, generate_town
from osmbridge.demo.run import CURRENT_RUN_AT, PREVIOUS_RUN_AT, previous_config
from osmbridge.pipeline import run

DATASET = "demo-equipements"
# City record -> its two equally close OSM candidates, and where (offset from the town's south-west corner).
AMBIGUOUS = {"BSL-9001": (("n9100000999001", "n9100000999002"), (0.0012, 0.0015)),
             "BSL-9002": (("n9100000999003", "n9100000999004"), (0.0020, 0.0060))}


@dataclass(frozen=True)
class ReviewDemo:
    config: Config
    files: DemoFiles


def build_review_demo(folder: Path, *, size: int = 120, web: str = "") -> ReviewDemo:
    """Generate the town in `folder`, add the ambiguous case, run the last sync and the current run."""
    files = generate_town(folder, seed=2024, size=size)
    config_text = files.config.read_text(encoding="utf-8")
    south, west = _south_west(config_text)
    for source_id, (osm_keys, (dlat, dlon)) in AMBIGUOUS.items():
        lat, lon = south + dlat, west + dlon  # a corner of the town with nothing else near
        for city_file in (files.city_previous, files.city_current):
            _add_city_record(city_file, source_id, lon, lat)
        for osm_file in (files.osm_previous, files.osm_current):
            _add_osm_containers(osm_file, osm_keys, lon, lat)
    files.config.write_text(config_text + f"\n[web]\n{web}\n", encoding="utf-8")
    config = load_config(files.config, {})
    assert run(previous_config(config, files), trigger="demo", clock=lambda: PREVIOUS_RUN_AT).ok
    assert run(config, trigger="demo", clock=lambda: CURRENT_RUN_AT).ok
    return ReviewDemo(config=config, files=files)


def _south_west(config_text: str) -> tuple[float, float]:
    bbox_line = next(line for line in config_text.splitlines() if line.startswith("bbox"))
    south, west, _, _ = json.loads(bbox_line.split("=", 1)[1])
    return float(south), float(west)


def _add_city_record(path: Path, source_id: str, lon: float, lat: float) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                             "properties": {"identifiant": source_id, "nom": "", "categorie": "Composteur collectif",
                                            "commune": "Bourg-sur-Lune", "statut": "Ouvert"}})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _add_osm_containers(path: Path, osm_keys: tuple[str, str], lon: float, lat: float) -> None:
    nodes = "".join(
        f' <node id="{key[1:]}" version="1" timestamp="2020-01-01T00:00:00Z" uid="4200000001" user="lune_mappeuse" '
        f'changeset="4000000001" visible="true" lat="{lat:.7f}" lon="{lon + dx:.7f}">\n'
        f'  <tag k="amenity" v="recycling"/>\n  <tag k="recycling:organic" v="yes"/>\n'
        f'  <tag k="recycling_type" v="container"/>\n </node>\n'
        for key, dx in zip(osm_keys, (-0.00008, 0.00008)))
    text = path.read_text(encoding="utf-8")
    first_way = text.find(" <way ")
    cut = first_way if first_way >= 0 else text.rfind("</osm>")
    path.write_text(text[:cut] + nodes + text[cut:], encoding="utf-8")


def copy_demo(template: ReviewDemo, folder: Path) -> ReviewDemo:
    """A private copy of a built demo (files and store), so that a test may change it."""
    import shutil

    shutil.copytree(template.files.config.parent, folder, symlinks=True, dirs_exist_ok=True)
    files = DemoFiles(**{name: folder / path.name for name, path in vars(template.files).items()})
    return ReviewDemo(config=load_config(files.config, {}), files=files)


def store_state(config: Config) -> tuple[object, ...]:
    """Everything a decision could change: every item's state, revision and decision, the audit log,
    the matcher's sticky decisions."""
    from osmbridge.review import ItemFilter
    from osmbridge.store import Store

    store = Store(config.store_url)
    try:
        items = tuple((i.id, i.state, i.revision, i.decision.direction, i.decision.value, i.decision.reason)
                      for i in store.review_items(ItemFilter(dataset=DATASET, present=None)))
        audit = tuple((e.id, e.author, e.action) for e in store.audit_log(dataset=DATASET))
        verdicts = tuple((d.source_id, d.verdict, d.osm_key) for d in store.decisions(DATASET))
        return items, audit, verdicts
    finally:
        store.close()
