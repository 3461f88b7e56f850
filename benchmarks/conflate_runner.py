"""Run OSM Conflator (PyPI osm-conflate) offline on a benchmark set and read back its links.

Conflate lives in its own virtualenv (benchmarks/.venv-conflate, created on first use). It reads the
city list through a generated profile whose `dataset()` returns it and whose `matches()` demands the
same primary tag, and the OSM side from a local .osm file (`--osm`), never from Overpass.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import Measured, run_measured
from benchmarks.synthetic import Kind

VENV = Path(__file__).resolve().parent / ".venv-conflate"
PACKAGE = "osm-conflate"

_PROFILE = '''\
"""OSM Conflator profile written by benchmarks/conflate_runner.py; rerun it by hand with:
{venv}/bin/conflate {profile} -i {city} --osm {osm} -l list.csv
"""
source = "osmbridge benchmark"
no_dataset_id = True  # no ref:* tag links the two sides; conflate matches by position and type
max_distance = {max_distance_m!r}  # the same distance osmbridge gets (match_distance_m)
query = {query!r}


def dataset(fileobj):
    import json

    return [SourcePoint(row["id"], row["lat"], row["lon"], row["tags"]) for row in json.load(fileobj)]


def matches(osm_tags, ds_tags):
    # Same type: the OSM feature carries the record's primary tag (every tag but the name).
    return all(osm_tags.get(k) == v for k, v in ds_tags.items() if k != "name")
'''

# Conflate's own entry point, its log lines stamped with wall and CPU clocks so its phases can be timed.
_WRAPPER = """\
import logging, sys, time
class _Clock(logging.Filter):
    def filter(self, record):
        record.cpu = time.process_time()
        return True
handler = logging.StreamHandler()
handler.addFilter(_Clock())
handler.setFormatter(logging.Formatter("%(relativeCreated).1f\t%(cpu).3f\t%(message)s"))
logging.basicConfig(level=logging.INFO, handlers=[handler])
from conflate import run
sys.argv[0] = "conflate"
run()
"""
_PHASES = {
    "dataset_read": re.compile(r"Read \d+ items from the dataset"),
    "osm_read": re.compile(r"Downloaded \d+ objects from OSM"),
    "matched": re.compile(r"Matched \d+ points"),
    "done": re.compile(r"^Done$"),
}
_OSM_TYPE = {"node": "n", "way": "w", "relation": "r"}


@dataclass(frozen=True, slots=True)
class ConflateRun:
    """Conflate's links (source_id -> OSM key or None) and what the run cost."""

    links: dict[str, str | None]
    measured: Measured
    phase_s: dict[str, float] = field(default_factory=dict)  # wall seconds since start, per log line
    phase_cpu_s: dict[str, float] = field(default_factory=dict)  # CPU seconds since start, per log line

    @property
    def match_s(self) -> float | None:
        """Wall seconds between reading OSM and the end of matching (kd-tree build included)."""
        return _between(self.phase_s, "osm_read", "matched")

    @property
    def match_cpu_s(self) -> float | None:
        """CPU seconds between reading OSM and the end of matching (kd-tree build included)."""
        return _between(self.phase_cpu_s, "osm_read", "matched")


def _between(phases: dict[str, float], first: str, last: str) -> float | None:
    if first in phases and last in phases:
        return phases[last] - phases[first]
    return None


def conflate_python(venv: Path = VENV) -> Path:
    """Return the interpreter of conflate's virtualenv, creating the venv and installing conflate if missing."""
    python = venv / "bin" / "python"
    if not (venv / "bin" / "conflate").exists():
        print(f"creating {venv} and installing {PACKAGE} (first run only)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", PACKAGE], check=True)
    return python


def conflate_version(venv: Path = VENV) -> str:
    """Return the installed osm-conflate version."""
    out = subprocess.run([str(conflate_python(venv)), "-c", "import conflate; print(conflate.__version__)"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def write_profile(path: Path, kinds: Sequence[Kind], max_distance_m: float, city: Path, osm: Path,
                  venv: Path = VENV) -> None:
    """Write a conflate profile for a set: its OSM query, the shared max distance, same-type matching."""
    query = [[kind] for kind in kinds]
    text = _PROFILE.format(max_distance_m=float(max_distance_m), query=query, venv=venv, profile=path,
                           city=city, osm=osm)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def run_conflate(city: Path, osm: Path, workdir: Path, kinds: Sequence[Kind], max_distance_m: float,
                 timeout_s: float, venv: Path = VENV) -> ConflateRun:
    """Run conflate on a city list (JSON) and an .osm file; return its links and its cost."""
    python = conflate_python(venv)
    workdir.mkdir(parents=True, exist_ok=True)
    profile, listing, changes = workdir / "conflate_profile.py", workdir / "conflate_list.csv", workdir / "conflate_changes.geojson"
    write_profile(profile, kinds, max_distance_m, city, osm, venv)
    for stale in (listing, changes):
        stale.unlink(missing_ok=True)
    # Offline for sure: any HTTP request conflate might try goes to a closed local port.
    env = os.environ | {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    command = [str(python), "-c", _WRAPPER, str(profile), "-i", str(city), "--osm", str(osm),
               "-l", str(listing), "-c", str(changes)]
    measured = run_measured(command, timeout_s, env=env)
    if measured.timed_out:
        return ConflateRun({}, measured)
    if measured.returncode != 0 or not listing.exists():
        raise RuntimeError(f"conflate failed (exit {measured.returncode}):\n{measured.stderr[-3000:]}")
    links = read_links(listing)
    _check_changes(changes, links)
    wall, cpu = _phases(measured.stderr)
    return ConflateRun(links, measured, wall, cpu)


def read_links(listing: Path) -> dict[str, str | None]:
    """Return conflate's decision per dataset id from its `-l` CSV: the OSM key, or None (a new node)."""
    links: dict[str, str | None] = {}
    with listing.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            osm_type = _OSM_TYPE.get(row["osm_type"])
            links[row["ref"]] = f"{osm_type}{row['osm_id']}" if osm_type and row["osm_id"] else None
    return links


def _check_changes(changes: Path, links: dict[str, str | None]) -> None:
    """Cross-check the `-l` list against the `-c` GeoJSON: every modified OSM feature names its record."""
    features = json.loads(changes.read_text(encoding="utf-8"))["features"]
    for feature in features:
        props = feature["properties"]
        if props.get("action") == "modify" and "ref_id" in props:
            key = f"{props['osm_type'][0]}{props['osm_id']}"
            if links.get(props["ref_id"]) != key:
                raise RuntimeError(f"conflate outputs disagree on {props['ref_id']}: list "
                                   f"{links.get(props['ref_id'])}, changes {key}")


def _phases(log: str) -> tuple[dict[str, float], dict[str, float]]:
    """Return the wall and CPU seconds at which each phase's log line was written."""
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for line in log.splitlines():
        parts = line.split("\t", 2)
        if len(parts) != 3:
            continue
        for phase, pattern in _PHASES.items():
            if pattern.search(parts[2]) and phase not in wall:
                try:
                    wall[phase], cpu[phase] = float(parts[0]) / 1000.0, float(parts[1])
                except ValueError:
                    pass
    return wall, cpu
