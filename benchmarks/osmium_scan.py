"""A plain pyosmium scan of an OSM file, the yardstick of osmbridge's reader, in its own process.

    python -m benchmarks.osmium_scan FILE.osm [--tags] OUT.json

Iterates every object of the file with node locations and areas, as osmbridge's reader asks
osmium to (`FileProcessor(...).with_locations().with_areas()`), doing nothing with them; with
--tags it also copies each object's tags into a dict (`{t.k: t.v for t in obj.tags}`). Writes the
object count and the scan's wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import osmium


def scan(path: Path, copy_tags: bool) -> int:
    """Return how many objects a scan of `path` with locations and areas yields."""
    count = 0
    for obj in osmium.FileProcessor(str(path)).with_locations().with_areas():
        if copy_tags:
            {tag.k: tag.v for tag in obj.tags}  # noqa: B018 - the copy is what is measured
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """Scan the file and write {"objects", "wall_s", "cpu_s"} to OUT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("osm", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tags", action="store_true", help="also copy each object's tags into a dict")
    args = parser.parse_args(argv)
    start, cpu = time.perf_counter(), time.process_time()
    objects = scan(args.osm, args.tags)
    result = {"objects": objects, "wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu}
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
