"""Overpass QL for the places a run needs: every node, way and relation matching a tag filter in an area.

Output mode: `out meta geom;` by default rather than the `out meta center;` first planned. `geom`
gives each way its coordinates and each relation its members' coordinates, which overpy parses
(way geometry lands in `Way.attributes["geometry"]`, member geometry in `RelationMember.geometry`),
so ways and multipolygons get the same Polygon/LineString as from a local extract, and distances
are measured to the building's outline rather than to a centre point. The display point is then
computed here (inside the polygon) instead of Overpass's bounding-box centre, which can fall
outside an L-shaped building. `center` stays available for very large areas where only a position
is wanted: answers are several times smaller. A second output statement (`out center; out geom;`)
is no option: overpy keeps only the first copy of an element it sees.

Tag filters are exact matches (`["key"="value"]`) or key presence (`["key"]`), one statement per
filter in a union: values are QL string literals (backslash-escaped), never regular expressions,
so no regex escaping is needed and a value like "St. Mary (old)" matches only itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from osmbridge.errors import OsmSourceError
from osmbridge.model import Area, TagFilter

OutputMode = Literal["geom", "center"]
# Overpass derives area ids from relation ids this way (ways would be 2400000000 + id).
AREA_ID_OFFSET = 3600000000
AREA_SET = "searchArea"


def build_overpass_query(filters: Sequence[TagFilter], area: Area, *, timeout_s: int = 180,
                         output: OutputMode = "geom") -> str:
    """Overpass QL fetching every nwr matching any filter inside the area.

    With no filters, every element with at least one tag is fetched (`[~"."~"."]`).
    Raises OsmSourceError when the area has neither a relation id nor a bbox.
    """
    if int(timeout_s) <= 0:
        raise ValueError(f"timeout_s must be positive, not {timeout_s}")
    if output not in ("geom", "center"):
        raise ValueError(f"output must be 'geom' or 'center', not {output!r}")
    lines = [f"[out:json][timeout:{int(timeout_s)}];"]
    where = ""
    if area.relation_id is not None:
        lines.append(f"area(id:{AREA_ID_OFFSET + int(area.relation_id)})->.{AREA_SET};")
        where += f"(area.{AREA_SET})"
    if area.bbox is not None:
        where += bbox_filter(area.bbox, area.name)
    if not where:
        raise OsmSourceError(f"area {area.name or '(unnamed)'!r}: neither an OSM relation id nor a bbox: "
                             "set one of them so that Overpass knows where to look.")
    selectors = [tag_selector(f) for f in _distinct(filters)] or ['[~"."~"."]']
    lines.append("(")
    lines += [f"  nwr{selector}{where};" for selector in selectors]
    lines.append(");")
    lines.append(f"out meta {output};")
    return "\n".join(lines) + "\n"


def tag_selector(tag_filter: TagFilter) -> str:
    """Return the QL tag filter: `["key"="value"]`, or `["key"]` when any value will do."""
    if tag_filter.value is None:
        return f"[{quote(tag_filter.key)}]"
    return f"[{quote(tag_filter.key)}={quote(tag_filter.value)}]"


def quote(text: str) -> str:
    """Return text as an Overpass QL string literal (double quotes, backslash escapes)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\t", "\\t").replace("\r", ""))
    return f'"{escaped}"'


def bbox_filter(bbox: tuple[float, float, float, float], name: str = "") -> str:
    """Return the QL bbox filter `(south,west,north,east)`, checking the order of the numbers."""
    south, west, north, east = (float(v) for v in bbox)
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise OsmSourceError(f"area {name or '(unnamed)'!r}: bbox {bbox} is not (south, west, north, east) "
                             "in degrees with south < north and west < east.")
    return "(" + ",".join(f"{v:.7f}".rstrip("0").rstrip(".") for v in (south, west, north, east)) + ")"


def _distinct(filters: Sequence[TagFilter]) -> list[TagFilter]:
    """Return the filters without repeats, and without key=value ones a bare `key` filter covers."""
    any_value = {f.key for f in filters if f.value is None}
    kept: list[TagFilter] = []
    for f in filters:
        if f in kept or (f.value is not None and f.key in any_value):
            continue
        kept.append(f)
    return kept
