"""Quality benchmark: osmbridge vs OSM Conflator on city lists derived from real OSM extracts.

    .venv/bin/python -m benchmarks.run_quality [--seeds 5] [--sets paris-9e,helsinki,poland-police]
        [--models base,hard] [--before REV]

For each real extract, noise model and seed, perturbs its named public-service features into a city
list (benchmarks/synthetic.py), runs the tools on the same files, scores their links against the
truth and prints precision, recall, F1 and wall time side by side; rewrites the "quality" section
of benchmarks/RESULTS.md unless --no-write. With --before REV, osmbridge as it was at git revision
REV runs too, on the same files in the same run ("before").
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import subprocess
import sys
import tarfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmarks import results
from benchmarks.city_io import write_city_json
from benchmarks.conflate_runner import conflate_version, run_conflate
from benchmarks.datasets import PUBLIC_SERVICE_FILTERS, REAL_SETS, RealSet, kind_of, place_kind
from benchmarks.measure import Measured, run_measured
from benchmarks.osm_input import read_places
from benchmarks.osm_xml import write_osm_xml
from benchmarks.synthetic import HARD, CityRecord, NoiseModel, SyntheticSet, perturb
from benchmarks.truth import TWIN_LABEL, Failure, Score, evaluate, failure_breakdown, twin_keys

WORK = Path(__file__).resolve().parent / "work"
MODELS: dict[str, NoiseModel] = {"base": NoiseModel(), "hard": HARD}
BEFORE = "osmbridge before"
TARGET_F1 = 0.97
TARGET_PRECISION = 0.99
MAX_FAILURES_SHOWN = 60


@dataclass
class ToolTotals:
    """One tool's results on one set, summed over seeds."""

    score: Score = field(default_factory=Score)
    wall_s: float = 0.0
    cpu_s: float = 0.0
    match_cpu_s: float = 0.0
    max_rss_bytes: int = 0
    runs: int = 0
    status: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[Failure, SyntheticSet, str]] = field(default_factory=list)  # with the tool's reason


def default_data_dir() -> Path:
    """The real data sets: $OSMBRIDGE_DATA, else ../shared/data beside the checkout."""
    return Path(os.environ.get("OSMBRIDGE_DATA", results.ROOT.parent / "shared" / "data"))


def before_source(revision: str) -> Path:
    """Return a folder holding the osmbridge package as it was at `revision` (extracted once with git archive)."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=results.ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    folder = WORK / f"osmbridge-{commit}"
    if not (folder / "osmbridge").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit, "osmbridge"], cwd=results.ROOT, capture_output=True,
                                 check=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(folder, filter="data")
    return folder


def run_osmbridge(synthetic: SyntheticSet, city: Path, osm: Path, workdir: Path, timeout_s: float,
                  source: Path | None = None) -> tuple[dict, Measured]:
    """Run osmbridge on the set's files in a child process (its package from `source` when given)."""
    out = workdir / ("osmbridge_links.json" if source is None else "osmbridge_before_links.json")
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks.osmbridge_runner", str(city), str(osm), str(out),
               "--dataset", synthetic.name, "--max-distance-m", str(synthetic.max_distance_m)]
    env, cwd = None, results.ROOT
    if source is not None:
        # Run from the old package's folder: Python looks in the working directory first.
        env, cwd = dict(os.environ, PYTHONPATH=os.pathsep.join((str(source), str(results.ROOT)))), source
    measured = run_measured(command, timeout_s, cwd=cwd, env=env)
    if measured.returncode != 0:
        raise RuntimeError(f"osmbridge failed on {synthetic.name} (exit {measured.returncode}):\n{measured.stderr[-4000:]}")
    return json.loads(out.read_text(encoding="utf-8")), measured


