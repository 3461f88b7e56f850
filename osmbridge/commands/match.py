"""`osmbridge match`: a one-shot match of a city file against an OSM file, without config or state."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from osmbridge.commands.text_options import add_text_options
from osmbridge.errors import OsmbridgeError

DEFAULT_MAX_DISTANCE_M = 50.0


def add_match_parser(commands: Any) -> None:
    """Register `osmbridge match` on the CLI's subcommands."""
    match = commands.add_parser(
        "match", help="one-shot match of a city file against an OSM file, without config or state",
        epilog="Examples: osmbridge match --city libraries.csv --id-field id --name-field nom "
               "--tag amenity=library --osm city.osm.pbf --out matches.csv\n"
               "          osmbridge -v match --city equipements.geojson --mapping mappings/nantes-equipements.toml "
               "--osm nantes.osm.pbf --out matches.csv --no-osm-only",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    match.add_argument("--city", type=Path, required=True, help="city records: .csv, .geojson or .json")
    match.add_argument("--osm", type=Path, required=True,
                       help="OSM data: .osm, .osm.pbf, .osm.bz2, Overpass .json, .geojson")
    match.add_argument("--out", type=Path, required=True, help="matches CSV to write")
    match.add_argument("--mapping", type=Path, help="a tag mapping (TOML)")
    match.add_argument("--id-field", help="without --mapping: the city id field")
    match.add_argument("--name-field", help="without --mapping: the city name field")
    match.add_argument("--tag", help="without --mapping: the OSM tag of every record, e.g. amenity=library")
    match.add_argument("--max-distance", type=float,
                       help=f"match distance in metres (default {DEFAULT_MAX_DISTANCE_M:g}; with --mapping it "
                            "replaces the distances of every category)")
    match.add_argument("--osm-only", action=argparse.BooleanOptionalAction, default=True,
                       help="write a row for each OSM place no city record links to (default: yes; "
                            "--no-osm-only leaves them out, most of the file against a regional extract)")
    match.add_argument("--crs", default="EPSG:4326", help="CRS of the city coordinates (default EPSG:4326)")
    match.add_argument("--licence", default="unknown", help="licence of the city data")
    match.add_argument("--skip-invalid", action="store_true", help="leave out invalid city records")
    add_text_options(match)


def run_match_command(args: argparse.Namespace) -> int:
    """Match, write matches.csv, print the summary (and each stage's time with -v or --debug)."""
    from osmbridge.adhoc import match_files
    from osmbridge.mapping import load_mapping, mapping_for_tag

    if args.max_distance is not None and args.max_distance <= 0:
        raise OsmbridgeError(f"--max-distance must be a positive number of metres, got {args.max_distance:g}")
    if args.mapping:
        if args.id_field or args.tag or args.name_field:
            raise OsmbridgeError("--id-field, --name-field and --tag describe a list without a mapping: "
                                 "give either --mapping FILE or them, not both")
        mapping = load_mapping(args.mapping)
    elif args.id_field and args.tag:
        mapping = mapping_for_tag(args.tag, id_field=args.id_field, name_field=args.name_field,
                                  match_distance_m=args.max_distance or DEFAULT_MAX_DISTANCE_M)
    else:
        raise OsmbridgeError("osmbridge match needs --mapping FILE, or --id-field F and --tag KEY=VALUE "
                             "(with --name-field F when the records have names)")
    summary = match_files(args.city, args.osm, mapping, args.out, crs=args.crs, licence=args.licence,
                          skip_invalid=args.skip_invalid,
                          max_distance_m=args.max_distance if args.mapping else None, osm_only=args.osm_only,
                          encoding=args.encoding, delimiter=args.delimiter)
    if args.verbose or args.debug:
        print(summary.describe_stages(), file=sys.stderr)
    print(summary.describe())
    return 0
