"""The database behind the OSM API 0.6 emulator: versioned elements, changesets, atomic osmChange uploads.

Rules follow the real API (openstreetmap-website): a modify or delete names the version it replaces
(409 "Version mismatch" otherwise); a way's nodes and a relation's members must exist and be visible
(412); a node, way or relation still used elsewhere cannot be deleted (412) unless the delete block says
`if-unused`; deleting a deleted element is 410; a closed changeset takes nothing (409 "was closed at");
the whole upload is applied or nothing is.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

TYPE_NAMES = {"n": "node", "w": "way", "r": "relation"}
TYPE_KEYS = {name: key for key, name in TYPE_NAMES.items()}
MAX_CHANGES = 10_000
GENERATOR = "osmbridge OSM API 0.6 emulator"


class ApiFailure(Exception):
    """An answer the API gives instead of data: HTTP status and the plain-text message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(slots=True)
class Version:
    """One version of an element, as the API stores it."""

    type: str  # "n", "w", "r"
    id: int
    version: int
    changeset: int
    user: str
    uid: int
    timestamp: str
    visible: bool = True
    tags: dict[str, str] = field(default_factory=dict)
    lat: float | None = None
    lon: float | None = None
    nodes: list[int] = field(default_factory=list)
    members: list[tuple[str, int, str]] = field(default_factory=list)  # (type key, ref, role)

    @property
    def key(self) -> tuple[str, int]:
        return self.type, self.id


@dataclass(slots=True)
class Changeset:
    id: int
    user: str
    uid: int
    tags: dict[str, str]
    created_at: str
    open: bool = True
    closed_at: str | None = None
    changes: list[tuple[str, Version]] = field(default_factory=list)  # (action, version written)


def element_xml(version: Version) -> ET.Element:
    """The XML element of one version, as the API writes it."""
    attrs = {"id": str(version.id), "visible": "true" if version.visible else "false",
             "version": str(version.version), "changeset": str(version.changeset),
             "timestamp": version.timestamp, "user": version.user, "uid": str(version.uid)}
    if version.type == "n" and version.visible:
        attrs["lat"], attrs["lon"] = f"{version.lat:.7f}", f"{version.lon:.7f}"
    element = ET.Element(TYPE_NAMES[version.type], attrs)
    for ref in version.nodes:
        ET.SubElement(element, "nd", {"ref": str(ref)})
    for kind, ref, role in version.members:
        ET.SubElement(element, "member", {"type": TYPE_NAMES[kind], "ref": str(ref), "role": role})
    for key, value in version.tags.items():
        ET.SubElement(element, "tag", {"k": key, "v": value})
    return element


def document(children: Iterable[ET.Element], root: str = "osm") -> bytes:
    top = ET.Element(root, {"version": "0.6", "generator": GENERATOR,
                            "copyright": "OpenStreetMap and contributors",
                            "attribution": "http://www.openstreetmap.org/copyright",
                            "license": "http://opendatacommons.org/licenses/odbl/1-0/"})
    top.extend(children)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="utf-8")