def run_set(real: RealSet, data_dir: Path, seeds: list[int], model_name: str, timeout_s: float,
            before: Path | None = None) -> tuple[dict[str, ToolTotals], list[CityRecord], int, int, str]:
    """Run the tools on every seed of one set; return their totals, all records, sizes and the reader."""
    model = MODELS[model_name]
    osm_places, reader = read_places(real.path(data_dir), PUBLIC_SERVICE_FILTERS)
    twins = twin_keys(osm_places, place_kind, real.max_distance_m)
    totals = {"osmbridge": ToolTotals(), "conflate": ToolTotals()}
    if before is not None:
        totals[BEFORE] = ToolTotals()
    all_records: list[CityRecord] = []
    osm_sizes = 0
    for seed in seeds:
        synthetic = perturb(real.name, osm_places, place_kind, real.max_distance_m, real.language, seed, model,
                            real.confusable_kinds)
        synthetic = replace(synthetic, city=tuple(
            replace(r, perturbations=r.perturbations + (TWIN_LABEL,)) if r.origin_key in twins else r
            for r in synthetic.city))
        workdir = WORK / "quality" / real.name / model_name / f"seed-{seed}"
        workdir.mkdir(parents=True, exist_ok=True)
        city, osm = workdir / "city.json", workdir / "osm.osm"
        write_city_json(synthetic.city, city)
        write_osm_xml(synthetic.osm, osm)
        all_records += synthetic.city
        osm_sizes += len(synthetic.osm)

        ours, measured = run_osmbridge(synthetic, city, osm, workdir, timeout_s)
        _add(totals["osmbridge"], synthetic, ours["links"], measured, ours["match_cpu_s"], ours["unlinked"])
        totals["osmbridge"].status.update(ours["status"])
        reader = ours["reader"]
        if before is not None:
            old, measured = run_osmbridge(synthetic, city, osm, workdir, timeout_s, before)
            _add(totals[BEFORE], synthetic, old["links"], measured, old["match_cpu_s"], old["unlinked"])
            totals[BEFORE].status.update(old["status"])

        theirs = run_conflate(city, osm, workdir, synthetic.kinds, real.max_distance_m, timeout_s)
        if theirs.measured.timed_out:
            raise RuntimeError(f"conflate did not finish {real.name} seed {seed} within {timeout_s:.0f} s")
        _add(totals["conflate"], synthetic, theirs.links, theirs.measured,
             theirs.match_cpu_s if theirs.match_cpu_s is not None else math.nan)
    return totals, all_records, len(osm_places), round(osm_sizes / len(seeds)), reader


def _add(totals: ToolTotals, synthetic: SyntheticSet, links: dict[str, str | None], measured: Measured,
         match_cpu_s: float, unlinked: dict[str, dict] | None = None) -> None:
    evaluation = evaluate(synthetic.city, synthetic.expected, links)
    totals.score = totals.score + evaluation.score
    totals.wall_s += measured.wall_s
    totals.cpu_s += measured.cpu_s
    totals.match_cpu_s += match_cpu_s
    totals.max_rss_bytes = max(totals.max_rss_bytes, measured.max_rss_bytes)
    totals.runs += 1
    unlinked = unlinked or {}
    totals.failures += [(f, synthetic, _reason(unlinked.get(f.source_id))) for f in evaluation.failures]


def _reason(unlinked: dict | None) -> str:
    if not unlinked:
        return ""
    candidates = ", ".join(unlinked["candidates"][:3])
    return f"{unlinked['status']}" + (f" ({candidates})" if candidates else "")


def _failure_line(failure: Failure, synthetic: SyntheticSet, reason: str) -> str:
    osm = {p.key: p for p in synthetic.osm}
    record = next(r for r in synthetic.city if r.source_id == failure.source_id)

    def describe(key: str | None) -> str:
        if key is None:
            return "-"
        place = osm.get(key)
        name = place.tags.get("name", "(no name)") if place else "(not in OSM)"
        kind = kind_of(place.tags) if place else None
        return f"{key} {name!r} {kind[0] + '=' + kind[1] if kind else ''}".rstrip()

    origin = osm.get(record.origin_key)
    origin_name = origin.tags.get("name") if origin else "(removed from OSM)"
    return (f"| {synthetic.name} | {failure.kind} | {record.name!r} ({record.kind[1]}) | {origin_name!r} | "
            f"{describe(failure.linked) if failure.linked else reason or '-'} | "
            f"{', '.join(failure.perturbations) or 'clean'} |")


@dataclass
class SetRun:
    """One set under one noise model: the tools' totals and the records they saw."""

    real: RealSet
    model: str
    totals: dict[str, ToolTotals]
    records: list[CityRecord]
    osm_mean: int

    @property
    def label(self) -> str:
        return self.real.name if self.model == "base" else f"{self.real.name} ({self.model})"


