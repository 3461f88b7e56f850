"""`osmbridge notes`: the OSM notes near a dataset's places, and publishing needs-survey items as notes."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from osmbridge.errors import OsmbridgeError


def add_notes_parser(commands: Any) -> None:
    """Register `osmbridge notes` and its actions on the CLI's subcommands."""
    notes = commands.add_parser(
        "notes", help="OSM notes: list those near a dataset's places, publish needs-survey items as notes",
        epilog="Examples: osmbridge notes list --config config.toml --dataset nantes-equipements --open\n"
               "          osmbridge notes publish 3f2a9c0d1e2b4a5f --config config.toml --author anne",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = notes.add_subparsers(dest="notes_action", required=True, metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    listing = actions.add_parser(
        "list", parents=[common], help="the notes the last runs found near the places, or an item follows",
        epilog="Example: osmbridge notes list --config config.toml --dataset nantes-equipements --open")
    listing.add_argument("--dataset", required=True, help="the dataset")
    listing.add_argument("--item", help="only the notes next to this item's place, or that it follows")
    listing.add_argument("--open", action="store_true", help="only open notes")
    publish = actions.add_parser(
        "publish", parents=[common],
        help="publish needs-survey items as OSM notes (or follow the open note near each); needs a token with "
             "write_notes and [datasets.X.osm_notes] publish = true",
        epilog="Example: osmbridge notes publish 3f2a9c0d1e2b4a5f --config config.toml --author anne")
    publish.add_argument("items", nargs="+", metavar="ITEM", help="item ids (the difference id)")
    publish.add_argument("--author", required=True, help="who asks (kept in the audit log)")


def run_notes_command(args: argparse.Namespace) -> int:
    """Run `osmbridge notes ACTION`; return the exit code."""
    from osmbridge.config import load_config
    from osmbridge.store import Store

    config = load_config(args.config, os.environ)
    store = Store(config.store_url)
    try:
        if args.notes_action == "list":
            return _list(store, config.dataset(args.dataset).name, args.item, args.open)
        return _publish(store, config, args.items, args.author)
    finally:
        store.close()


def _list(store: Any, dataset: str, item_id: str | None, only_open: bool) -> int:
    from osmbridge.report.links import note_url

    if item_id is not None:
        item = store.review_item(item_id)
        known = store.osm_notes(dataset, source_id=item.difference.source_id, osm_key=item.difference.osm_key,
                                item_id=item_id)
    else:
        known = store.osm_notes(dataset)
    shown = [k for k in known if k.note.status == "open" or not only_open]
    for k in shown:
        place = " ".join(part for part in (k.place_name, k.source_id, k.osm_key) if part) or "-"
        concern = f" {k.concern}: {k.keyword!r}" if k.concern else ""
        followed = f" followed by {', '.join(link.item_id for link in k.links)}" if k.links else ""
        print(f"{k.note.id:>10}  {k.note.status:<6}  {k.note.created_at[:10]}  {place}{concern}{followed}  "
              f"{note_url(k.note.id)}")
        print(f"{'':>12}{' '.join(k.note.text.split())[:150]}")
    if not shown:
        print("no OSM notes known" + (" open" if only_open else "") + f" for {dataset} "
              "(a run reads them when [datasets.X.osm_notes] read = true)")
    return 0


def _publish(store: Any, config: Any, item_ids: list[str], author: str) -> int:
    from osmbridge.osm_notes.client import notes_api
    from osmbridge.osm_notes.publish import publish_item_note
    from osmbridge.report.links import note_url

    failed = 0
    clients: dict[str, Any] = {}
    for item_id in item_ids:
        item = store.review_item(item_id)
        dataset = config.dataset(item.dataset)
        try:
            api = clients.get(dataset.name) or notes_api(dataset.osm_notes.api, signed=True)
            clients[dataset.name] = api
            published = publish_item_note(store, api, dataset.osm_notes, item_id, author=author,
                                          now=datetime.now(UTC), title=dataset.title,
                                          city_url_template=dataset.city_url_template)
        except OsmbridgeError as error:
            if len(item_ids) == 1:
                raise
            print(f"{item_id}: not published: {error}")
            failed += 1
            continue
        how = ("already follows the open note" if published.already else
               "published as the note" if published.origin == "created" else "now follows the open note nearby")
        print(f"{item_id}: {how} {published.note.id} {note_url(published.note.id)}")
    return 1 if failed else 0
