"""The `osmbridge` command: a thin shell that parses arguments, builds Config and calls the pipeline."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from osmbridge import __version__
from osmbridge.errors import OsmbridgeError
from osmbridge.commands.match import add_match_parser, run_match_command
from osmbridge.commands.store import add_store_parser, run_store_command

if TYPE_CHECKING:  # the pipeline pulls in every stage: loaded by the commands that run it
    from osmbridge.pipeline import RunSummary

log = logging.getLogger("osmbridge")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="osmbridge", description="Keep a city's open data and OpenStreetMap in step.",
        epilog="Example: osmbridge demo --out /tmp/osmbridge-demo")
    parser.add_argument("--version", action="version", version=f"osmbridge {__version__}")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print only errors and the result")
    noise.add_argument("-v", "--verbose", action="store_true", help="print what each step does")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="match every configured dataset against OSM and write reports",
                              epilog="Example: osmbridge run --config config.toml --dataset nantes-equipements")
    run.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    run.add_argument("--dataset", action="append", help="only this dataset (repeatable)")
    run.add_argument("--skip-invalid", action="store_true",
                     help="leave out invalid city records (listed in the report) instead of stopping")

    demo = commands.add_parser("demo", help="generate a small fictional town offline and run the whole pipeline on it",
                               epilog="Example: osmbridge demo --out /tmp/osmbridge-demo")
    demo.add_argument("--out", type=Path, default=Path("osmbridge-demo"),
                      help="folder for the demo (default: ./osmbridge-demo)")
    demo.add_argument("--seed", type=int, default=2024, help="random seed of the generated town")

    add_match_parser(commands)

    party = commands.add_parser(
        "party", help="plan a mapping party: rank neighbourhoods by work to do, print checklists",
        epilog="Examples: osmbridge party --area 'Nantes Métropole' --neighbourhoods quartiers.geojson\n"
               "          osmbridge party --area 'Nantes Métropole' --boundaries nantes-admin.osm.pbf --admin-level 10",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    party.add_argument("--area", required=True,
                       help="the area name of the datasets to plan for (config [datasets.X.area] name)")
    party.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    where = party.add_mutually_exclusive_group(required=True)
    where.add_argument("--neighbourhoods", type=Path, help="GeoJSON of the city's neighbourhoods")
    where.add_argument("--boundaries", type=Path, help="OSM file with boundary=administrative relations")
    party.add_argument("--admin-level", help="with --boundaries: the admin_level of the neighbourhoods")
    party.add_argument("--name-property", help="with --neighbourhoods: the property holding the name")
    party.add_argument("--cell-size-m", type=float, default=500.0, help="Tasking Manager grid cell size (default 500)")
    party.add_argument("--out", type=Path, help="folder for the plan (default: <reports>/party/<area>)")

    decide = commands.add_parser(
        "decide", help="record a person's verdict on a match; honoured until either side changes",
        epilog="Examples: osmbridge decide --dataset nantes-equipements --city 1234 --same w5678 --author anne\n"
               "          osmbridge decide --dataset nantes-equipements --city 1234 --not-same n42 --author anne\n"
               "          osmbridge decide --dataset nantes-equipements --city 1234 --no-counterpart --author anne",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    decide.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")
    decide.add_argument("--dataset", required=True, help="the dataset of the city record")
    decide.add_argument("--city", required=True, help="the city record's id (source_id in matches.csv)")
    verdict = decide.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--same", metavar="OSM_ID", help="the city record is this OSM object (n123, w45, r6)")
    verdict.add_argument("--not-same", metavar="OSM_ID", help="the city record is not this OSM object")
    verdict.add_argument("--no-counterpart", action="store_true", help="the city record has no OSM counterpart")
    decide.add_argument("--author", required=True, help="who decides (kept with the decision)")

    mappings = commands.add_parser("mappings", help="work with tag mappings")
    mapping_commands = mappings.add_subparsers(dest="mappings_command", required=True, metavar="SUBCOMMAND")
    check = mapping_commands.add_parser(
        "check", help="validate a mapping and list the category values of a data file it does not cover",
        epilog="Example: osmbridge mappings check mappings/grenoble-arceaux.toml --data arceaux.geojson")
    check.add_argument("mapping", type=Path, help="the mapping file (TOML)")
    check.add_argument("--data", type=Path, action="append", required=True,
                       help="city data file to check against (repeatable)")
    check.add_argument("--crs", default="EPSG:4326", help="CRS of the data's coordinates")
    add_store_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (0 ok, 1 failed, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO,
                        format="%(message)s")
    try:
        return _COMMANDS[args.command](args)
    except OsmbridgeError as exc:
        if args.debug:
            raise
        print(f"osmbridge: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("osmbridge: interrupted", file=sys.stderr)
        return 130


def main_entry() -> None:
    """Console-script entry point."""
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (`osmbridge mappings check ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


def _run(args: argparse.Namespace) -> int:
    from osmbridge.config import load_config
    from osmbridge.pipeline import run
    from osmbridge.progress import console_progress

    config = load_config(args.config, os.environ)
    with console_progress(quiet=args.quiet) as progress:
        summary = run(config, datasets=args.dataset, skip_invalid=args.skip_invalid, progress=progress)
    _print_summary(summary)
    return 0 if summary.ok else 1


def _demo(args: argparse.Namespace) -> int:
    from osmbridge.demo.run import run_demo
    from osmbridge.progress import console_progress

    with console_progress(quiet=args.quiet) as progress:
        demo = run_demo(args.out, seed=args.seed, progress=progress)
    summary = demo.summary
    _print_summary(summary)
    if demo.party_page:
        print(f"Mapping-party plan / Plan de cartopartie : {demo.party_page}")
    for outcome in summary.outcomes:
        if outcome.ok and outcome.report_dir:
            print(f"Open the report / Ouvrez le rapport : {outcome.report_dir / 'report.html'}")
    return 0 if summary.ok else 1


def _party(args: argparse.Namespace) -> int:
    from osmbridge.config import load_config
    from osmbridge.party import load_neighbourhoods, plan_party, write_party
    from osmbridge.pipeline import run
    from osmbridge.progress import console_progress

    config = load_config(args.config, os.environ)
    names = [name for name, dataset in config.datasets.items() if dataset.area.name == args.area]
    if not names:
        areas = sorted({d.area.name for d in config.datasets.values() if d.area.name})
        raise OsmbridgeError(f"no dataset of {args.config} has the area {args.area!r}; "
                             f"known areas: {', '.join(areas) or 'none (set [datasets.X.area] name)'}")
    if args.neighbourhoods:
        neighbourhoods = load_neighbourhoods(args.neighbourhoods, args.name_property)
    else:
        neighbourhoods = load_neighbourhoods(args.boundaries, admin_level=args.admin_level)
    # A fresh comparison: organisers plan from today's data, and the run is recorded like any other.
    with console_progress(quiet=args.quiet) as progress:
        summary = run(config, datasets=names, trigger="party", progress=progress)
    _print_summary(summary)
    if not summary.ok:
        return 1
    out = args.out or config.reports_dir / "party" / _slug(args.area)
    files = write_party(plan_party([o.result for o in summary.outcomes if o.result], neighbourhoods,
                                   cell_size_m=args.cell_size_m), out)
    print(f"Mapping-party plan / Plan de cartopartie : {files.get('party.html', out)}")
    return 0


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "area"


def _decide(args: argparse.Namespace) -> int:
    import re

    from osmbridge.config import load_config
    from osmbridge.model import MatchDecision
    from osmbridge.pipeline import utc_now
    from osmbridge.store import Store

    config = load_config(args.config, os.environ)
    config.dataset(args.dataset)
    osm_key = args.same or args.not_same
    if osm_key is not None and not re.fullmatch(r"[nwr][1-9][0-9]*", osm_key):
        raise OsmbridgeError(f"OSM id {osm_key!r}: expected n, w or r then the number, as in matches.csv (w5678)")
    verdict = "same" if args.same else "not_same" if args.not_same else "no_counterpart"
    store = Store(config.store_url)
    try:
        city_print, osm_print = store.latest_fingerprints(args.dataset, args.city, osm_key)
        store.save_decision(MatchDecision(dataset=args.dataset, source_id=args.city, verdict=verdict,
                                          osm_key=osm_key, city_fingerprint=city_print, osm_fingerprint=osm_print,
                                          author=args.author, decided_at=utc_now()))
    finally:
        store.close()
    print(f"{args.dataset}: {args.city} {verdict.replace('_', ' ')} {osm_key or ''}".rstrip()
          + " — recorded; the next run honours it until either side changes.")
    return 0


def _mappings(args: argparse.Namespace) -> int:
    from osmbridge.adhoc import check_mapping_files

    check, text = check_mapping_files(args.mapping, args.data, crs=args.crs)
    print(text)
    return 0 if check.ok else 1


def _print_summary(summary: RunSummary) -> None:
    for outcome in summary.outcomes:
        if not outcome.ok:
            print(f"{outcome.dataset}: FAILED: {outcome.error}", file=sys.stderr)
            continue
        c = outcome.counts
        print(f"{outcome.dataset}: {c.city_places} city places, {c.osm_places} OSM places, {c.matched} matched, "
              f"{c.ambiguous} ambiguous, {c.missing_in_osm} missing in OSM, {c.missing_in_city} missing in the "
              f"city, {c.differences} differences, {c.skipped} skipped -> {outcome.report_dir}")


_COMMANDS = {"run": _run, "demo": _demo, "match": run_match_command, "party": _party, "decide": _decide,
             "mappings": _mappings, "store": run_store_command}

if __name__ == "__main__":
    main_entry()
