"""Scaling benchmark: time and peak memory of osmbridge and OSM Conflator from 1k x 10k to 100k x 1M.

    .venv/bin/python -m benchmarks.run_scaling [--sizes 1000x10000,10000x100000,100000x1000000]

Each size runs in child processes (benchmarks/scaling_worker.py): osmbridge's matcher on inputs built
in memory (the matcher's own cost), then both tools end to end on the same files (city JSON + .osm
XML). Conflate gets a time limit; sizes beyond one it could not finish are skipped. Rewrites the
"scaling" section of benchmarks/RESULTS.md unless --no-write.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks import results
from benchmarks.conflate_runner import ConflateRun, conflate_version, run_conflate
from benchmarks.measure import Measured, run_measured
from benchmarks.scaling_worker import MAX_DISTANCE_M
from benchmarks.truth import Score

WORK = Path(__file__).resolve().parent / "work" / "scaling"
DEFAULT_SIZES = "1000x10000,1000x100000,10000x100000,10000x1000000,100000x1000000"
TARGET_S, TARGET_RSS_BYTES, TARGET_SIZE = 60.0, 4 * 2**30, (100_000, 1_000_000)
TARGET_SPEEDUP, SPEEDUP_SIZE = 5.0, (10_000, 100_000)
GIB = 2**30


@dataclass
class SizeResult:
    """Everything measured at one size."""

    city: int
    osm: int
    match: dict | None = None  # the worker's JSON
    match_run: Measured | None = None
    e2e: dict | None = None  # osmbridge_runner's JSON, end to end on the files
    e2e_run: Measured | None = None
    e2e_score: Score | None = None
    conflate: ConflateRun | None = None
    conflate_score: Score | None = None
    conflate_note: str = ""


def _score(links: dict[str, str | None], expected: dict[str, str | None]) -> Score:
    correct = sum(1 for k, v in links.items() if v is not None and v == expected.get(k))
    wrong = sum(1 for k, v in links.items() if v is not None and v != expected.get(k))
    return Score(correct, wrong, sum(1 for v in expected.values() if v), len(expected))


def _child(module: str, *args: str, timeout_s: float) -> Measured:
    measured = run_measured([sys.executable, "-m", module, *args], timeout_s, cwd=results.ROOT)
    if measured.timed_out:
        return measured
    if measured.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed (exit {measured.returncode}):\n{measured.stderr[-4000:]}")
    return measured


def run_size(city: int, osm: int, seed: int, timeout_s: float, conflate_timeout_s: float, run_conflate_here: bool,
             skip_reason: str) -> SizeResult:
    """Measure one size: osmbridge in memory, then both tools end to end on the same files."""
    result = SizeResult(city, osm)
    folder = WORK / f"{city}x{osm}"
    folder.mkdir(parents=True, exist_ok=True)
    sizes = ("--city", str(city), "--osm", str(osm), "--seed", str(seed))
    print(f"{city} x {osm}: osmbridge in memory...", file=sys.stderr, flush=True)
    out = folder / "osmbridge_memory.json"
    result.match_run = _child("benchmarks.scaling_worker", "match", *sizes, "--out", str(out), timeout_s=timeout_s)
    if not result.match_run.timed_out:
        result.match = json.loads(out.read_text(encoding="utf-8"))

    print(f"{city} x {osm}: writing files...", file=sys.stderr, flush=True)
    _child("benchmarks.scaling_worker", "write", *sizes, "--dir", str(folder), timeout_s=timeout_s)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    expected, kinds = truth["expected"], [tuple(k) for k in truth["kinds"]]

    print(f"{city} x {osm}: osmbridge end to end...", file=sys.stderr, flush=True)
    links = folder / "osmbridge_links.json"
    result.e2e_run = _child("benchmarks.osmbridge_runner", str(folder / "city.json"), str(folder / "osm.osm"),
                            str(links), "--dataset", f"scale{city}x{osm}", "--max-distance-m", str(MAX_DISTANCE_M),
                            timeout_s=timeout_s)
    if not result.e2e_run.timed_out:
        result.e2e = json.loads(links.read_text(encoding="utf-8"))
        result.e2e_score = _score(result.e2e["links"], expected)

    if not run_conflate_here:
        result.conflate_note = skip_reason
    else:
        print(f"{city} x {osm}: conflate (limit {conflate_timeout_s:.0f} s)...", file=sys.stderr, flush=True)
        result.conflate = run_conflate(folder / "city.json", folder / "osm.osm", folder, kinds, MAX_DISTANCE_M,
                                       conflate_timeout_s)
        if result.conflate.measured.timed_out:
            result.conflate_note = f"did not finish in {conflate_timeout_s:.0f} s"
        else:
            result.conflate_score = _score(result.conflate.links, expected)
    # The files of the big sizes are large; keep only the small ones for inspection.
    if osm >= 1_000_000:
        for name in ("osm.osm", "city.json"):
            (folder / name).unlink(missing_ok=True)
    return result


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def render(rows: list[SizeResult], command: str, seed: int, conflate: str, conflate_timeout_s: float,
           load: str) -> tuple[str, bool]:
    """Return the markdown report and whether osmbridge met its scaling targets."""
    lines = [
        "## Scaling: synthetic city lists against synthetic OSM",
        "",
        f"Command: `{command}`  ",
        f"Run: {results.stamp()}, osmbridge {results.git_revision()}, osm-conflate {conflate}, seed {seed}, "
        f"max distance {MAX_DISTANCE_M:.0f} m, conflate time limit {conflate_timeout_s:.0f} s.  ",
        f"Machine: {results.machine()}; load average at the end {load}.",
        "",
        "osmbridge *match* = `match_places` alone on inputs already in memory (wall and CPU seconds); "
        "*peak* = the whole child process's peak RSS (inputs included; *inputs* = peak RSS before matching). "
        "*End to end* = a child process reading city.json and the .osm XML, matching and writing its links, "
        "for both tools (wall / CPU seconds). Conflate *match* = from reading OSM to \"Matched N points\" "
        "(CPU). *µs/(N log N)* = osmbridge match CPU / ((city + OSM) · log2(city + OSM)): flat when the "
        "cost grows as n log n. Speed-ups compare CPU seconds, steadier than wall time on a shared machine.",
        "",
        "| city × OSM | osmbridge match wall s | match CPU s | µs/(N log N) | peak GiB | inputs GiB | F1 | "
        "osmbridge end to end wall / CPU s | conflate end to end wall / CPU s | conflate match CPU s | "
        "conflate peak GiB | conflate F1 | speed-up end to end | speed-up match |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        n = r.city + r.osm
        m = r.match or {}
        per = m["match_cpu_s"] / (n * math.log2(n)) * 1e6 if m else None
        e2e = r.e2e_run if r.e2e_run and not r.e2e_run.timed_out else None
        theirs = r.conflate if r.conflate and not r.conflate.measured.timed_out else None
        conflate_cell = (f"{theirs.measured.wall_s:.2f} / {theirs.measured.cpu_s:.2f}" if theirs
                         else r.conflate_note or "-")
        lines.append(
            f"| {r.city:,} × {r.osm:,} | {_fmt(m.get('match_s'))} | {_fmt(m.get('match_cpu_s'))} | {_fmt(per, 3)} | "
            f"{_fmt(r.match_run.max_rss_bytes / GIB if m and r.match_run else None)} | "
            f"{_fmt(m['max_rss_inputs_bytes'] / GIB if m else None)} | {_fmt(m.get('f1'), 4)} | "
            f"{f'{e2e.wall_s:.2f} / {e2e.cpu_s:.2f}' if e2e else 'did not finish'} | {conflate_cell} | "
            f"{_fmt(theirs.match_cpu_s if theirs else None)} | "
            f"{_fmt(theirs.measured.max_rss_bytes / GIB if theirs else None)} | "
            f"{_fmt(r.conflate_score.f1 if r.conflate_score else None, 4)} | "
            f"{_times(_ratio(theirs.measured.cpu_s if theirs else None, e2e.cpu_s if e2e else None))} | "
            f"{_times(_ratio(theirs.match_cpu_s if theirs else None, m.get('match_cpu_s')))} |")

    ok = True
    verdicts: list[str] = []
    big = next((r for r in rows if (r.city, r.osm) == TARGET_SIZE), None)
    if big and big.match and big.match_run:
        fast = big.match["match_s"] <= TARGET_S
        small = big.match_run.max_rss_bytes <= TARGET_RSS_BYTES
        ok &= fast and small
        verdicts.append(f"- 100k × 1M: {'PASS' if fast else '**FAIL**'} match {big.match['match_s']:.1f} s wall "
                        f"({big.match['match_cpu_s']:.1f} s CPU) <= {TARGET_S:.0f} s; {'PASS' if small else '**FAIL**'} "
                        f"peak {big.match_run.max_rss_bytes / GIB:.2f} GiB <= 4 GiB")
    else:
        ok = False
        verdicts.append("- 100k × 1M: **FAIL** not measured (not in --sizes, or osmbridge did not finish)")
    per_size = [(r.city + r.osm, r.match["match_cpu_s"]) for r in rows if r.match]
    if len(per_size) >= 2:
        (n0, t0), (n1, t1) = min(per_size), max(per_size)
        exponent = math.log(t1 / t0) / math.log(n1 / n0) if t0 > 0 and n1 > n0 else math.nan
        nlogn = math.log((n1 * math.log(n1)) / (n0 * math.log(n0))) / math.log(n1 / n0) if n1 > n0 else math.nan
        verdicts.append(f"- growth: match CPU × {t1 / t0:.0f} for inputs × {n1 / n0:.0f}: empirical exponent "
                        f"{exponent:.2f} (n log n would give {nlogn:.2f} over this range, n² 2.00)")
    mid = next((r for r in rows if (r.city, r.osm) == SPEEDUP_SIZE), None)
    if mid and mid.conflate and not mid.conflate.measured.timed_out and mid.e2e_run and mid.match:
        conflate_match = mid.conflate.match_cpu_s or math.nan
        match_ratio = conflate_match / mid.match["match_cpu_s"]
        e2e = mid.conflate.measured.cpu_s / mid.e2e_run.cpu_s
        wall = mid.conflate.measured.wall_s / mid.e2e_run.wall_s
        reading = mid.e2e["phase_s"]["read_osm"] if mid.e2e else math.nan
        for ratio, what in ((match_ratio, f"matching: conflate {conflate_match:.1f} s vs osmbridge "
                                          f"{mid.match['match_cpu_s']:.2f} s CPU"),
                            (e2e, f"end to end: conflate {mid.conflate.measured.cpu_s:.1f} s vs osmbridge "
                                  f"{mid.e2e_run.cpu_s:.1f} s CPU ({wall:.1f}× in wall time; osmbridge spent "
                                  f"{reading:.1f} s wall reading the .osm file)")):
            fast = ratio >= TARGET_SPEEDUP
            ok &= fast
            verdicts.append(f"- 10k × 100k: {'PASS' if fast else '**FAIL**'} osmbridge {ratio:.1f}× faster than "
                            f"conflate (>= {TARGET_SPEEDUP:.0f}×), {what}")
    elif mid and mid.conflate_note:
        verdicts.append(f"- 10k × 100k: conflate {mid.conflate_note}; osmbridge end to end "
                        f"{_fmt(mid.e2e_run.wall_s if mid.e2e_run else None)} s")
    lines += ["", "Targets:", "", *verdicts, ""]
    return "\n".join(lines) + "\n", ok


def _times(ratio: float | None) -> str:
    return f"{ratio:.1f}×" if ratio else "-"


def main(argv: list[str] | None = None) -> int:
    """Run the scaling benchmark, print the table, and write it to RESULTS.md."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="CITYxOSM,... (default %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout-s", type=float, default=1800.0, help="per osmbridge child")
    parser.add_argument("--conflate-timeout-s", type=float, default=600.0)
    parser.add_argument("--no-conflate", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    try:
        sizes = sorted((int(c), int(o)) for c, o in (s.split("x") for s in args.sizes.split(",")))
    except ValueError:
        parser.error(f"--sizes: expected CITYxOSM,... e.g. 1000x10000, got {args.sizes!r}")
    rows: list[SizeResult] = []
    too_big: tuple[int, int] | None = None  # the smallest size conflate could not finish
    for city, osm in sorted(sizes, key=lambda s: (s[0] + s[1], s)):
        skip = args.no_conflate or (too_big is not None and city >= too_big[0] and osm >= too_big[1])
        reason = "not run (--no-conflate)" if args.no_conflate else (
            f"skipped: {too_big[0]:,} × {too_big[1]:,} exceeded the limit" if too_big else "")
        row = run_size(city, osm, args.seed, args.timeout_s, args.conflate_timeout_s, not skip, reason)
        if row.conflate and row.conflate.measured.timed_out:
            too_big = (city, osm) if too_big is None else min(too_big, (city, osm))
        rows.append(row)
    report, ok = render(rows, results.command_line("benchmarks.run_scaling", argv), args.seed,
                        conflate_version() if not args.no_conflate else "not run", args.conflate_timeout_s,
                        results.load_average())
    print(report)
    if not args.no_write:
        results.write_section("scaling", report)
        print(f"wrote {results.RESULTS}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