def render(runs: list[SetRun], seeds: list[int], command: str, reader: str, conflate: str, load: str,
           before: str | None) -> tuple[str, bool]:
    """Return the markdown report and whether osmbridge met every quality target."""
    lines = [
        "## Quality: perturbed real extracts",
        "",
        f"Command: `{command}`  ",
        f"Run: {results.stamp()}, osmbridge {results.git_revision()}"
        + (f" (before: osmbridge {before})" if before else "") + f", osm-conflate {conflate}, "
        f"OSM read by {reader}.  ",
        f"Machine: {results.machine()}; load average {load}.  ",
        f"Seeds: {', '.join(map(str, seeds))} (figures summed over seeds). Each tool runs in a child process: "
        "interpreter start, reading both files, matching, writing its links; *wall* and *CPU* are that "
        "process's means per run, *match CPU* the matching step alone (conflate: from reading OSM to "
        "\"Matched N points\", kd-tree build included). Sets marked *(hard)* add to the base noise model the "
        "variations of `HARD` in benchmarks/synthetic.py (shortened words no table lists, two slips in short "
        "names, offsets of 60-150 m, renamed places); the base draws are the same."
        + (f" *{BEFORE}* is the matcher at {before}, run on the same files." if before else ""),
        "",
    ]
    if before:
        lines += ["| set | F1 before | F1 after | precision before | precision after | missed before | missed after | "
                  "ambiguous before | ambiguous after |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for run in runs:
            old, new = run.totals[BEFORE], run.totals["osmbridge"]
            lines.append(f"| {run.label} | {old.score.f1:.4f} | **{new.score.f1:.4f}** | {old.score.precision:.4f} | "
                         f"{new.score.precision:.4f} | {old.score.missed} | {new.score.missed} | "
                         f"{old.status.get('ambiguous', 0)} | {new.status.get('ambiguous', 0)} |")
        lines.append("")
    lines += [
        "| set | max dist. | city records | OSM features | tool | precision | recall | F1 | wrong links | "
        "missed | left ambiguous | wall s/run | CPU s/run | match CPU s/run | peak RSS MiB |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    verdicts: list[str] = []
    all_ok = True
    for run in runs:
        real = run.real
        for tool in ("osmbridge", BEFORE, "conflate"):
            if tool not in run.totals:
                continue
            t = run.totals[tool]
            s = t.score
            ambiguous = t.status.get("ambiguous", 0) if tool != "conflate" else "n/a"
            lines.append(
                f"| {run.label} | {real.max_distance_m:.0f} m | {len(run.records)} | {run.osm_mean}/seed | {tool} | "
                f"{s.precision:.4f} | {s.recall:.4f} | **{s.f1:.4f}** | {s.wrong} | {s.missed} | {ambiguous} | "
                f"{t.wall_s / t.runs:.2f} | {t.cpu_s / t.runs:.2f} | {t.match_cpu_s / t.runs:.3f} | "
                f"{t.max_rss_bytes / 2**20:.0f} |")
        ours, theirs = run.totals["osmbridge"].score, run.totals["conflate"].score
        checks = [(ours.f1 >= TARGET_F1, f"F1 {ours.f1:.4f} >= {TARGET_F1}"),
                  (ours.f1 > theirs.f1, f"F1 {ours.f1:.4f} > conflate {theirs.f1:.4f}"),
                  (ours.precision >= TARGET_PRECISION, f"precision {ours.precision:.4f} >= {TARGET_PRECISION}")]
        if BEFORE in run.totals:
            old = run.totals[BEFORE].score
            checks.append((ours.f1 >= old.f1, f"F1 {ours.f1:.4f} >= before {old.f1:.4f}"))
        for ok, text in checks:
            all_ok &= ok
            verdicts.append(f"- {run.label}: {'PASS' if ok else '**FAIL**'} {text}")
    lines += ["", "Targets (osmbridge, per set):", "", *verdicts, ""]

    tools = [tool for tool in ("osmbridge", BEFORE, "conflate") if all(tool in run.totals for run in runs)]
    lines += ["### Errors by perturbation (all sets and seeds)", "",
              "A record counts under every perturbation it went through; \"clean\" = none; "
              f"\"{TWIN_LABEL}\" = its origin has an OSM feature of the same type with the same name or no "
              "name within the max distance (a place mapped twice in the real extract, e.g. a named node and "
              "its unnamed building: a link to the twin counts as wrong). "
              "wrong = linked to another feature, false = linked although its origin was removed, "
              "missed = left unlinked although its origin is in OSM.", "",
              "| perturbation | records | " + " | ".join(f"{tool} {what}" for tool in tools
                                                      for what in ("wrong", "false", "missed")) + " |",
              "|---|---:|" + "---:|" * (3 * len(tools))]
    everything = [r for run in runs for r in run.records]
    rows = {tool: {label: (count, c) for label, count, c in failure_breakdown(
        everything, [f for run in runs for f, _, _ in run.totals[tool].failures])} for tool in tools}
    for label, (count, _) in rows["osmbridge"].items():
        cells = []
        for tool in tools:
            errors = rows[tool].get(label, (0, Counter()))[1]
            cells += [str(errors["wrong_link"]), str(errors["false_link"]), str(errors["missed"])]
        lines.append(f"| {label} | {count} | " + " | ".join(cells) + " |")

    failures = [item for run in runs for item in run.totals["osmbridge"].failures]
    statuses = Counter(reason.split(" ")[0] for f, _, reason in failures if f.kind == "missed")
    lines += ["", f"### osmbridge's failure cases ({len(failures)}; up to {MAX_FAILURES_SHOWN} shown)", "",
              "Misses by osmbridge status: " + (", ".join(f"{s} {n}" for s, n in statuses.most_common()) or "none")
              + ". For a miss, the last column but one gives osmbridge's status and the candidates it offered.", "",
              "| set | error | city record (type) | its origin in OSM | osmbridge linked to / status | perturbations |",
              "|---|---|---|---|---|---|"]
    lines += [_failure_line(*item) for item in failures[:MAX_FAILURES_SHOWN]]
    return "\n".join(lines) + "\n", all_ok


def main(argv: list[str] | None = None) -> int:
    """Run the quality benchmark, print the table, and write it to RESULTS.md."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default $OSMBRIDGE_DATA or ../shared/data)")
    parser.add_argument("--seeds", type=int, default=10, help="perturbations per set (seeds 1..N)")
    parser.add_argument("--sets", default=",".join(s.name for s in REAL_SETS))
    parser.add_argument("--models", default="base,hard", help=f"noise models, among {', '.join(MODELS)}")
    parser.add_argument("--before", metavar="REV", help="also run osmbridge as it was at this git revision")
    parser.add_argument("--timeout-s", type=float, default=600.0, help="per tool run")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    data_dir = args.data or default_data_dir()
    wanted = args.sets.split(",")
    unknown = set(wanted) - {s.name for s in REAL_SETS}
    if unknown:
        parser.error(f"unknown set(s) {', '.join(sorted(unknown))}; known: {', '.join(s.name for s in REAL_SETS)}")
    models = args.models.split(",")
    if set(models) - set(MODELS):
        parser.error(f"unknown model(s) {', '.join(sorted(set(models) - set(MODELS)))}; known: {', '.join(MODELS)}")
    before = before_source(args.before) if args.before else None
    seeds = list(range(1, args.seeds + 1))
    runs: list[SetRun] = []
    reader = ""
    for real in (s for s in REAL_SETS if s.name in wanted):
        if not real.path(data_dir).exists():
            print(f"missing data set {real.path(data_dir)} (set OSMBRIDGE_DATA)", file=sys.stderr)
            return 2
        for model in models:
            print(f"{real.name} ({model}): {len(seeds)} seeds...", file=sys.stderr, flush=True)
            totals, records, _, osm_mean, reader = run_set(real, data_dir, seeds, model, args.timeout_s, before)
            runs.append(SetRun(real, model, totals, records, osm_mean))
    report, ok = render(runs, seeds, results.command_line("benchmarks.run_quality", argv), reader,
                        conflate_version(), results.load_average(), before.name.removeprefix("osmbridge-") if before else None)
    print(report)
    if not args.no_write:
        results.write_section("quality", report)
        print(f"wrote {results.RESULTS}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
