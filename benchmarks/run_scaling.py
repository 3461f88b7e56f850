"""Scaling benchmark: time and peak memory of osmbridge and OSM Conflator from 200 x 2k to 100k x 1M.

    .venv/bin/python -m benchmarks.run_scaling [--sizes 200x2000,10000x100000,100000x1000000]

Each size runs in child processes: osmbridge's matcher alone on inputs built in memory
(benchmarks/scaling_worker.py); then, on the same files, `osmbridge match` as a user runs it (the
installed command: start-up, reading city.csv and the .osm file, the mapping, matching, writing
matches.csv), a plain pyosmium scan of the same .osm file (the yardstick of the read stage), and
conflate end to end. Small sizes run several times (start-up dominates them) and report the median.
Rewrites the "scaling" section of benchmarks/RESULTS.md unless --no-write.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import results
from benchmarks.conflate_runner import ConflateRun, conflate_version, run_conflate
from benchmarks.measure import Measured, run_measured
from benchmarks.run_quality import before_source
from benchmarks.scaling_worker import MAX_DISTANCE_M
from benchmarks.truth import Score

WORK = Path(__file__).resolve().parent / "work" / "scaling"
DEFAULT_SIZES = "200x2000,1000x10000,10000x100000,100000x1000000"
TARGET_E2E_S, TARGET_RSS_BYTES, TARGET_SIZE = 60.0, 2 * 2**30, (100_000, 1_000_000)
TARGET_READ_RATIO = 2.0  # the read stage, against a plain pyosmium scan with locations and areas
TARGET_START_S, START_SIZE = 0.6, (200, 2000)
TARGET_SPEEDUP, SPEEDUP_SIZE = 5.0, (10_000, 100_000)
SMALL_REPEATS = 5  # runs of a size with at most this many OSM features: the median is kept
SMALL_OSM = 10_000
GIB = 2**30
# The flags the benchmark gives `osmbridge match`: print stage times; leave the OSM places nobody links
# to out of matches.csv, as conflate's list leaves them out.
CLI_FLAGS = ("--no-osm-only",)
_STAGE = re.compile(r"^\s+(read city|mapping|read OSM|area|match|write)\s+([0-9.]+) s\s+([0-9.]+) s CPU", re.MULTILINE)


@dataclass
class SizeResult:
    """Everything measured at one size."""

    city: int
    osm: int
    match: dict | None = None  # the worker's JSON: the matcher alone
    match_run: Measured | None = None
    cli: Measured | None = None  # `osmbridge match`, the median run
    cli_stages: dict[str, float] = field(default_factory=dict)  # wall seconds per stage (-v)
    cli_stages_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage
    cli_score: Score | None = None
    before: Measured | None = None  # `osmbridge match` as it was at --before REV, on the same files
    scan: dict | None = None  # plain pyosmium scan of the same file
    scan_tags: dict | None = None  # the same, copying every object's tags
    conflate: ConflateRun | None = None
    conflate_score: Score | None = None
    conflate_note: str = ""


def _score(links: dict[str, str | None], expected: dict[str, str | None]) -> Score:
    correct = sum(1 for k, v in links.items() if v is not None and v == expected.get(k))
    wrong = sum(1 for k, v in links.items() if v is not None and v != expected.get(k))
    return Score(correct, wrong, sum(1 for v in expected.values() if v), len(expected))


def _child(command: list[str], timeout_s: float, what: str) -> Measured:
    measured = run_measured(command, timeout_s, cwd=results.ROOT)
    if not measured.timed_out and measured.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {measured.returncode}):\n{measured.stderr[-4000:]}")
    return measured


def _median_run(command: list[str], timeout_s: float, what: str, repeats: int) -> Measured:
    runs = [_child(command, timeout_s, what) for _ in range(repeats)]
    return sorted(runs, key=lambda m: m.wall_s)[len(runs) // 2]


def _cli_links(path: Path) -> dict[str, str | None]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: (row["osm_id"] if row["status"] == "matched" else None)
                for row in csv.DictReader(handle) if row["source_id"]}


def osmbridge_command() -> str:
    """Return the installed `osmbridge` command beside this interpreter (what a user runs)."""
    return str(Path(sys.executable).with_name("osmbridge"))


def compile_bytecode(*roots: Path) -> None:
    """Compile the osmbridge package under each root ahead of the runs, as `pip install` does for an installed copy.

    With PYTHONDONTWRITEBYTECODE set (as on the benchmark machine) an editable checkout would compile its sources
    again at every start, which a user's installed copy never does.
    """
    for root in roots:
        compileall.compile_dir(root / "osmbridge", quiet=1)


def run_size(city: int, osm: int, seed: int, timeout_s: float, conflate_timeout_s: float, run_conflate_here: bool,
             skip_reason: str, before: Path | None = None) -> SizeResult:
    """Measure one size: the matcher alone, then osmbridge's command, a plain scan and conflate on the same files."""
    result = SizeResult(city, osm)
    folder = WORK / f"{city}x{osm}"
    folder.mkdir(parents=True, exist_ok=True)
    repeats = SMALL_REPEATS if osm <= SMALL_OSM else 1
    sizes = ["--city", str(city), "--osm", str(osm), "--seed", str(seed)]
    worker = [sys.executable, "-m", "benchmarks.scaling_worker"]
    print(f"{city} x {osm}: matcher alone...", file=sys.stderr, flush=True)
    out = folder / "osmbridge_memory.json"
    result.match_run = _child([*worker, "match", *sizes, "--out", str(out)], timeout_s, "the matcher alone")
    if not result.match_run.timed_out:
        result.match = json.loads(out.read_text(encoding="utf-8"))

    print(f"{city} x {osm}: writing files...", file=sys.stderr, flush=True)
    _child([*worker, "write", *sizes, "--dir", str(folder)], timeout_s, "writing the files")
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    expected, kinds = truth["expected"], [tuple(k) for k in truth["kinds"]]
    osm_file = folder / "osm.osm"

    print(f"{city} x {osm}: osmbridge match...", file=sys.stderr, flush=True)
    matches = folder / "matches.csv"
    cli = [osmbridge_command(), "-v", "match", "--city", str(folder / "city.csv"), "--mapping",
           str(folder / "mapping.toml"), "--osm", str(osm_file), "--out", str(matches), *CLI_FLAGS]
    result.cli = _median_run(cli, timeout_s, "osmbridge match", repeats)
    if not result.cli.timed_out:
        stages = _STAGE.findall(result.cli.stderr)
        result.cli_stages = {name: float(wall) for name, wall, _ in stages}
        result.cli_stages_cpu = {name: float(cpu) for name, _, cpu in stages}
        result.cli_score = _score(_cli_links(matches), expected)

    if before is not None:
        print(f"{city} x {osm}: osmbridge match before...", file=sys.stderr, flush=True)
        # Its own package first: run from its folder (Python looks in the working directory first).
        old = [sys.executable, "-m", "osmbridge.cli", "match", "--city", str(folder / "city.csv"), "--mapping",
               str(folder / "mapping.toml"), "--osm", str(osm_file), "--out", str(folder / "matches_before.csv")]
        runs = [run_measured(old, timeout_s, cwd=before, env=dict(os.environ, PYTHONPATH=str(before)))
                for _ in range(repeats)]
        result.before = sorted(runs, key=lambda m: m.wall_s)[len(runs) // 2]

    print(f"{city} x {osm}: plain pyosmium scans...", file=sys.stderr, flush=True)
    scans = []
    for flags in ([], ["--tags"]):
        scan_out = folder / "scan.json"
        _median_run([sys.executable, "-m", "benchmarks.osmium_scan", str(osm_file), str(scan_out), *flags],
                    timeout_s, "the pyosmium scan", repeats)
        scans.append(json.loads(scan_out.read_text(encoding="utf-8")))
    result.scan, result.scan_tags = scans

    if not run_conflate_here:
        result.conflate_note = skip_reason
    else:
        print(f"{city} x {osm}: conflate (limit {conflate_timeout_s:.0f} s)...", file=sys.stderr, flush=True)
        runs = [run_conflate(folder / "city.json", osm_file, folder, kinds, MAX_DISTANCE_M, conflate_timeout_s)
                for _ in range(repeats)]
        result.conflate = sorted(runs, key=lambda r: r.measured.wall_s)[len(runs) // 2]
        if result.conflate.measured.timed_out:
            result.conflate_note = f"did not finish in {conflate_timeout_s:.0f} s"
        else:
            result.conflate_score = _score(result.conflate.links, expected)
    # The files of the big sizes are large; keep only the small ones for inspection.
    if osm >= 1_000_000:
        for name in ("osm.osm", "city.json", "city.csv", "matches.csv", "matches_before.csv"):
            (folder / name).unlink(missing_ok=True)
    return result


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _pair(wall: float | None, cpu: float | None) -> str:
    return "-" if wall is None or cpu is None else f"{wall:.2f} / {cpu:.2f}"


def _times(ratio: float | None) -> str:
    return f"{ratio:.1f}×" if ratio else "-"


def render(rows: list[SizeResult], command: str, seed: int, conflate: str, conflate_timeout_s: float,
           load_before: str, load_after: str, before: str | None = None) -> tuple[str, bool]:
    """Return the markdown report and whether osmbridge met its scaling targets."""
    lines = [
        "## Scaling: synthetic city lists against synthetic OSM",
        "",
        f"Command: `{command}`  ",
        f"Run: {results.stamp()}, osmbridge {results.git_revision()}"
        + (f" (before: osmbridge {before})" if before else "") + f", osm-conflate {conflate}, seed {seed}, "
        f"max distance {MAX_DISTANCE_M:.0f} m, conflate time limit {conflate_timeout_s:.0f} s.  ",
        f"Machine: {results.machine()}; load average (1 / 5 / 15 min) {load_before} at the start, "
        f"{load_after} at the end: the cores are shared, CPU seconds and ratios of one run compare best.",
        "",
        "*osmbridge match* = the command as a user runs it (`osmbridge -v match --city city.csv --mapping "
        f"mapping.toml --osm osm.osm --out matches.csv {' '.join(CLI_FLAGS)}`, the installed entry point): "
        "interpreter start, reading both files, the mapping, matching and writing matches.csv, wall / CPU "
        "seconds and peak RSS of that process (osmbridge's bytecode compiled beforehand, as `pip install` does); *read OSM* = its read stage (wall / CPU seconds of the process "
        "during the stage, printed by -v; osmium parses in threads of its own, so CPU may exceed wall). "
        "*pyosmium scan* = a process that only iterates the same .osm file with "
        "`FileProcessor(...).with_locations().with_areas()` (wall / CPU s), and *+ tags* the same copying every "
        "object's tags into a dict. *Matcher alone* = `match_places` on inputs already in memory (wall / CPU "
        "s; peak = that process's RSS, inputs included). *Conflate* = its command end to end on city.json and "
        "the same .osm file. Sizes of at most "
        f"{SMALL_OSM:,} OSM features run {SMALL_REPEATS} times each and show the median run.",
        "",
        "| city × OSM | osmbridge match wall / CPU s | peak GiB | F1 | read OSM wall / CPU s | pyosmium scan "
        "wall / CPU s | + tags wall / CPU s | read ÷ scan, wall / CPU | conflate wall / CPU s | conflate peak GiB | "
        "conflate F1 | speed-up (CPU) | "
        "matcher alone wall / CPU s | matcher peak GiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cli = r.cli if r.cli and not r.cli.timed_out else None
        theirs = r.conflate if r.conflate and not r.conflate.measured.timed_out else None
        read, read_cpu = r.cli_stages.get("read OSM"), r.cli_stages_cpu.get("read OSM")
        scan, scan_cpu = (r.scan["wall_s"], r.scan["cpu_s"]) if r.scan else (None, None)
        tags = (r.scan_tags["wall_s"], r.scan_tags["cpu_s"]) if r.scan_tags else (None, None)
        m = r.match or {}
        lines.append(
            f"| {r.city:,} × {r.osm:,} | {f'{cli.wall_s:.2f} / {cli.cpu_s:.2f}' if cli else 'did not finish'} | "
            f"{_fmt(cli.max_rss_bytes / GIB if cli else None)} | {_fmt(r.cli_score.f1 if r.cli_score else None, 4)} | "
            f"{_pair(read, read_cpu)} | {_pair(scan, scan_cpu)} | {_pair(*tags)} | "
            f"{_times(_ratio(read, scan))} / {_times(_ratio(read_cpu, scan_cpu))} | "
            f"{f'{theirs.measured.wall_s:.2f} / {theirs.measured.cpu_s:.2f}' if theirs else r.conflate_note or '-'} | "
            f"{_fmt(theirs.measured.max_rss_bytes / GIB if theirs else None)} | "
            f"{_fmt(r.conflate_score.f1 if r.conflate_score else None, 4)} | "
            f"{_times(_ratio(theirs.measured.cpu_s if theirs else None, cli.cpu_s if cli else None))} | "
            f"{_pair(m.get('match_s'), m.get('match_cpu_s'))} | "
            f"{_fmt(r.match_run.max_rss_bytes / GIB if m and r.match_run else None)} |")

    if before:
        lines += ["", f"*Before* = `osmbridge match` as it was at {before} (`python -m osmbridge.cli match ...`, "
                  "every row written: it had no --no-osm-only), on the same files in this run:", "",
                  "| city × OSM | before wall / CPU s | before peak GiB | now wall / CPU s | now peak GiB | "
                  "now ÷ before (wall) |", "|---|---:|---:|---:|---:|---:|"]
        for r in rows:
            old = r.before if r.before and not r.before.timed_out and r.before.returncode == 0 else None
            now = r.cli if r.cli and not r.cli.timed_out else None
            lines.append(f"| {r.city:,} × {r.osm:,} | {_pair(old.wall_s, old.cpu_s) if old else 'failed'} | "
                         f"{_fmt(old.max_rss_bytes / GIB if old else None)} | "
                         f"{_pair(now.wall_s, now.cpu_s) if now else '-'} | "
                         f"{_fmt(now.max_rss_bytes / GIB if now else None)} | "
                         f"{_fmt(_ratio(now.wall_s if now else None, old.wall_s if old else None))} |")

    ok = True
    verdicts: list[str] = []

    def verdict(passed: bool, text: str) -> None:
        nonlocal ok
        ok &= passed
        verdicts.append(f"- {'PASS' if passed else '**FAIL**'} {text}")

    def size(c: int, o: int) -> SizeResult | None:
        return next((r for r in rows if (r.city, r.osm) == (c, o)), None)

    big = size(*TARGET_SIZE)
    if big and big.cli and not big.cli.timed_out:
        verdict(big.cli.wall_s <= TARGET_E2E_S, f"100k × 1M: osmbridge match {big.cli.wall_s:.1f} s wall "
                                                f"({big.cli.cpu_s:.1f} s CPU) <= {TARGET_E2E_S:.0f} s")
        verdict(big.cli.max_rss_bytes <= TARGET_RSS_BYTES,
                f"100k × 1M: osmbridge match peak {big.cli.max_rss_bytes / GIB:.2f} GiB <= 2 GiB")
    else:
        verdict(False, "100k × 1M: osmbridge match not measured (not in --sizes, or did not finish)")
    for r in rows:
        read, read_cpu = r.cli_stages.get("read OSM"), r.cli_stages_cpu.get("read OSM")
        if r.osm > SMALL_OSM and read and read_cpu and r.scan:
            scan, scan_cpu = r.scan["wall_s"], r.scan["cpu_s"]
            # Judged on CPU, steadier than wall time on shared cores; the wall ratio is shown beside.
            verdict(read_cpu <= TARGET_READ_RATIO * scan_cpu,
                    f"{r.city:,} × {r.osm:,}: read stage {read_cpu:.1f} s CPU = {read_cpu / scan_cpu:.2f}× a plain "
                    f"pyosmium scan ({scan_cpu:.1f} s CPU) <= {TARGET_READ_RATIO:.0f}× (wall: {read:.1f} s vs "
                    f"{scan:.1f} s, {read / scan:.2f}×)")
    start = size(*START_SIZE)
    if start and start.cli and not start.cli.timed_out:
        theirs = start.conflate.measured.wall_s if start.conflate and not start.conflate.measured.timed_out else None
        versus = f"; conflate {theirs:.2f} s" if theirs else ""
        verdict(start.cli.wall_s <= TARGET_START_S, f"200 × 2k: osmbridge match {start.cli.wall_s:.2f} s wall "
                                                    f"(median of {SMALL_REPEATS}) <= {TARGET_START_S} s{versus}")
    mid = size(*SPEEDUP_SIZE)
    if mid and mid.cli and mid.conflate and not mid.conflate.measured.timed_out:
        speedup = mid.conflate.measured.cpu_s / mid.cli.cpu_s
        verdict(speedup >= TARGET_SPEEDUP, f"10k × 100k: osmbridge match {speedup:.1f}× faster than conflate end to "
                                           f"end (CPU: {mid.conflate.measured.cpu_s:.1f} s vs {mid.cli.cpu_s:.1f} s; "
                                           f"wall {mid.conflate.measured.wall_s / mid.cli.wall_s:.1f}×) >= "
                                           f"{TARGET_SPEEDUP:.0f}×")
    if big and big.match:
        verdict(big.match["match_s"] <= TARGET_E2E_S, f"100k × 1M: matcher alone {big.match['match_s']:.1f} s wall "
                                                      f"({big.match['match_cpu_s']:.1f} s CPU)")
    stage_rows = [r for r in rows if r.cli_stages]
    lines += ["", "Targets:", "", *verdicts, "", "Stages of `osmbridge match` (wall seconds, from -v):", "",
              "| city × OSM | read city | mapping | read OSM | area | match | write | start-up and the rest |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in stage_rows:
        st = r.cli_stages
        rest = (r.cli.wall_s if r.cli else 0.0) - sum(st.values())
        lines.append(f"| {r.city:,} × {r.osm:,} | " + " | ".join(
            _fmt(st.get(name)) for name in ("read city", "mapping", "read OSM", "area", "match", "write"))
            + f" | {rest:.2f} |")
    return "\n".join(lines) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    """Run the scaling benchmark, print the table, and write it to RESULTS.md."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="CITYxOSM,... (default %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout-s", type=float, default=1800.0, help="per osmbridge child")
    parser.add_argument("--conflate-timeout-s", type=float, default=600.0)
    parser.add_argument("--no-conflate", action="store_true")
    parser.add_argument("--before", metavar="REV", help="also run osmbridge match as it was at this git revision")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    before = before_source(args.before) if args.before else None
    try:
        sizes = sorted((int(c), int(o)) for c, o in (s.split("x") for s in args.sizes.split(",")))
    except ValueError:
        parser.error(f"--sizes: expected CITYxOSM,... e.g. 1000x10000, got {args.sizes!r}")
    compile_bytecode(results.ROOT, *([before] if before else []))
    load_before = results.load_average()
    rows: list[SizeResult] = []
    too_big: tuple[int, int] | None = None  # the smallest size conflate could not finish
    for city, osm in sorted(sizes, key=lambda s: (s[0] + s[1], s)):
        skip = args.no_conflate or (too_big is not None and city >= too_big[0] and osm >= too_big[1])
        reason = "not run (--no-conflate)" if args.no_conflate else (
            f"skipped: {too_big[0]:,} × {too_big[1]:,} exceeded the limit" if too_big else "")
        row = run_size(city, osm, args.seed, args.timeout_s, args.conflate_timeout_s, not skip, reason, before)
        if row.conflate and row.conflate.measured.timed_out:
            too_big = (city, osm) if too_big is None else min(too_big, (city, osm))
        rows.append(row)
    report, ok = render(rows, results.command_line("benchmarks.run_scaling", argv), args.seed,
                        conflate_version() if not args.no_conflate else "not run", args.conflate_timeout_s,
                        load_before, results.load_average(), before.name.removeprefix("osmbridge-") if before else None)
    print(report)
    if not args.no_write:
        results.write_section("scaling", report)
        print(f"wrote {results.RESULTS}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
