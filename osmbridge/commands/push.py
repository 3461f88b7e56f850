"""`osmbridge push` (accepted items to OSM and to the city) and `osmbridge osm login` (an OAuth2 token)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any


def add_push_parsers(commands: Any) -> None:
    """Register `osmbridge push` and `osmbridge osm login` on the CLI's subcommands."""
    push = commands.add_parser(
        "push", help="send what reviewers accepted to OSM (API 0.6) and into the city's data, if the licences allow",
        epilog="Examples: osmbridge push --dataset nantes-equipements --dry-run\n"
               "          osmbridge push --dataset nantes-equipements --to osm\n"
               "          osmbridge push --dataset nantes-equipements --to city",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    push.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    push.add_argument("--dataset", required=True, help="the dataset whose accepted items to push")
    push.add_argument("--to", choices=("osm", "city", "both"), default="both",
                      help="which side receives: osm, city or both (default both)")
    push.add_argument("--dry-run", action="store_true",
                      help="write the .osc files, the changeset tags and a preview of the city's data; send and "
                           "change nothing")
    push.add_argument("--out", type=Path, help="with --dry-run: folder for the .osc files "
                                               "(default: <reports>/<dataset>/push/dry-run)")

    osm = commands.add_parser("osm", help="OSM account tools",
                              epilog="Example: osmbridge osm login --config config.toml   (needs [osm_api] client_id)")
    actions = osm.add_subparsers(dest="osm_action", required=True, metavar="ACTION")
    login = actions.add_parser(
        "login", help="get an OAuth2 token for the configured OSM server (authorization code + PKCE)",
        epilog="Example: osmbridge osm login --config config.toml   (needs [osm_api] client_id)")
    login.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")


def run_push_command(args: argparse.Namespace) -> int:
    """Push one dataset and print what happened; exit 1 when a direction failed."""
    from osmbridge.config import load_config
    from osmbridge.push.report import describe_summary
    from osmbridge.push.run import Target, push_dataset

    config = load_config(args.config, os.environ)
    targets: tuple[Target, ...] = ("osm", "city") if args.to == "both" else (args.to,)
    summary = push_dataset(config, args.dataset, targets=targets, dry_run=args.dry_run, out_dir=args.out)
    print(describe_summary(summary))
    return 0 if summary.ok else 1


def run_osm_command(args: argparse.Namespace) -> int:
    """`osmbridge osm login`: show the authorization URL, read the code, store the token (0600)."""
    from osmbridge.config import load_config
    from osmbridge.errors import OsmbridgeError
    from osmbridge.push.auth import SCOPES, login

    config = load_config(args.config, os.environ)
    api = config.osm_api
    if not api.client_id:
        raise OsmbridgeError(f"{args.config}: set [osm_api] client_id to the OAuth2 application registered on "
                             f"{api.auth_url} (My Settings > OAuth 2 applications; redirect URI {api.redirect_uri}, "
                             f"scopes {SCOPES}: the login asks for each of them)")
    path, user = login(api.auth_url, api.url, api.client_id, api.token_file, read_code=input, show=print,
                       redirect_uri=api.redirect_uri)
    print(f"Token for {user} saved in {path} (readable by you only). osmbridge push will use it.")
    return 0
