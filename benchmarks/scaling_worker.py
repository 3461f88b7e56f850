"""One scaling size in its own process: build a synthetic set, then match it or write it to files.

    python -m benchmarks.scaling_worker match --city 10000 --osm 100000 --out result.json
    python -m benchmarks.scaling_worker write --city 10000 --osm 100000 --dir benchmarks/work/scaling/10000x100000

`write` puts both tools' inputs in the folder: city.json (conflate), city.csv and mapping.toml
(`osmbridge match`), osm.osm (both), truth.json.

The same sizes and seed always give the same set, so `match` and `write` see identical inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import time
from collections import Counter
from pathlib import Path

from benchmarks.cli_inputs import write_city_csv, write_mapping
from benchmarks.city_io import city_features, write_city_json
from benchmarks.datasets import place_kind
from benchmarks.osm_xml import write_osm_xml
from benchmarks.scaling_data import generate_osm
from benchmarks.synthetic import NoiseModel, SyntheticSet, perturb
from benchmarks.truth import evaluate

MAX_DISTANCE_M = 100.0


def build_set(city: int, osm: int, seed: int, model: NoiseModel = NoiseModel()) -> SyntheticSet:
    """Return a set of about `city` records against `osm` features (before confusables are added)."""
    places = generate_osm(osm, seed)
    named = [p for p in places if p.tags.get("name")]
    # Records that get dropped on the city side are drawn too, so about `city` records remain.
    pool_size = min(len(named), round(city / (1.0 - model.drop_city_rate)))
    pool_ids = {p.key for p in random.Random(seed).sample(named, pool_size)}
    pool = [p for p in places if p.key in pool_ids]
    background = [p for p in places if p.key not in pool_ids]
    return perturb(f"scale{city}x{osm}", pool, place_kind, MAX_DISTANCE_M, "en", seed, model, background=background)


def _rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """Run the `match` or `write` step for one size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("match", "write"))
    parser.add_argument("--city", type=int, required=True)
    parser.add_argument("--osm", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="match: result JSON")
    parser.add_argument("--dir", type=Path, help="write: folder for city.json and osm.osm")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    synthetic = build_set(args.city, args.osm, args.seed)
    built = time.perf_counter()
    if args.step == "write":
        args.dir.mkdir(parents=True, exist_ok=True)
        write_city_json(synthetic.city, args.dir / "city.json")
        write_city_csv(synthetic.city, args.dir / "city.csv")
        write_mapping(synthetic.name, synthetic.kinds, synthetic.max_distance_m, args.dir / "mapping.toml")
        write_osm_xml(synthetic.osm, args.dir / "osm.osm")
        _write_json(args.dir / "truth.json", {"expected": synthetic.expected, "kinds": synthetic.kinds,
                                              "max_distance_m": synthetic.max_distance_m})
        return 0

    from osmbridge.match import MatchRules, match_places

    features = city_features(synthetic.city, synthetic.name, synthetic.max_distance_m)
    osm = synthetic.osm
    rss_inputs = _rss_bytes()
    match_start, cpu_start = time.perf_counter(), time.process_time()
    matches = match_places(features, osm, MatchRules())
    match_s, match_cpu_s = time.perf_counter() - match_start, time.process_time() - cpu_start
    links = {m.source_id: m.osm_key for m in matches if m.source_id is not None and m.status == "matched"}
    score = evaluate(synthetic.city, synthetic.expected, links).score
    _write_json(args.out, {
        "city": len(features), "osm": len(osm), "build_s": built - start, "match_s": match_s, "match_cpu_s": match_cpu_s,
        "max_rss_inputs_bytes": rss_inputs, "status": Counter(m.status for m in matches),
        "precision": score.precision, "recall": score.recall, "f1": score.f1,
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