class Database:
    """Every version of every element, and the changesets; not thread-safe (the server holds a lock)."""

    def __init__(self, clock: Any) -> None:
        self.history: dict[tuple[str, int], list[Version]] = {}
        self.changesets: dict[int, Changeset] = {}
        self.clock = clock
        self._next_id = {"n": 1_000_000, "w": 1_000_000, "r": 1_000_000}
        self._next_changeset = 1000

    # --- elements --------------------------------------------------------------------------------

    def put(self, version: Version) -> Version:
        """Store a version as the newest of its element (loading data, or a mapper's edit)."""
        self.history.setdefault(version.key, []).append(version)
        self._next_id[version.type] = max(self._next_id[version.type], version.id + 1)
        return version

    def current(self, kind: str, element_id: int) -> Version:
        """The newest version; 404 if the element never existed, 410 if it is deleted."""
        versions = self.history.get((kind, element_id))
        if not versions:
            raise ApiFailure(404, f"The {TYPE_NAMES[kind]} with the id {element_id} was not found")
        if not versions[-1].visible:
            raise ApiFailure(410, f"The {TYPE_NAMES[kind]} with the id {element_id} has already been deleted")
        return versions[-1]

    def latest(self, kind: str, element_id: int) -> Version | None:
        versions = self.history.get((kind, element_id))
        return versions[-1] if versions else None

    def users_of(self, kind: str, element_id: int) -> list[tuple[str, int]]:
        """Visible ways and relations that use an element."""
        found = []
        for versions in self.history.values():
            newest = versions[-1]
            if not newest.visible:
                continue
            in_way = kind == "n" and newest.type == "w" and element_id in newest.nodes
            in_relation = newest.type == "r" and any(m[0] == kind and m[1] == element_id for m in newest.members)
            if in_way or in_relation:
                found.append(newest.key)
        return sorted(found)

    # --- changesets ------------------------------------------------------------------------------

    def open_changeset(self, user: str, uid: int, tags: Mapping[str, str]) -> Changeset:
        self._next_changeset += 1
        changeset = Changeset(self._next_changeset, user, uid, dict(tags), self.clock())
        self.changesets[changeset.id] = changeset
        return changeset

    def writable_changeset(self, changeset_id: int, uid: int) -> Changeset:
        changeset = self.changesets.get(changeset_id)
        if changeset is None:
            raise ApiFailure(404, f"The changeset with the id {changeset_id} was not found")
        if changeset.uid != uid:
            raise ApiFailure(409, "The user doesn't own that changeset")
        if not changeset.open:
            raise ApiFailure(409, f"The changeset {changeset_id} was closed at {changeset.closed_at}")
        return changeset

    def close_changeset(self, changeset: Changeset) -> None:
        changeset.open, changeset.closed_at = False, self.clock().replace("T", " ").replace("Z", " UTC")

    # --- uploads ---------------------------------------------------------------------------------

    def apply_upload(self, changeset: Changeset, body: bytes) -> bytes:
        """Apply an osmChange atomically; return the diffResult document."""
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            raise ApiFailure(400, f"Cannot parse valid osmChange from xml string: {error}") from None
        if root.tag != "osmChange":
            raise ApiFailure(400, "Cannot parse valid osmChange from xml string: the root element must be osmChange")
        count = sum(len(block) for block in root)
        if len(changeset.changes) + count > MAX_CHANGES:
            raise ApiFailure(409, f"The changeset {changeset.id} was closed at {self.clock()} "
                                  f"(it reached {MAX_CHANGES} changes)")
        saved_history = copy.deepcopy(self.history)
        saved_next = dict(self._next_id)
        placeholders: dict[tuple[str, int], int] = {}
        results: list[ET.Element] = []
        written: list[tuple[str, Version]] = []
        try:
            for block in root:
                if block.tag not in ("create", "modify", "delete"):
                    raise ApiFailure(400, f"Unknown action {block.tag}, choices are create, modify, delete")
                if_unused = block.get("if-unused") is not None
                for item in block:
                    outcome = self._apply_one(changeset, block.tag, item, placeholders, if_unused)
                    results.append(outcome[0])
                    if outcome[1] is not None:
                        written.append((block.tag, outcome[1]))
        except ApiFailure:
            self.history, self._next_id = saved_history, saved_next
            raise
        changeset.changes.extend(written)
        return document(results, root="diffResult")

    def _apply_one(self, changeset: Changeset, action: str, item: ET.Element,
                   placeholders: dict[tuple[str, int], int], if_unused: bool) -> tuple[ET.Element, Version | None]:
        if item.tag not in TYPE_KEYS:
            raise ApiFailure(400, f"Unknown element {item.tag} in osmChange")
        kind, old_id = TYPE_KEYS[item.tag], int(item.get("id", "0"))
        if int(item.get("changeset", "0")) != changeset.id:
            raise ApiFailure(409, f"Changeset mismatch: Provided {item.get('changeset', '0')} but only "
                                  f"{changeset.id} is allowed")
        result = ET.Element(item.tag, {"old_id": str(old_id)})
        if action == "create":
            if old_id >= 0:
                raise ApiFailure(400, f"Placeholder IDs must be negative: {item.tag} {old_id}")
            new_id = self._next_id[kind]
            self._next_id[kind] += 1
            placeholders[(kind, old_id)] = new_id
            version = self._version_from(changeset, kind, new_id, 1, item, placeholders)
            self.put(version)
            result.set("new_id", str(new_id))
            result.set("new_version", "1")
            return result, version
        element_id = placeholders.get((kind, old_id), old_id)
        current = self.latest(kind, element_id)
        if current is None:
            raise ApiFailure(404, f"The {item.tag} with the id {element_id} was not found")
        provided = int(item.get("version", "0"))
        if action == "delete" and not current.visible:
            if if_unused:
                result.set("new_id", str(element_id))
                result.set("new_version", str(current.version))
                return result, None
            raise ApiFailure(410, f"The {item.tag} with the id {element_id} has already been deleted")
        if provided != current.version:
            raise ApiFailure(409, f"Version mismatch: Provided {provided}, server had: {current.version} of "
                                  f"{item.tag.capitalize()} {element_id}")
        if action == "modify":
            if not current.visible:
                raise ApiFailure(410, f"The {item.tag} with the id {element_id} has already been deleted")
            version = self._version_from(changeset, kind, element_id, current.version + 1, item, placeholders)
            self.put(version)
            result.set("new_id", str(element_id))
            result.set("new_version", str(version.version))
            return result, version
        users = self.users_of(kind, element_id)
        if users:
            if if_unused:
                result.set("new_id", str(element_id))
                result.set("new_version", str(current.version))
                return result, None
            used_by = ",".join(str(ref) for _kind, ref in users)
            what = "ways" if users[0][0] == "w" else "relations"
            raise ApiFailure(412, f"Precondition failed: {item.tag.capitalize()} {element_id} is still used by "
                                  f"{what} {used_by}.")
        version = Version(kind, element_id, current.version + 1, changeset.id, changeset.user, changeset.uid,
                          self.clock(), visible=False)
        self.put(version)
        return result, version

    def _version_from(self, changeset: Changeset, kind: str, element_id: int, number: int, item: ET.Element,
                      placeholders: Mapping[tuple[str, int], int]) -> Version:
        tags = {tag.get("k", ""): tag.get("v", "") for tag in item.findall("tag")}
        version = Version(kind, element_id, number, changeset.id, changeset.user, changeset.uid, self.clock(),
                          tags=tags)
        if kind == "n":
            try:
                version.lat, version.lon = float(item.get("lat", "")), float(item.get("lon", ""))
            except ValueError:
                raise ApiFailure(400, f"Fatal error: Lat and lon required for node {element_id}") from None
        elif kind == "w":
            refs = [placeholders.get(("n", int(nd.get("ref", "0"))), int(nd.get("ref", "0")))
                    for nd in item.findall("nd")]
            missing = [ref for ref in refs if not self._visible("n", ref)]
            if missing:
                raise ApiFailure(412, f"Precondition failed: Way {element_id} requires the nodes with id in "
                                      f"{','.join(map(str, missing))}, which either do not exist, or are not visible.")
            version.nodes = refs
        else:
            members = []
            for member in item.findall("member"):
                member_kind = TYPE_KEYS.get(member.get("type", ""), "n")
                ref = int(member.get("ref", "0"))
                members.append((member_kind, placeholders.get((member_kind, ref), ref), member.get("role", "")))
            missing_members = [f"{TYPE_NAMES[k].capitalize()} {ref}" for k, ref, _ in members
                               if not self._visible(k, ref)]
            if missing_members:
                raise ApiFailure(412, f"Precondition failed: Relation with id {element_id} cannot be saved due to "
                                      f"{', '.join(missing_members)}")
            version.members = members
        return version

    def _visible(self, kind: str, element_id: int) -> bool:
        newest = self.latest(kind, element_id)
        return newest is not None and newest.visible

    # --- reading back ----------------------------------------------------------------------------

    def changeset_download(self, changeset_id: int) -> bytes:
        changeset = self.changesets.get(changeset_id)
        if changeset is None:
            raise ApiFailure(404, f"The changeset with the id {changeset_id} was not found")
        root = ET.Element("osmChange", {"version": "0.6", "generator": GENERATOR})
        for action, version in changeset.changes:
            block = ET.SubElement(root, action)
            block.append(element_xml(version))
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")

    def changeset_xml(self, changeset: Changeset) -> ET.Element:
        attrs = {"id": str(changeset.id), "created_at": changeset.created_at,
                 "open": "true" if changeset.open else "false", "user": changeset.user,
                 "uid": str(changeset.uid), "comments_count": "0", "changes_count": str(len(changeset.changes))}
        if changeset.closed_at:
            attrs["closed_at"] = changeset.closed_at
        element = ET.Element("changeset", attrs)
        for key, value in changeset.tags.items():
            ET.SubElement(element, "tag", {"k": key, "v": value})
        return element
