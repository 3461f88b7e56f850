"""Run osmbridge's matcher on a benchmark set in its own process and write its links as JSON.

    python -m benchmarks.osmbridge_runner CITY.json OSM.osm OUT.json --dataset NAME --max-distance-m 100

The parent process measures wall time and peak memory; this one reports its phases.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import Counter
from pathlib import Path

from benchmarks.city_io import read_city_features
from benchmarks.osm_input import read_places
from osmbridge.i18n import render_notes


def main(argv: list[str] | None = None) -> int:
    """Read both sides, match them, write {"links", "status", "phase_s", "reader"} to OUT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("city", type=Path)
    parser.add_argument("osm", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--max-distance-m", type=float, required=True)
    args = parser.parse_args(argv)

    from osmbridge.match import MatchRules, match_places

    start = time.perf_counter()
    osm, reader = read_places(args.osm)
    osm_read = time.perf_counter()
    city = read_city_features(args.city, args.dataset, args.max_distance_m)
    city_read = time.perf_counter()
    rss_before_match = _max_rss_bytes()
    cpu_start = time.process_time()
    matches = match_places(city, osm, MatchRules())
    matched = time.perf_counter()
    match_cpu_s = time.process_time() - cpu_start
    links = {m.source_id: m.osm_key for m in matches if m.source_id is not None and m.status == "matched"}
    # Why each unlinked record stayed so: the report lists osmbridge's misses with their status.
    unlinked = {m.source_id: {"status": m.status, "candidates": list(m.candidates), "note": render_notes(m.note)}
                for m in matches if m.source_id is not None and m.status != "matched"}
    result = {
        "links": links,
        "unlinked": unlinked,
        "status": Counter(m.status for m in matches),
        "reader": reader,
        "phase_s": {"read_osm": osm_read - start, "read_city": city_read - osm_read, "match": matched - city_read},
        "match_cpu_s": match_cpu_s,
        "max_rss_before_match_bytes": rss_before_match,
        "city": len(city),
        "osm": len(osm),
    }
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, args.out)
    return 0


def _max_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    raise SystemExit(main())
