"""MapRoulette cooperative "tag fix" challenge: one task per existing OSM object whose tags the city
proposes to change.

Format: line-by-line GeoJSON as an RFC 7464 text sequence (each line starts with the record separator
0x1E, which MapRoulette's line-by-line upload asks for since v3.6.5), one FeatureCollection per line with
a `cooperativeWork` object
(meta version 2, type 1 = tag fix) holding a `modifyElement` operation with `setTags`/`unsetTags`.
MapRoulette shows the change to the mapper, who accepts or rejects it. New objects (missing_in_osm)
and node moves are not tag fixes: they need a change-file cooperative challenge (type 2) built from
osm_changes.osc, e.g. with `mr cooperative change`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import mapping

from osmbridge.model import DatasetResult
from osmbridge.report.atomic import write_text_atomic
from osmbridge.plan.proposals import OsmEdit, OsmEditPlan, plan_osm_edits
from osmbridge.report.links import OSM_TYPE_NAMES, osm_url

TAG_FIX = 1  # cooperativeWork meta.type: 1 = tag fix, 2 = change file
RECORD_SEPARATOR = "\x1e"  # RFC 7464: starts every JSON text of the sequence


def _element_id(edit: OsmEdit) -> str:
    return f"{OSM_TYPE_NAMES[edit.osm_type]}/{edit.osm_id}"


def maproulette_task(edit: OsmEdit, dataset: str) -> dict[str, Any]:
    """Return the task (a FeatureCollection with cooperativeWork) for one tag edit."""
    operations: list[dict[str, Any]] = []
    if edit.set_tags:
        operations.append({"operation": "setTags", "data": dict(edit.set_tags)})
    if edit.unset_tags:
        operations.append({"operation": "unsetTags", "data": list(edit.unset_tags)})
    changes = [f"{k}={v}" for k, v in edit.set_tags.items()] + [f"-{k}" for k in edit.unset_tags]
    properties = {
        "@id": _element_id(edit),
        "name": edit.name or "",
        "dataset": dataset,
        "source_id": edit.source_id or "",
        "changes": "; ".join(changes),
        "osm_url": osm_url(edit.osm_key),
        "difference_ids": ",".join(edit.difference_ids),
    }
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": _element_id(edit), "properties": properties,
                      "geometry": mapping(edit.geometry)}],
        "cooperativeWork": {
            "meta": {"version": 2, "type": TAG_FIX},
            "operations": [{
                "operationType": "modifyElement",
                "data": {"id": _element_id(edit), "operations": operations},
            }],
        },
    }


def write_maproulette(result: DatasetResult, path: Path, plan: OsmEditPlan | None = None) -> Path:
    """Write the tag-fix challenge as line-by-line GeoJSON (RS, one task, LF per line); return path."""
    plan = plan or plan_osm_edits(result)
    edits = sorted(
        (e for e in (*plan.file_edits, *plan.needs_download)
         if e.action == "modify" and (e.set_tags or e.unset_tags)),
        key=lambda e: (e.osm_type, e.osm_id),
    )
    lines = [json.dumps(maproulette_task(e, result.dataset), ensure_ascii=False, sort_keys=True) for e in edits]
    return write_text_atomic(path, "".join(RECORD_SEPARATOR + line + "\n" for line in lines))
