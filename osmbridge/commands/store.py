"""`osmbridge store status|upgrade`: where the state store's schema stands, and bringing it to this version."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any


def add_store_parser(commands: Any) -> None:
    """Register `osmbridge store` on the CLI's subcommands."""
    store = commands.add_parser(
        "store", help="show or upgrade the state store's schema (opening a store also upgrades it)",
        epilog="Examples: osmbridge store status --config config.toml\n"
               "          osmbridge store upgrade --config config.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = store.add_subparsers(dest="store_action", required=True, metavar="ACTION")
    for name, text in (("status", "print the store's schema revision and the revisions still to apply"),
                       ("upgrade", "apply the pending revisions now (a SQLite file is copied first)")):
        action = actions.add_parser(name, help=text, epilog=f"Example: osmbridge store {name} --config config.toml")
        action.add_argument("--config", type=Path, default=Path("config.toml"),
                            help="config file (default: config.toml)")


def run_store_command(args: argparse.Namespace) -> int:
    """Print the status of the configured store, or upgrade it; return the exit code."""
    from osmbridge.config import load_config
    from osmbridge.store.engine import open_engine, redact_url
    from osmbridge.store.schema import ensure_schema, schema_status

    config = load_config(args.config, os.environ)
    engine = open_engine(config.store_url)
    try:
        if args.store_action == "upgrade":
            done = ensure_schema(engine)
            print(f"{redact_url(config.store_url)}: {done or 'already up to date'} "
                  f"(revision {schema_status(engine).head})")
            return 0
        status = schema_status(engine)
        where = "empty" if status.empty else (status.current or "made before migrations")
        print(f"{redact_url(config.store_url)}: revision {where}; this osmbridge: {status.head}")
        if not status.up_to_date:
            print(f"pending: {', '.join(status.pending)} (applied by `osmbridge store upgrade` or the next run)")
        return 0
    finally:
        engine.dispose()
