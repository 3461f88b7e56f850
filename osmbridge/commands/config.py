"""`osmbridge config check`: validate a configuration without running it (no network, nothing written)."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osmbridge.errors import OsmbridgeError

if TYPE_CHECKING:  # the config pulls in every section's reader: loaded by the command that runs
    from osmbridge.config import Config


def add_config_parser(commands: Any) -> None:
    """Add `osmbridge config check` to the CLI's subcommands."""
    config = commands.add_parser("config", help="work with the configuration file",
                                 epilog="Example: osmbridge config check --config config.toml")
    actions = config.add_subparsers(dest="config_action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="validate a config: every key, the files it names, its mappings; runs nothing",
        epilog="Example: osmbridge config check --config config.toml")
    check.add_argument("--config", type=Path, default=Path("config.toml"), help="config file (default: config.toml)")


@dataclass(slots=True)
class ConfigCheck:
    """What `config check` found: one line per problem, one per dataset that is fine."""

    problems: list[str] = field(default_factory=list)
    fine: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_config(config: Config) -> ConfigCheck:
    """Check what loading the config cannot: mapping files, data files, the output and state folders."""
    from osmbridge.mapping import load_mapping

    found = ConfigCheck()
    _check_writable(config.reports_dir, "[reports] directory", found)
    if config.store_url.startswith("sqlite:///") and not config.store_url.endswith(":memory:"):
        _check_writable(Path(config.store_url.removeprefix("sqlite:///")).parent, "[store] url (its folder)", found)
    for name, dataset in sorted(config.datasets.items()):
        before = len(found.problems)
        where = f"datasets.{name}"
        # A dataset with several producers reads each producer's own mapping and source.
        sides = ([(f"{where}.producers.{p.name}", p.mapping, p.source) for p in dataset.producers]
                 or [(where, dataset.mapping, dataset.source)])
        described = []
        for key, mapping_file, spec in sides:
            try:
                mapping = load_mapping(mapping_file)
            except OsmbridgeError as error:
                found.problems.append(f"{key}.mapping: {error}")
                mapping = None
            if spec.kind != "opendatasoft":
                _check_file(Path(spec.location), f"{key}.source.location", found)
            if mapping is None:
                continue
            source = (f"{spec.location} ({spec.dataset_id})" if spec.kind == "opendatasoft"
                      else Path(spec.location).name)
            described.append(f"mapping {mapping.name!r} ({len(mapping.categories)} categories), city data {source}")
        if dataset.osm.backend == "extract" and dataset.osm.extract is not None:
            _check_file(dataset.osm.extract, f"{where}.osm.extract (or [osm] extract)", found)
        if dataset.osm_notes.publish:
            from osmbridge.osm_notes.token import token_problem

            problem = token_problem(dataset.osm_notes.api)
            if problem:
                found.problems.append(f"{where}.osm_notes.publish: {problem}")
        if len(found.problems) == before and described:
            osm = (dataset.osm.extract.name if dataset.osm.backend == "extract" and dataset.osm.extract
                   else dataset.osm.overpass_url)
            producers = (f"{len(dataset.producers)} producers: " + "; ".join(
                f"{p.name}: {text}" for p, text in zip(dataset.producers, described)) if dataset.producers
                else described[0])
            found.fine.append(f"{name}: OK: {producers}, OSM data {osm}")
    return found


def _check_file(path: Path, key: str, found: ConfigCheck) -> None:
    if not path.exists():
        found.problems.append(f"{key}: {path}: file not found")
    elif path.is_dir():
        found.problems.append(f"{key}: {path}: is a folder; give the data file")
    elif not os.access(path, os.R_OK):
        found.problems.append(f"{key}: {path}: cannot be read (permission denied)")


def _check_writable(folder: Path, key: str, found: ConfigCheck) -> None:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        found.problems.append(f"{key}: {existing} is a file, so {folder} cannot be a folder")
    elif not os.access(existing, os.W_OK | os.X_OK):
        found.problems.append(f"{key}: {existing} is not writable by this user")


def run_config_command(args: argparse.Namespace) -> int:
    """Check the config named by --config; print each problem or each dataset's summary; return the exit code."""
    from osmbridge.config import load_config

    config = load_config(args.config, os.environ)
    found = check_config(config)
    for line in found.problems:
        print(f"{args.config}: {line}")
    if found.ok:
        for line in found.fine:
            print(line)
        print(f"{args.config}: OK ({len(config.datasets)} dataset(s)); `osmbridge run --config {args.config}` "
              "will read these sources.")
        return 0
    print(f"{args.config}: {len(found.problems)} problem(s); fix them, then run `osmbridge config check` again.")
    return 1
