"""Review items at scale: how long a run's refresh of the review items and the queue queries take.

One stage, the store (not the CLI end to end): `Store.record_dataset` with N differences on a fresh
SQLite file (every item opens), a decision on a tenth of them, then a second run where a tenth of
the decided ones changed value (they come back stale) and a tenth of the rest vanished; then the
queries a web queue makes. Prints the figures; nothing is asserted.

    .venv/bin/python -m benchmarks.run_review --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from osmbridge.model import DatasetResult, Difference, RunCounts
from osmbridge.review import Accept, ItemFilter
from osmbridge.store import Fingerprints, Store

DATASET = "bench"


def _differences(n: int, changed: set[int], gone: set[int]) -> list[Difference]:
    out = []
    for i in range(n):
        if i in gone:
            continue
        city = f"+3324000{i:05d}" + ("9" if i in changed else "")
        out.append(Difference(id=f"{i:08d}-{city}", dataset=DATASET, kind="differs", source_id=str(i),
                              osm_key=f"n{i + 1}", field="phone", city_value=city, osm_value="+33240000000",
                              changed_side="city", proposal="to_osm", lon=-1.5 + i * 1e-6, lat=47.2,
                              category=f"c{i % 7}", name=f"Place {i}", osm_version=2))
    return out


def _record(store: Store, differences: list[Difference], when: str) -> float:
    run_id = store.start_run("bench", when)
    dataset_run = store.start_dataset(run_id, DATASET, when)
    counts = RunCounts(run_id=run_id, started_at=when, city_places=0, osm_places=0, matched=0, ambiguous=0,
                       missing_in_osm=0, missing_in_city=0, differences=len(differences), skipped=0)
    result = DatasetResult(dataset=DATASET, licence="ODbL-1.0", run_id=run_id, started_at=when, city=(), osm=(),
                           matches=(), differences=tuple(differences))
    started = time.perf_counter()
    store.record_dataset(dataset_run, result, counts, Fingerprints(city={}, osm={}), "reports")
    elapsed = time.perf_counter() - started
    store.finish_run(run_id, "ok", when)
    return elapsed


def measure(n: int, folder: Path) -> None:
    store = Store(f"sqlite:///{folder / f'review-{n}.sqlite'}")
    first = _differences(n, set(), set())
    t_first = _record(store, first, "2026-01-01T00:00:00+00:00")
    decided = [d.id for d in first[::10]]
    started = time.perf_counter()
    for start in range(0, len(decided), 500):
        store.decide_many(decided[start:start + 500], Accept("to_osm"), author="bench")
    t_decide = time.perf_counter() - started
    changed = set(range(0, n, 100))  # a tenth of the decided ones
    gone = set(range(5, n, 100))  # vanished, undecided
    t_second = _record(store, _differences(n, changed, gone), "2026-02-01T00:00:00+00:00")
    started = time.perf_counter()
    page = store.review_items(ItemFilter(dataset=DATASET, states=("open", "stale"), directions=("to_osm",)), limit=50)
    t_page = time.perf_counter() - started
    started = time.perf_counter()
    counts = store.review_counts(ItemFilter(dataset=DATASET))
    t_counts = time.perf_counter() - started
    started = time.perf_counter()
    pushable = store.accepted_items(DATASET, "to_osm")
    t_push = time.perf_counter() - started
    store.close()
    print(f"{n:>7} differences: first run {t_first:6.2f} s (all open), {len(decided)} decisions {t_decide:6.2f} s, "
          f"second run {t_second:6.2f} s ({counts.get('stale', 0)} stale, {counts.get('open', 0)} open); "
          f"queue page {t_page * 1000:5.0f} ms ({len(page)}), counts {t_counts * 1000:5.0f} ms, "
          f"accepted_items {t_push * 1000:5.0f} ms ({len(pushable)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="numbers of differences, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            measure(size, Path(folder))


if __name__ == "__main__":
    main()
