"""Local OSM files: recognise the format (by content, then extension) and read the matching places."""

from __future__ import annotations

import bz2
import gzip
import json
import logging
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from osmbridge.errors import OsmSourceError
from osmbridge.model import DroppedOsmObject, OsmPlace, TagFilter
from osmbridge.osm.extract import read_extract
from osmbridge.osm.overpass_json import read_overpass_geojson, read_overpass_json
from osmbridge.osm.overpass_xml import read_overpass_xml
from osmbridge.osm.selection import unique_places

log = logging.getLogger(__name__)

FileKind = Literal["osm", "overpass-xml", "pbf", "o5m", "opl", "json"]
Compression = Literal["", "gz", "bz2"]

_SUFFIX_KINDS: dict[str, FileKind] = {
    ".osm": "osm", ".xml": "osm", ".pbf": "pbf", ".o5m": "o5m", ".opl": "opl",
    ".json": "json", ".geojson": "json",
}
_OPENERS: dict[str, Callable[..., Any]] = {"": open, "gz": gzip.open, "bz2": bz2.open}
_HEAD_BYTES = 1024
_OVERPASS_GENERATOR = re.compile(rb"<osm\b[^>]*\bgenerator=[\"']Overpass")


def read_osm_file(path: Path, filters: Sequence[TagFilter], *,
                  bbox: tuple[float, float, float, float] | None = None,
                  tag_keys: Collection[str] | None = None, timestamps: bool = True) -> list[OsmPlace]:
    """Read the places of a local OSM file that match any filter (south, west, north, east bbox optional).

    Formats: OSM XML (.osm, .osm.bz2, .osm.gz), PBF, o5m, OPL through osmium; Overpass answers
    as XML (with the `center`/`geom` output osmium refuses) or JSON, and overpass-turbo GeoJSON,
    also gzip/bzip2-compressed. With no filters, every feature that has a tag other than editing
    metadata (created_by, source...) is kept. `tag_keys` and `timestamps=False` let the osmium
    formats copy less (only those tags, no timestamps) for a caller that needs no more, such as a
    one-shot match; the other formats keep everything. Raises OsmSourceError naming the file when
    it cannot be read.
    """
    return read_osm_places(path, filters, bbox=bbox, tag_keys=tag_keys, timestamps=timestamps).places


@dataclass(frozen=True, slots=True)
class OsmRead:
    """What a local OSM file gave: its places, and the accepted objects it could not place."""

    places: list[OsmPlace]
    dropped: list[DroppedOsmObject]  # multipolygons osmium could not assemble, members missing...


def read_osm_places(path: Path, filters: Sequence[TagFilter], *,
                    bbox: tuple[float, float, float, float] | None = None,
                    tag_keys: Collection[str] | None = None, timestamps: bool = True) -> OsmRead:
    """Read a local OSM file like `read_osm_file`, keeping the objects it could not place as well."""
    path = Path(path)
    places, dropped = _read(path, filters, bbox, tag_keys, timestamps)
    return OsmRead(unique_places(places), dropped)


def _read(path: Path, filters: Sequence[TagFilter], bbox: tuple[float, float, float, float] | None,
          tag_keys: Collection[str] | None, timestamps: bool) -> tuple[list[OsmPlace], list[DroppedOsmObject]]:
    kind, compression = detect_format(path)
    if kind == "json":
        data = _load_json(path, compression)
        if isinstance(data, dict) and "elements" in data:
            return read_overpass_json(data, filters, str(path), bbox), []
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            return read_overpass_geojson(data, filters, str(path), bbox), []
        raise OsmSourceError(f"{path}: JSON that is neither Overpass JSON (an 'elements' list) nor "
                             "GeoJSON (a FeatureCollection): export it again with [out:json] or from overpass-turbo.")
    if kind == "overpass-xml":
        try:
            with _OPENERS[compression](path, "rb") as handle:
                return read_overpass_xml(handle, filters, path, bbox), []
        except (OSError, EOFError) as error:
            raise OsmSourceError(f"{path}: cannot read the XML ({error}).") from error
    osmium_format = kind + (f".{compression}" if compression else "")
    places, skipped, dropped = read_extract(path, filters, osmium_format, bbox, tag_keys=tag_keys,
                                            timestamps=timestamps)
    for reason, count in sorted(skipped.items()):
        log.warning("%s: %d × %s", path, count, reason)
    return places, dropped


def detect_format(path: Path) -> tuple[FileKind, Compression]:
    """Return what a file holds and how it is compressed, sniffing its first bytes, else its name.

    Raises OsmSourceError naming the file when it is missing, empty or not an OSM format.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as error:
        raise OsmSourceError(f"{path}: cannot open the OSM file ({error.strerror}).") from error
    if not head:
        raise OsmSourceError(f"{path}: the OSM file is empty.")
    compression: Compression = "gz" if head[:2] == b"\x1f\x8b" else "bz2" if head[:3] == b"BZh" else ""
    if compression:
        try:
            with _OPENERS[compression](path, "rb") as handle:
                head = handle.read(_HEAD_BYTES)
        except (OSError, EOFError) as error:
            raise OsmSourceError(f"{path}: damaged {compression} file ({error}).") from error
    kind = _sniff(head) or _kind_from_name(path)
    if kind is None:
        raise OsmSourceError(
            f"{path}: not a recognised OSM file. Use OSM XML (.osm, .osm.bz2, .osm.gz), PBF (.osm.pbf), "
            "o5m, Overpass JSON (.json) or an overpass-turbo GeoJSON export (.geojson)."
        )
    return kind, compression


def _sniff(head: bytes) -> FileKind | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] == b"<":
        # Overpass's XML may carry centres and inline geometry, which osmium's parser refuses.
        return "overpass-xml" if _OVERPASS_GENERATOR.search(head) else "osm"
    if text[:1] in (b"{", b"["):
        return "json"
    if b"OSMHeader" in head[:32]:  # PBF: a 4-byte length, then the first BlobHeader's type
        return "pbf"
    if head[:7] == b"\xff\xe0\x04o5m2":
        return "o5m"
    return None


def _kind_from_name(path: Path) -> FileKind | None:
    for suffix in reversed(path.suffixes):
        kind = _SUFFIX_KINDS.get(suffix.lower())
        if kind is not None:
            return kind
    return None


def _load_json(path: Path, compression: Compression) -> Any:
    try:
        with _OPENERS[compression](path, "rt", encoding="utf-8-sig") as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise OsmSourceError(f"{path}: line {error.lineno}, column {error.colno}: invalid JSON ({error.msg}). "
                             "The export may be truncated: download it again.") from error
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise OsmSourceError(f"{path}: cannot read the JSON ({error}).") from error
