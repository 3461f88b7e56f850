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
from osmbridge.errors import OsmbridgeError, describe_os_error, write_error
from osmbridge.commands.config import add_config_parser, run_config_command
from osmbridge.commands.push import add_push_parsers, run_osm_command, run_push_command
from osmbridge.commands.osm_notes import add_notes_parser, run_notes_command
from osmbridge.commands.review import add_review_parser, run_review_command
from osmbridge.commands.runs import add_runs_parser, run_runs_command
from osmbridge.commands.schedule import add_schedule_parser, run_schedule_command
from osmbridge.commands.match import add_match_parser, run_match_command
from osmbridge.commands.text_options import add_text_options
from osmbridge.commands.store import add_store_parser, run_store_command
from osmbridge.redact import install_log_redaction, redact

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

    mappings = commands.add_parser("mappings", help="work with tag mappings",
                                   epilog="Example: osmbridge mappings check mappings/grenoble-arceaux.toml "
                                          "--data arceaux.geojson")
    mapping_commands = mappings.add_subparsers(dest="mappings_command", required=True, metavar="SUBCOMMAND")
    check = mapping_commands.add_parser(
        "check", help="validate a mapping and list the category values of a data file it does not cover",
        epilog="Example: osmbridge mappings check mappings/grenoble-arceaux.toml --data arceaux.geojson")
    check.add_argument("mapping", type=Path, help="the mapping file (TOML)")
    check.add_argument("--data", type=Path, action="append", required=True,
                       help="city data file to check against (repeatable)")
    check.add_argument("--crs", default="EPSG:4326", help="CRS of the data's coordinates")
    add_text_options(check)
    add_store_parser(commands)
    add_config_parser(commands)
    add_runs_parser(commands)
    add_schedule_parser(commands)
    add_push_parsers(commands)
    add_review_parser(commands)
    add_notes_parser(commands)

    from osmbridge.web import serve_cli, users_cli
    serve_cli.add_parser(commands)
    users_cli.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (0 ok, 1 failed, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO,
                        format="%(message)s")
    install_log_redaction()
    try:
        return _COMMANDS[args.command](args)
    except OsmbridgeError as exc:
        if args.debug:
            raise
        print(f"osmbridge: error: {redact(str(exc))}", file=sys.stderr)
        return 1
    except OSError as exc:
        # The machine refused (a full disk, a read-only folder...): the operator's to fix, not a bug.
        if args.debug:
            raise
        print(f"osmbridge: error: {redact(describe_os_error(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (osmbridge.service.interrupt)
        reason = getattr(exc, "reason", "SIGINT")
        print(f"osmbridge: interrupted ({reason}); the run is recorded as interrupted", file=sys.stderr)
        return 128 + (15 if reason == "SIGTERM" else 2)


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

    from osmbridge.service.interrupt import signals_interrupt
    from osmbridge.service.notify import notify_run

    config = load_config(args.config, os.environ)
    with signals_interrupt(), console_progress(quiet=args.quiet) as progress:
        summary = run(config, datasets=args.dataset, skip_invalid=args.skip_invalid, progress=progress)
    _print_summary(summary)
    notify_run(config, summary)
    return 0 if summary.ok else 1


def _demo(args: argparse.Namespace) -> int:
    from osmbridge.demo.run import run_demo
    from osmbridge.progress import console_progress

    created = not args.out.exists()
    try:
        with console_progress(quiet=args.quiet) as progress:
            demo = run_demo(args.out, seed=args.seed, progress=progress)
    except OSError as exc:
        _remove_if_created(args.out, created)
        raise write_error(args.out, exc, "pass --out with another folder") from None
    except BaseException:
        _remove_if_created(args.out, created)
        raise
    summary = demo.summary
    if not args.quiet:
        print(f"The demo ran two syncs of a generated town in {args.out}: the last sync (run 1, files *-previous, "
              "dated 2024-06-01) recorded what both sides agreed on; today's run (run 2, files *-current) reports "
              "what each side changed since. / La démo a fait deux rapprochements : le dernier (run 1, fichiers "
              "*-previous) puis celui du jour (run 2, fichiers *-current), qui montre ce que chaque côté a changé.")
    _print_summary(summary)
    if demo.party_page:
        print(f"Mapping-party plan / Plan de cartopartie : {demo.party_page}")
    for outcome in summary.outcomes:
        if outcome.ok and outcome.report_dir:
            print(f"Open the report / Ouvrez le rapport : {outcome.report_dir / 'report.html'}")
    return 0 if summary.ok else 1


def _remove_if_created(folder: Path, created: bool) -> None:
    """Leave nothing behind of a folder this command created and could not complete."""
    if created:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def _party(args: argparse.Namespace) -> int:
    from osmbridge.config import load_config
    from osmbridge.party import load_neighbourhoods, plan_party, write_party
    from osmbridge.party.survey import party_survey
    from osmbridge.pipeline import run
    from osmbridge.progress import console_progress
    from osmbridge.report.atomic import staged_folder

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
    plan = plan_party([o.result for o in summary.outcomes if o.result], neighbourhoods,
                      cell_size_m=args.cell_size_m)
    with staged_folder(out, "pass --out with another folder") as staging:
        write_party(plan, staging, party_survey(config, names))
    print(f"Mapping-party plan / Plan de cartopartie : {out / 'party.html'}")
    return 0


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "area"


def _decide(args: argparse.Namespace) -> int:
    import re

    from osmbridge.config import load_config
    from osmbridge.model import MatchDecision, MatchVerdict
    from osmbridge.pipeline import utc_now
    from osmbridge.store import Store

    config = load_config(args.config, os.environ)
    config.dataset(args.dataset)
    osm_key = args.same or args.not_same
    if osm_key is not None and not re.fullmatch(r"[nwr][1-9][0-9]*", osm_key):
        raise OsmbridgeError(f"OSM id {osm_key!r}: expected n, w or r then the number, as in matches.csv (w5678)")
    verdict: MatchVerdict = "same" if args.same else "not_same" if args.not_same else "no_counterpart"
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

    check, text = check_mapping_files(args.mapping, args.data, crs=args.crs, encoding=args.encoding,
                                      delimiter=args.delimiter)
    print(text)
    return 0 if check.ok else 1


def _print_summary(summary: RunSummary) -> None:
    for outcome in summary.outcomes:
        if not outcome.ok or outcome.counts is None:
            print(f"{outcome.dataset}: FAILED: {outcome.error}", file=sys.stderr)
            continue
        c = outcome.counts
        print(f"{outcome.dataset}: {c.city_places} city places, {c.osm_places} OSM places, {c.matched} matched, "
              f"{c.ambiguous} ambiguous, {c.missing_in_osm} missing in OSM, {c.missing_in_city} missing in the "
              f"city, {c.differences} differences, {c.skipped} skipped -> {outcome.report_dir}")


def _serve(args: argparse.Namespace) -> int:
    from osmbridge.web import serve_cli
    return serve_cli.run(args)


def _users(args: argparse.Namespace) -> int:
    from osmbridge.web import users_cli
    return users_cli.run(args)


_COMMANDS = {"run": _run, "demo": _demo, "match": run_match_command, "party": _party, "decide": _decide,
             "mappings": _mappings, "store": run_store_command, "config": run_config_command,
             "runs": run_runs_command, "schedule": run_schedule_command, "review": run_review_command,
             "serve": _serve, "users": _users, "notes": run_notes_command,
             "push": run_push_command, "osm": run_osm_command}

if __name__ == "__main__":
    main_entry()
