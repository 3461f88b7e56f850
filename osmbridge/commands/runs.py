"""`osmbridge runs` and `osmbridge runs show N`: the run history, from the state store."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osmbridge.errors import OsmbridgeError

if TYPE_CHECKING:
    from osmbridge.store import DatasetRunRecord, RunRecord


def add_runs_parser(commands: Any) -> None:
    """Register `osmbridge runs` on the CLI's subcommands."""
    runs = commands.add_parser(
        "runs", help="list the recent runs (status, duration, counts, errors), or show one run's steps",
        epilog="Examples: osmbridge runs --config config.toml --limit 10\n"
               "          osmbridge runs show 12 --config config.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    runs.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    runs.add_argument("--dataset", help="only the runs of this dataset")
    runs.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    runs.add_argument("action", nargs="?", choices=["show"], help="show: one run in detail")
    runs.add_argument("run_id", nargs="?", type=int, help="with show: the run's number")


def run_runs_command(args: argparse.Namespace) -> int:
    """Print the history, or one run; return the exit code."""
    from osmbridge.config import load_config
    from osmbridge.store import Store

    if args.action == "show" and args.run_id is None:
        raise OsmbridgeError("osmbridge runs show needs the run's number, as `osmbridge runs` lists it")
    config = load_config(args.config, os.environ)
    store = Store(config.store_url)
    try:
        if args.action == "show":
            record = store.run_detail(args.run_id)
            if record is None:
                raise OsmbridgeError(f"there is no run {args.run_id} in the state store; `osmbridge runs` lists them")
            print(describe_run(record))
            return 0
        records = store.run_history(limit=args.limit, dataset=args.dataset)
    finally:
        store.close()
    if not records:
        print("no runs yet")
        return 0
    print(f"{'run':>5}  {'started (UTC)':<25}  {'took':>7}  {'trigger':<9}  {'status':<11}  datasets")
    for record in records:
        datasets = "; ".join(_dataset_line(d) for d in record.datasets) or record.message
        print(f"{record.id:>5}  {record.started_at:<25}  {_duration(record.duration_s):>7}  {record.trigger:<9}  "
              f"{record.status:<11}  {datasets}")
    return 0


def describe_run(record: RunRecord) -> str:
    """Several lines on one run: how it ended, each dataset, each step."""
    who = f", process {record.pid} on {record.host}" if record.host else ""
    lines = [f"run {record.id}: {record.status}, started by {record.trigger} at {record.started_at}"
             f"{' ended ' + record.finished_at if record.finished_at else ''} ({_duration(record.duration_s)}){who}"]
    if record.message:
        lines.append(f"  {record.message}")
    for dataset in record.datasets:
        lines.append(f"  {_dataset_line(dataset)}{' -> ' + dataset.report_dir if dataset.report_dir else ''}")
        for step in dataset.steps:
            count = "" if step.count is None else str(step.count)
            error = f"  {step.error}" if step.error else ""
            lines.append(f"    {step.step:<8} {step.started_at:<25} {_duration(step.duration_s):>7} {count:>8}  "
                         f"{step.status}{error}")
    return "\n".join(lines)


def _dataset_line(dataset: DatasetRunRecord) -> str:
    if dataset.status == "ok":
        return (f"{dataset.dataset} ok ({dataset.city_places} city, {dataset.osm_places} OSM, {dataset.matched} "
                f"matched, {dataset.differences} differences)")
    return f"{dataset.dataset} {dataset.status}{': ' + dataset.error if dataset.error else ''}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}m"
