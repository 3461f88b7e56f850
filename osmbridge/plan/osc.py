"""osmChange documents of planned changes, and the server's diffResult read back.

The same bytes are written by `--dry-run`, kept in the push journal and posted to
/api/0.6/changeset/#id/upload, so what a person inspects is what is sent. osmium applies them to an
extract (`osmium apply-changes`, pyosmium's MergeInputReader) the same way.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from osmbridge.osm.api_elements import TYPE_KEYS, TYPE_NAMES, ApiElement
from osmbridge.plan.osm_changes import PlannedChange

GENERATOR = "osmbridge"
_ORDER = ("create", "modify", "delete")


def element_xml(element: ApiElement, changeset_id: int, *, with_version: bool = True) -> ET.Element:
    """One element as osmChange writes it: the whole element, tagged with the changeset it goes into."""
    attrs = {"id": str(element.id), "changeset": str(changeset_id)}
    if with_version:
        attrs["version"] = str(element.version)
    if element.type == "n":
        attrs["lat"], attrs["lon"] = f"{element.lat:.7f}", f"{element.lon:.7f}"
    node = ET.Element(TYPE_NAMES[element.type], attrs)
    for ref in element.nodes:
        ET.SubElement(node, "nd", {"ref": str(ref)})
    for member in element.members:
        ET.SubElement(node, "member", {"type": TYPE_NAMES[member.type], "ref": str(member.ref), "role": member.role})
    for key, value in sorted(element.tags.items()):
        ET.SubElement(node, "tag", {"k": key, "v": value})
    return node


def osmchange(changes: Sequence[PlannedChange], changeset_id: int = 0, *, generator: str = GENERATOR) -> bytes:
    """The osmChange document of `changes`: create, then modify, then delete (deletes `if-unused`)."""
    root = ET.Element("osmChange", {"version": "0.6", "generator": generator})
    for action in _ORDER:
        chosen = [c for c in changes if c.action == action]
        if not chosen:
            continue
        block = ET.SubElement(root, action, {"if-unused": "true"} if action == "delete" else {})
        for change in sorted(chosen, key=lambda c: ("nwr".index(c.element.type), abs(c.element.id))):
            block.append(element_xml(change.element, changeset_id, with_version=action != "create"))
    ET.indent(root, space="  ")
    return b"<?xml version='1.0' encoding='UTF-8'?>\n" + ET.tostring(root, encoding="utf-8") + b"\n"


@dataclass(frozen=True, slots=True)
class DiffResultEntry:
    """What the server did with one element: new id and version (None for a delete)."""

    key: str  # the id sent: "n-1" for a placeholder, "n123"
    new_key: str | None
    new_version: int | None


class DiffResultError(ValueError):
    """The server's answer is not a diffResult."""


def parse_diff_result(body: bytes) -> list[DiffResultEntry]:
    """Read the `<diffResult>` of an upload, in the order the server wrote it."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise DiffResultError(f"the server's answer is not XML: {error}") from None
    if root.tag != "diffResult":
        raise DiffResultError(f"expected <diffResult>, the server sent <{root.tag}>")
    entries = []
    for item in root:
        kind = TYPE_KEYS.get(item.tag)
        if kind is None or item.get("old_id") is None:
            raise DiffResultError(f"unexpected <{item.tag}> in the diffResult")
        new_id, new_version = item.get("new_id"), item.get("new_version")
        entries.append(DiffResultEntry(f"{kind}{item.get('old_id')}", f"{kind}{new_id}" if new_id else None,
                                       int(new_version) if new_version else None))
    return entries


def sent_keys(changes: Iterable[PlannedChange]) -> set[str]:
    return {change.key for change in changes}
