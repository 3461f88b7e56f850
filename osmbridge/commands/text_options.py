"""Options shared by the commands that read a city file directly (`match`, `mappings check`)."""

from __future__ import annotations

import argparse


def add_text_options(parser: argparse.ArgumentParser) -> None:
    """--encoding and --delimiter of a city text file (CSV, JSON), detected when not given."""
    parser.add_argument("--encoding", help="text encoding of the city file: utf-8, cp1252, cp1250, iso-8859-2... "
                                           "(default: detected)")
    parser.add_argument("--delimiter", help="CSV separator: , ; or \\t (default: detected)")
