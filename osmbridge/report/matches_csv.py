"""matches.csv: one row per match outcome; its first four columns are an existing interface.

A row is a city record (source_id set) or an OSM place (source_id empty). Its `candidates` always
hold ids of the other side: the OSM places an ambiguous record was offered, the OSM place a
duplicate record's twin is linked to, the city record linked to a duplicate OSM place's twin.
Same-side twins go to `twins`. A duplicate's status says its side: `city_duplicate` or
`osm_duplicate`. `notes` holds the codes of the matcher's explanations (osmbridge/match/notes.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from osmbridge.model import DatasetResult, Match
from osmbridge.report.atomic import write_csv_atomic

# Never reorder or rename the first four: other tools read them. New columns go at the end.
MATCH_COLUMNS = ("source_id", "osm_id", "score", "method", "status", "distance_m", "name_similarity", "candidates",
                 "twins", "notes")


def row_status(match: Match) -> str:
    """Return the status a row shows: the match's, a duplicate's qualified by its side."""
    if match.status == "duplicate":
        return "city_duplicate" if match.source_id is not None else "osm_duplicate"
    return match.status


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


class _OtherSide:
    """The other side's ids of a duplicate: what its twins are linked to."""

    def __init__(self, matches: Sequence[Match]) -> None:
        self.osm_of_city = {m.source_id: m.osm_key for m in matches if m.status == "matched" and m.source_id}
        self.city_of_osm = {m.osm_key: m.source_id for m in matches if m.status == "matched" and m.osm_key}

    def of(self, match: Match) -> tuple[str, ...]:
        links = self.osm_of_city if match.source_id is not None else self.city_of_osm
        return tuple(dict.fromkeys(links[twin] for twin in match.candidates if links.get(twin)))  # type: ignore[misc]


def _rows(matches: Iterable[Match], other_side: _OtherSide) -> Iterable[list[object]]:
    for match in matches:
        evidence = match.evidence
        distance = evidence.distance_m if evidence and _finite(evidence.distance_m) else None
        similarity = evidence.name_similarity if evidence and _finite(evidence.name_similarity) else None
        duplicate = match.status == "duplicate"
        yield [
            match.source_id or "",
            match.osm_key or "",
            f"{match.score:.3f}",
            match.method,
            row_status(match),
            f"{distance:.1f}" if distance is not None else "",
            f"{similarity:.1f}" if similarity is not None else "",
            " ".join(other_side.of(match) if duplicate else match.candidates),
            " ".join(match.candidates) if duplicate else "",
            " ".join(match.note_codes),
        ]


def write_matches_csv(result: DatasetResult, path: Path, *, osm_only: bool = True) -> Path:
    """Write matches.csv (plain `,` UTF-8), sorted by source id then OSM id; return path.

    `osm_only=False` leaves out the rows of OSM places nobody links to: against a regional extract
    they are most of the file and tell a one-shot match nothing.
    """
    kept = result.matches if osm_only else [m for m in result.matches if m.status != "osm_only"]
    matches = sorted(kept, key=lambda m: (m.source_id is None, m.source_id or "", m.osm_key or "", m.status))
    return write_csv_atomic(path, MATCH_COLUMNS, _rows(matches, _OtherSide(result.matches)))
