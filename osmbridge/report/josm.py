"""JOSM files: an OSM XML file to open and review, an osmChange with the same edits, and a list of
ways/relations to load in JOSM before applying their tag changes.

Nothing here is uploaded by osmbridge. The files hold only proposals to OSM ("to_osm"); a mapper
opens them in JOSM, checks each object against imagery and the ground, and uploads what is right.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from osmbridge.model import DatasetResult
from osmbridge.report.atomic import write_bytes_atomic, write_csv_atomic
from osmbridge.plan.proposals import OsmEdit, OsmEditPlan, plan_osm_edits
from osmbridge.report.links import josm_load_url, osm_url

GENERATOR = "osmbridge"
# JOSM's layer flag: "false" = upload discouraged, JOSM warns and asks before sending the layer.
UPLOAD_DISCOURAGED = "false"
_TYPE_ORDER = {"n": 0, "w": 1, "r": 2}


def osm_order(edit: OsmEdit) -> tuple[int, bool, int]:
    """Sort key of osmium's object order: type, then new (negative) ids by absolute value, then the rest."""
    return _TYPE_ORDER[edit.osm_type], edit.osm_id > 0, abs(edit.osm_id)
REVIEW_NOTE = (
    " Proposals from osmbridge for the city dataset {dataset!r}, run {run}. NOT UPLOADED, NOT TO BE"
    " UPLOADED AS IS: review every object in JOSM against imagery and local knowledge first (JOSM"
    " warns before uploading this layer). Ways and relations are not in this file (their nodes are"
    " unknown); see josm_download.csv. "
)


def _node_element(edit: OsmEdit, *, for_josm: bool) -> ET.Element:
    attrs = {"id": str(edit.osm_id)}
    if edit.version is not None:
        attrs["version"] = str(edit.version)
    if for_josm:
        # JOSM marks both changed and new objects with action="modify"; new ones have negative ids.
        attrs["action"] = "modify"
    attrs["visible"] = "true"
    attrs["lat"] = f"{edit.lat:.7f}"
    attrs["lon"] = f"{edit.lon:.7f}"
    node = ET.Element("node", attrs)
    for key, value in sorted(edit.tags.items()):
        ET.SubElement(node, "tag", {"k": key, "v": value})
    return node


def _serialise(root: ET.Element, comment: str) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    # "--" may not appear inside an XML comment.
    safe_comment = comment.replace("--", "- -")
    text = f"<?xml version='1.0' encoding='UTF-8'?>\n<!--{safe_comment}-->\n{body}\n"
    return text.encode("utf-8")


def write_josm_osm(result: DatasetResult, path: Path, plan: OsmEditPlan | None = None) -> Path:
    """Write the proposals to OSM as a JOSM OSM XML file (nodes only); return path."""
    plan = plan or plan_osm_edits(result)
    # upload="false": the proposals are for review; JOSM warns before uploading the layer as it is.
    root = ET.Element("osm", {"version": "0.6", "generator": GENERATOR, "upload": UPLOAD_DISCOURAGED})
    for edit in sorted(plan.file_edits, key=osm_order):
        root.append(_node_element(edit, for_josm=True))
    return write_bytes_atomic(path, _serialise(root, REVIEW_NOTE.format(dataset=result.dataset, run=result.run_id)))


def write_osc(result: DatasetResult, path: Path, plan: OsmEditPlan | None = None) -> Path:
    """Write the same edits as an osmChange file (create + modify blocks); return path."""
    plan = plan or plan_osm_edits(result)
    root = ET.Element("osmChange", {"version": "0.6", "generator": GENERATOR})
    creates = sorted((edit for edit in plan.file_edits if edit.action == "create"), key=osm_order)
    modifies = sorted((edit for edit in plan.file_edits if edit.action == "modify"), key=osm_order)
    if creates:
        block = ET.SubElement(root, "create")
        for edit in creates:
            block.append(_node_element(edit, for_josm=False))
    if modifies:
        block = ET.SubElement(root, "modify")
        for edit in modifies:
            block.append(_node_element(edit, for_josm=False))
    return write_bytes_atomic(path, _serialise(root, REVIEW_NOTE.format(dataset=result.dataset, run=result.run_id)))


JOSM_DOWNLOAD_HEADER = (
    "osm_id", "name", "set_tags", "unset_tags", "josm_url", "osm_url", "version", "difference_ids",
)


def write_josm_download(result: DatasetResult, path: Path, plan: OsmEditPlan | None = None) -> Path:
    """Write the way/relation tag changes as a `;` CSV with a JOSM remote-control link per row; return path.

    The link loads the object from OSM (with its nodes) and opens JOSM's tag dialog pre-filled.
    """
    plan = plan or plan_osm_edits(result)
    rows = []
    for edit in plan.needs_download:
        changes = dict(edit.set_tags) | dict.fromkeys(edit.unset_tags, "")
        rows.append((
            edit.osm_key, edit.name or "",
            " | ".join(f"{k}={v}" for k, v in edit.set_tags.items()),
            " | ".join(edit.unset_tags),
            josm_load_url(edit.osm_key, changes), osm_url(edit.osm_key),
            edit.version or "", " ".join(edit.difference_ids),
        ))
    return write_csv_atomic(path, JOSM_DOWNLOAD_HEADER, rows, excel=True)
