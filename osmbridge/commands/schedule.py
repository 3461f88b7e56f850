"""`osmbridge schedule`: the scheduler alone, in the foreground, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Any

from osmbridge.errors import OsmbridgeError

log = logging.getLogger(__name__)


def add_schedule_parser(commands: Any) -> None:
    """Register `osmbridge schedule` on the CLI's subcommands."""
    schedule = commands.add_parser(
        "schedule", help="run each dataset on its [datasets.X.schedule] cron until stopped (SIGTERM, Ctrl-C)",
        epilog="Example: osmbridge schedule --config config.toml   (deploy/osmbridge-schedule.service runs it)")
    schedule.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")


def run_schedule_command(args: argparse.Namespace) -> int:
    """Run the scheduler until a signal; return 0 after a clean stop."""
    from osmbridge.config import load_config
    from osmbridge.schedule import start_scheduler
    from osmbridge.service.interrupt import StopRequest, signals_request_stop

    config = load_config(args.config, os.environ)
    scheduled = sorted(name for name, dataset in config.datasets.items() if dataset.schedule)
    if not scheduled:
        raise OsmbridgeError(f"{args.config}: no dataset has a [datasets.NAME.schedule] table with a cron; "
                             "add one, e.g. cron = \"30 2 * * *\"")
    stop = StopRequest()
    with signals_request_stop(stop):
        scheduler = start_scheduler(config)
        try:
            log.info("scheduler: %s scheduled; stop with SIGTERM or Ctrl-C", ", ".join(scheduled))
            while not stop.wait(3600):
                pass
            log.info("scheduler: stopping (%s); running datasets end at their next step", stop.reason)
        finally:
            scheduler.stop()
    return 0
