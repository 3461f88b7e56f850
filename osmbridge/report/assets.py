"""Static assets inlined into every page, so a report opens offline from a file or an e-mail."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import xstatic.pkg.leaflet
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from osmbridge.report.paths import file_names_only

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

# Colour of each kind of difference: markers, badges and legend use the same. Hues far apart
# (tests/report/test_report_colours.py measures them in CIELAB), one orange only.
KIND_COLOURS = {
    "differs": "#d62728",  # red
    "minor": "#e6c229",  # yellow
    "only_city": "#1f5fbf",  # blue
    "only_osm": "#17becf",  # cyan
    "position": "#9467bd",  # purple
    "lifecycle": "#3b3b3b",  # near black
    "missing_in_osm": "#ff7f0e",  # orange
    "missing_in_city": "#2ca02c",  # green
    "ambiguous": "#e377c2",  # pink
    "duplicate": "#8c564b",  # brown
    "osm_note": "#7a8b00",  # olive
    "producers_disagree": "#880e4f",  # wine
}


def text_colour(background: str) -> str:
    """Return black or white, whichever reads better on `background` (#rrggbb), by WCAG contrast."""
    channels = [int(background[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#1f2d3a" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


KIND_TEXT_COLOURS = {kind: text_colour(colour) for kind, colour in KIND_COLOURS.items()}


def _inline(text: str, closing_tag: str) -> Markup:
    # A literal closing tag inside inlined code would end the element early.
    return Markup(text.replace(f"</{closing_tag}", f"<\\/{closing_tag}"))


@cache
def leaflet_js() -> Markup:
    """Return Leaflet's JavaScript, ready to inline in a <script>."""
    return _inline((Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.js").read_text(encoding="utf-8"), "script")


@cache
def leaflet_css() -> Markup:
    """Return Leaflet's CSS without its image references (pages use circle markers, no icons)."""
    css = (Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(r"url\(images/[^)]*\)", "none", css)
    return _inline(css, "style")


def package_text(package: str, name: str, closing_tag: str) -> Markup:
    """Return a CSS/JS file shipped in a package's templates folder, ready to inline."""
    return _inline((files(package) / "templates" / name).read_text(encoding="utf-8"), closing_tag)


@cache
def environment(package: str) -> Environment:
    """Return the Jinja2 environment of a package's templates (then the report's shared macros), autoescaping."""
    loaders = [PackageLoader(package, "templates")]
    if package != "osmbridge.report":
        loaders.append(PackageLoader("osmbridge.report", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["file_names_only"] = file_names_only
    return env
