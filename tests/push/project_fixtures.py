"""A whole osmbridge project for the push: config.toml, mapping, city CSV, and a state store holding one run
whose differences reviewers accepted (through the review store, as the web UI does)."""

from __future__ import annotations

from pathlib import Path

from shapely.geometry import Point

from osmbridge.diff.sync_base import next_sync_base
from osmbridge.model import CityFeature, CityPlace, DatasetResult, Difference, OsmPlace, RunCounts
from osmbridge.review.actions import Accept
from osmbridge.store import Fingerprints, Store
from push.city_fixtures import correction_item
from push.push_fixtures import DATASET, town_items
from shared_data import TEST_DATA

CITY_CSV = ("id;nom;telephone\r\n"
            "1;Médiathèque Jacques Demy;02 40 00 00 00\r\n"
            "2;Mairie annexe;02 40 11 11 11\r\n")


def city_items() -> list[tuple[Difference, object]]:
    return [correction_item("2", "telephone", "phone", "+33 2 40 11 11 11", "+33 2 40 11 11 12", "n2")]


def write_project(folder: Path, api_url: str, *, licence: str = "ODbL-1.0",
                  attribution: str | None = "Ville de Test, © OpenStreetMap contributors") -> Path:
    """Write config.toml, the city CSV and a store with accepted items; return the config's path."""
    (folder / "equipements.csv").write_bytes(CITY_CSV.encode("cp1252"))
    lines = [
        "[store]", f'url = "sqlite:///{folder / "state.sqlite"}"', "[reports]", f'directory = "{folder / "reports"}"',
        "[osm_api]", f'url = "{api_url}"', f'auth_url = "{api_url}"', 'client_id = "osmbridge-client"',
        f'token_file = "{folder / "token"}"',
        "retries = 2", "backoff_s = 0.01",
        f"[datasets.{DATASET}]", 'title = "Test City facilities"', f'licence = "{licence}"',
        f'mapping = "{TEST_DATA / "push" / "facilities.toml"}"',
    ]
    if attribution:
        lines.append(f'attribution = "{attribution}"')
    lines += [f"[datasets.{DATASET}.source]", 'kind = "csv"', f'location = "{folder / "equipements.csv"}"',
              f"[datasets.{DATASET}.push]", 'comment = "Test City: reviewed updates"', 'source = "Test City open data"',
              'hashtags = "#osmbridge #testcity"', "max_span_m = 50000"]
    config = folder / "config.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store(f"sqlite:///{folder / 'state.sqlite'}")
    try:
        items = [*town_items(), *city_items()]
        record_run(store, [d for d, _ in items])
        for difference, decision in items:
            store.decide(difference.id, Accept(decision.direction), author="anne")  # type: ignore[attr-defined]
    finally:
        store.close()
    return config


def record_run(store: Store, differences: list[Difference]) -> None:
    when = "2024-04-30T09:00:00+00:00"
    run_id = store.start_run("test", when)
    dataset_run = store.start_dataset(run_id, DATASET, when)
    rows = [dict(zip(("id", "nom", "telephone"), line.split(";"), strict=True))
            for line in CITY_CSV.strip().split("\r\n")[1:]]
    places = [CityPlace(DATASET, row["id"], Point(-1.55, 47.21), row, "ODbL-1.0", f"csv:{row['id']}") for row in rows]
    city = tuple(CityFeature(place=place, mapping="test-facilities", category="", name=str(place.fields["nom"]),
                             tags={"amenity": "library"}, match_tags=(("amenity", "library"),), match_distance_m=50)
                 for place in places)
    osm = tuple(OsmPlace("n", n, 1, Point(-1.55, 47.21), {"amenity": "library"}, Point(-1.55, 47.21))
                for n in (1, 2, 3))
    counts = RunCounts(run_id, when, len(city), len(osm), 0, 0, 0, 0, len(differences), 0)
    result = DatasetResult(DATASET, "ODbL-1.0", run_id, when, city, osm, (), tuple(differences))
    store.record_dataset(dataset_run, result, counts, Fingerprints({r["id"]: "c" for r in rows}, {}), "reports",
                         next_sync_base(store.sync_base(DATASET), city, osm, (), tuple(differences)))
    store.finish_run(run_id, "ok", when)
