"""`osmbridge review ...`: list, show and decide review items from the command line (scriptable).

Every decision goes through the same store operations as the web app (`Store.decide_many`), so it
is checked, signed with --author and logged the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from osmbridge.errors import OsmbridgeError

if TYPE_CHECKING:
    from osmbridge.review import ItemFilter, ReviewAction, ReviewItem
    from osmbridge.store import Store

_STATES = ("open", "accepted", "edited", "rejected", "deferred", "needs_survey", "stale", "match_decided", "pushed",
           "resolved")
_KINDS = ("differs", "minor", "only_city", "only_osm", "position", "lifecycle", "missing_in_osm", "missing_in_city",
          "ambiguous", "duplicate", "survey_exists", "survey_closed", "survey_moved", "survey_value", "osm_note",
          "producers_disagree")
_PROPOSALS = ("to_osm", "to_city", "conflict", "disagreement", "review")
_SIDES = ("city", "osm", "both", "none", "unknown")
_DECISIONS = {
    "accept": "send the proposed value to OSM or to the city (--to)",
    "edit": "send a value you type (--value) to OSM or to the city (--to)",
    "reject": "leave both sides as they are; --reason is required",
    "defer": "leave it for later",
    "survey": "someone must look on the ground",
    "reopen": "undo a decision that was not pushed yet",
    "same": "the city record and the OSM object are the same place (sticky match decision)",
    "not-same": "the city record and the OSM object are different places (sticky match decision)",
    "no-counterpart": "the city record has no OSM counterpart (sticky match decision)",
    "choose": "settle an ambiguous or duplicate item: this candidate is the one, the others are not",
}
_EXAMPLES = {
    "accept": "osmbridge review accept 3f2a9c0d1e2b4a5f --to osm --author anne",
    "edit": "osmbridge review edit 3f2a9c0d1e2b4a5f --to city --value '+33 2 40 41 95 95' --author carla",
    "reject": "osmbridge review reject 3f2a9c0d1e2b4a5f --reason 'the switchboard, not the library' --author anne",
    "defer": "osmbridge review defer 3f2a9c0d1e2b4a5f --reason 'asking the library' --author anne",
    "survey": "osmbridge review survey 3f2a9c0d1e2b4a5f --reason 'is it still open?' --author anne",
    "reopen": "osmbridge review reopen 3f2a9c0d1e2b4a5f --author anne",
    "same": "osmbridge review same 3f2a9c0d1e2b4a5f --osm w5678 --author anne",
    "not-same": "osmbridge review not-same 3f2a9c0d1e2b4a5f --author anne",
    "no-counterpart": "osmbridge review no-counterpart 3f2a9c0d1e2b4a5f --author anne",
    "choose": "osmbridge review choose 3f2a9c0d1e2b4a5f --osm n42 --author anne",
}


def add_review_parser(commands: Any) -> None:
    """Register `osmbridge review` and its actions on the CLI's subcommands."""
    review = commands.add_parser(
        "review", help="list, show and decide the differences under review (what the web app does, scriptable)",
        epilog="Examples: osmbridge review list --dataset nantes-equipements --direction to_osm --state open\n"
               "          osmbridge review show 3f2a9c0d1e2b4a5f --lang fr\n"
               "          osmbridge review accept 3f2a9c0d1e2b4a5f --to osm --author anne\n"
               "          osmbridge review list --kind only_city --proposal to_osm --json | jq -r '.[].id' | "
               "osmbridge review accept - --to osm --author anne",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = review.add_subparsers(dest="review_action", required=True, metavar="ACTION")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument("--lang", choices=("en", "fr"), default="en", help="language of notes and states (default en)")
    filters = argparse.ArgumentParser(add_help=False)
    group = filters.add_argument_group("filters (repeat an option to accept several values)")
    group.add_argument("--dataset", help="only this dataset")
    group.add_argument("--state", action="append", choices=_STATES, help="only items in this state")
    group.add_argument("--kind", action="append", choices=_KINDS, help="only this kind of difference")
    group.add_argument("--category", action="append", help="only this category (as in the report)")
    group.add_argument("--direction", action="append", choices=("to_osm", "to_city"),
                       help="decided direction, else the proposed one")
    group.add_argument("--proposal", action="append", choices=_PROPOSALS, help="only this proposal of the diff")
    group.add_argument("--changed-side", action="append", choices=_SIDES, help="only when this side changed")
    group.add_argument("--field", help="only this OSM tag")
    group.add_argument("--source-id", help="only this city record (its id)")
    group.add_argument("--osm-key", help="only this OSM object (n123, w45, r6)")
    group.add_argument("--text", help="part of the name, a value or the id")
    group.add_argument("--producer", help="datasets with several producers: the items routed to this producer "
                                          "(it holds the field, or disagrees with the producer that does)")
    group.add_argument("--resolved", action="store_true", help="list resolved items (gone from the latest run)")

    listing = actions.add_parser("list", parents=[common, filters], help="list review items (open ones by default)",
                                 epilog="Example: osmbridge review list --dataset nantes-equipements --state open "
                                        "--direction to_osm --limit 50")
    listing.add_argument("--limit", type=int, help="at most this many items")
    listing.add_argument("--offset", type=int, default=0, help="skip this many items first")

    show = actions.add_parser("show", parents=[common], help="show one item: values, notes, decision, history",
                              epilog="Example: osmbridge review show 3f2a9c0d1e2b4a5f")
    show.add_argument("item", help="the item id (the difference id, column `id` of diff.csv)")

    log = actions.add_parser("log", parents=[common], help="print the audit log, newest first",
                             epilog="Example: osmbridge review log --dataset nantes-equipements --author anne")
    log.add_argument("--dataset", help="only this dataset")
    log.add_argument("--author", help="only this person's entries")
    log.add_argument("--since", help="only entries at or after this ISO 8601 time")
    log.add_argument("--limit", type=int, default=100, help="at most this many entries (default 100)")

    for name, text in _DECISIONS.items():
        decide = actions.add_parser(name, parents=[common, filters], help=text, epilog=f"Example: {_EXAMPLES[name]}")
        decide.add_argument("items", nargs="*", metavar="ITEM",
                            help="item ids; '-' reads them from standard input, one per line")
        decide.add_argument("--all-matching", action="store_true",
                            help="decide every item the filters select (instead of listing ids)")
        decide.add_argument("--author", required=True, help="who decides (kept in the audit log)")
        decide.add_argument("--reason", default="", help="why" + (" (required)" if name == "reject" else ""))
        if name in ("accept", "edit"):
            decide.add_argument("--to", required=True, choices=("osm", "city"), help="where the value goes")
        if name == "edit":
            decide.add_argument("--value", required=True, help="the right value (a position as lat,lon)")
        if name in ("same", "not-same", "choose"):
            decide.add_argument("--osm", help="the OSM object (n123, w45, r6) when the item does not name it")
            decide.add_argument("--city", help="the city record's id when the item does not name it")


def run_review_command(args: argparse.Namespace, *, stdin: TextIO | None = None) -> int:
    """Run one `osmbridge review` action on the configured store; return the exit code."""
    from osmbridge.config import load_config
    from osmbridge.store import Store

    config = load_config(args.config, os.environ)
    store = Store(config.store_url)
    try:
        if args.review_action == "list":
            return _list(store, args)
        if args.review_action == "show":
            return _show(store, args)
        if args.review_action == "log":
            return _log(store, args)
        return _decide(store, args, stdin or sys.stdin)
    finally:
        store.close()


def _filter(args: argparse.Namespace) -> ItemFilter:
    from osmbridge.review import ItemFilter

    return ItemFilter(dataset=args.dataset, states=tuple(args.state or ()), kinds=tuple(args.kind or ()),
                      categories=tuple(args.category or ()), directions=tuple(args.direction or ()),
                      proposals=tuple(args.proposal or ()), changed_sides=tuple(args.changed_side or ()),
                      source_id=args.source_id, osm_key=args.osm_key, field=args.field, text=args.text,
                      present=not args.resolved, producer=args.producer)


def _list(store: Store, args: argparse.Namespace) -> int:
    from osmbridge.review.serialize import item_json

    where = _filter(args)
    items = store.review_items(where, limit=args.limit, offset=args.offset)
    if args.json:
        _print_json([item_json(item, args.lang) for item in items])
        return 0
    for item in items:
        print(_line(item, args.lang))
    total = store.count_review_items(where)
    shown = f"{len(items)} of {total}" if len(items) != total else str(total)
    print(f"{shown} item{'s' if total != 1 else ''}", file=sys.stderr)
    return 0


def _show(store: Store, args: argparse.Namespace) -> int:
    from osmbridge.review.serialize import entry_json, item_json

    item = store.review_item(args.item)
    history = store.review_history(args.item)
    if args.json:
        _print_json({**item_json(item, args.lang), "history": [entry_json(e, args.lang) for e in history]})
        return 0
    print(_describe(item, args.lang))
    print("History:")
    for entry in history:
        print("  " + _entry_line(entry, args.lang))
    return 0


def _log(store: Store, args: argparse.Namespace) -> int:
    from osmbridge.review.serialize import entry_json

    entries = store.audit_log(dataset=args.dataset, author=args.author, since=args.since, limit=args.limit)
    if args.json:
        _print_json([entry_json(entry, args.lang) for entry in entries])
        return 0
    for entry in entries:
        print(_entry_line(entry, args.lang, with_item=True))
    return 0


def _decide(store: Store, args: argparse.Namespace, stdin: TextIO) -> int:
    from osmbridge.review.serialize import item_json

    ids = _item_ids(store, args, stdin)
    done = store.decide_many(ids, _action(args), author=args.author)
    if args.json:
        _print_json([item_json(item, args.lang) for item in done])
        return 0
    for item in done:
        print(_line(item, args.lang))
    print(f"{len(done)} item{'s' if len(done) != 1 else ''} recorded", file=sys.stderr)
    return 0


def _item_ids(store: Store, args: argparse.Namespace, stdin: TextIO) -> list[str]:
    """Return the items to decide: the ids given (or read from stdin), or those the filters select."""
    ids = [part for item in args.items for part in ([line.strip() for line in stdin] if item == "-" else [item])]
    ids = list(dict.fromkeys(i for i in ids if i))
    if args.all_matching:
        if ids:
            raise OsmbridgeError("give item ids or --all-matching with filters, not both")
        ids = [item.id for item in store.review_items(_filter(args))]
        if not ids:
            raise OsmbridgeError("no item matches these filters; check them with `osmbridge review list`")
        return ids
    if not ids:
        raise OsmbridgeError(f"say which items to {args.review_action}: their ids, '-' to read ids from standard "
                             "input, or --all-matching with filters")
    return ids


def _action(args: argparse.Namespace) -> ReviewAction:
    from osmbridge import review

    name, reason = args.review_action, args.reason
    to = {"osm": "to_osm", "city": "to_city"}.get(getattr(args, "to", None) or "")
    if name == "accept":
        return review.Accept(to, reason)  # type: ignore[arg-type]  # argparse choices
    if name == "edit":
        return review.Edit(to, args.value, reason)  # type: ignore[arg-type]
    simple: dict[str, type[review.Reject | review.Defer | review.Survey | review.Reopen | review.NoCounterpart]] = {
        "reject": review.Reject, "defer": review.Defer, "survey": review.Survey, "reopen": review.Reopen,
        "no-counterpart": review.NoCounterpart}
    if name in simple:
        return simple[name](reason)
    if name == "same":
        return review.Same(osm_key=args.osm, source_id=args.city, reason=reason)
    if name == "not-same":
        return review.NotSame(osm_key=args.osm, source_id=args.city, reason=reason)
    return review.Choose(osm_key=args.osm, source_id=args.city, reason=reason)


def _line(item: ReviewItem, lang: str) -> str:
    """One line per item: id, state, kind, field, place, values."""
    from osmbridge.i18n import message

    d = item.difference
    place = " ".join(part for part in (d.name or "", f"[{d.source_id or '-'} / {d.osm_key or '-'}]") if part)
    values = f"city: {_short(d.city_value)} | OSM: {_short(d.osm_value)}"
    direction = f" {message(f'direction.{item.direction}', lang)}" if item.direction else ""
    routed = f"  @{','.join(d.producers)}" if d.producers else ""
    return (f"{d.id}  {message(f'state.{item.state}', lang)}{direction}  {d.kind}"
            f"{' ' + d.field if d.field else ''}  {place}  {values}{routed}")


def _describe(item: ReviewItem, lang: str) -> str:
    from osmbridge.i18n import message, render_notes
    from osmbridge.review import allowed_directions, candidates
    from osmbridge.review.serialize import reason_text

    d = item.difference
    lines = [f"Item {d.id} ({d.dataset}): {message(f'state.{item.state}', lang)}, revision {item.revision}"
             + ("" if item.present else " (not in the latest run)"),
             f"Place: {d.name or '-'}  city record {d.source_id or '-'}  OSM {d.osm_key or '-'}"
             + (f" v{d.osm_version}" if d.osm_version else "") + (f"  category {d.category}" if d.category else ""),
             f"Kind: {d.kind}" + (f"  field {d.field}" if d.field else "")
             + (f" (city column {d.city_field})" if d.city_field else ""),
             f"City value: {_value(d.city_value)}" + (f"   at last sync: {_value(d.base_city_value)}"
                                                      if d.base_city_value is not None else ""),
             f"OSM value:  {_value(d.osm_value)}" + (f"   at last sync: {_value(d.base_osm_value)}"
                                                     if d.base_osm_value is not None else ""),
             f"Changed side: {d.changed_side}; proposal: {d.proposal}; may go: "
             + (", ".join(message(f"direction.{w}", lang) for w in allowed_directions(d))
                or "nowhere (give a match verdict)")]
    if candidates(d):
        lines.append(f"Candidates: {', '.join(candidates(d))}")
    if d.producers:
        lines.append(f"Routed to: {', '.join(d.producers)}")
    if d.producer_values:
        lines.append("Producers say: " + "; ".join(f"{name}: {_value(value)}" for name, value in d.producer_values))
    if d.note:
        lines.append(f"Notes: {render_notes(d.note, lang)}")
    decision = item.decision
    if decision.author:
        what = message(f"state.{decision.state}", lang)
        if decision.direction:
            what += f" {message(f'direction.{decision.direction}', lang)}: {_value(decision.value)}"
        elif decision.match_verdict:
            what += f": {decision.match_verdict} {decision.value or ''}".rstrip()
        why = reason_text(decision.reason, decision.author, lang)
        lines.append(f"Decision: {what} by {decision.author} on {decision.decided_at}" + (f" ({why})" if why else "")
                     + (f", pushed as {decision.push_ref}" if decision.push_ref else ""))
    if item.previous is not None:
        old = item.previous
        direction = f" {message(f'direction.{old.direction}', lang)}: {_value(old.value)}" if old.direction else ""
        lines.append(f"Earlier decision: {message(f'state.{old.state}', lang)}{direction} by {old.author or '-'} "
                     f"on {old.decided_at or '-'}" + (f" ({old.reason})" if old.reason else ""))
        lines.append(f"  it saw city: {_value(old.seen_city_value)} | OSM: {_value(old.seen_osm_value)}; "
                     f"now city: {_value(d.city_value)} | OSM: {_value(d.osm_value)}")
    return "\n".join(lines)


def _entry_line(entry: Any, lang: str, *, with_item: bool = False) -> str:
    from osmbridge.i18n import message
    from osmbridge.review.serialize import reason_text

    parts = [entry.at, entry.author, message(f"action.{entry.action}", lang),
             f"{entry.old_state or '-'} -> {entry.new_state}"]
    if with_item:
        parts.insert(1, f"{entry.dataset}/{entry.item_id}")
    if entry.direction and entry.action not in ("resolved", "stale", "reappeared"):
        parts.append(f"{message(f'direction.{entry.direction}', lang)}: {_value(entry.value)}")
    why = reason_text(entry.reason, entry.author, lang)
    if why:
        parts.append(f"({why})")
    if entry.old_city_value is not None or entry.old_osm_value is not None:
        parts.append(f"[was city: {_value(entry.old_city_value)} | OSM: {_value(entry.old_osm_value)}; "
                     f"now city: {_value(entry.city_value)} | OSM: {_value(entry.osm_value)}]")
    if entry.details.get("verdicts"):
        parts.append("; ".join(f"{v['source_id']} {v['verdict']} {v['osm_key'] or ''}".rstrip()
                               for v in entry.details["verdicts"]))
    if entry.details.get("ref"):
        parts.append(f"ref {entry.details['ref']}")
    return "  ".join(parts)


def _value(value: str | None) -> str:
    return "—" if value is None else json.dumps(value, ensure_ascii=False)


def _short(value: str | None, width: int = 40) -> str:
    text = "—" if value is None else value.replace("\n", "; ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_json(data: Sequence[Any] | dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1))
