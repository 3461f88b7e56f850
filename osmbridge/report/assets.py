"""Static assets inlined into every page, so a report opens offline from a file or an e-mail."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import xstatic.pkg.leaflet
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

# Colour of each kind of difference: markers, badges and legend use the same.
KIND_COLOURS = {
    "differs": "#c0392b",
    "minor": "#f5b041",
    "only_city": "#2e86c1",
    "only_osm": "#76b7e5",
    "position": "#8e44ad",
    "lifecycle": "#34495e",
    "missing_in_osm": "#e67e22",
    "missing_in_city": "#27ae60",
    "ambiguous": "#d35400",
    "duplicate": "#7f8c8d",
}


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
    return env
