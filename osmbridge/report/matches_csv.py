"""matches.csv: one row per match outcome; its first four columns are an existing interface."""

from __future__ import annotations

import math
from pathlib import Path

from osmbridge.model import DatasetResult, Match
from osmbridge.report.atomic import write_csv_atomic

# Never reorder or rename the first four: other tools read them. New columns go at the end.
MATCH_COLUMNS = ("source_id", "osm_id", "score", "method", "status", "distance_m", "name_similarity", "candidates")


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _row(match: Match) -> list[object]:
    evidence = match.evidence
    distance = evidence.distance_m if evidence and _finite(evidence.distance_m) else None
    similarity = evidence.name_similarity if evidence and _finite(evidence.name_similarity) else None
    return [
        match.source_id or "",
        match.osm_key or "",
        f"{match.score:.3f}",
        match.method,
        match.status,
        f"{distance:.1f}" if distance is not None else "",
        f"{similarity:.1f}" if similarity is not None else "",
        " ".join(match.candidates),
    ]


def write_matches_csv(result: DatasetResult, path: Path) -> Path:
    """Write matches.csv (plain `,` UTF-8), sorted by source id then OSM id; return path."""
    matches = sorted(result.matches, key=lambda m: (m.source_id is None, m.source_id or "", m.osm_key or "", m.status))
    return write_csv_atomic(path, MATCH_COLUMNS, (_row(m) for m in matches))
