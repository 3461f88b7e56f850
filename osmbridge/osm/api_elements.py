"""OSM elements as the API 0.6 returns them: the whole element (version, nodes, members), not a place.

An upload must send the whole element: a way written without its node list would lose its geometry.
`ApiElement` keeps everything an osmChange needs; `from_osmapi` copies osmapi's dicts into it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from osmbridge.model import OsmType

TYPE_NAMES: dict[OsmType, str] = {"n": "node", "w": "way", "r": "relation"}
TYPE_KEYS: dict[str, OsmType] = {"node": "n", "way": "w", "relation": "r"}
_KEY_TYPES: dict[str, OsmType] = {"n": "n", "w": "w", "r": "r"}


@dataclass(frozen=True, slots=True)
class Member:
    type: OsmType
    ref: int
    role: str = ""


@dataclass(frozen=True, slots=True)
class ApiElement:
    """One element as the API has it now (or as it will be written): the unit of an upload."""

    type: OsmType
    id: int  # negative for an element to create
    version: int  # 0 for an element to create
    tags: Mapping[str, str]
    lat: float | None = None  # nodes
    lon: float | None = None
    nodes: tuple[int, ...] = ()  # ways
    members: tuple[Member, ...] = ()  # relations
    changeset: int | None = None  # the changeset of the version read
    visible: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)  # user, timestamp... for messages

    @property
    def key(self) -> str:
        """n123 / w45 / r6."""
        return f"{self.type}{self.id}"


def parse_key(key: str) -> tuple[OsmType, int]:
    """("n", 123) for "n123"; ValueError for anything else."""
    kind = _KEY_TYPES.get(key[:1])
    if kind is not None and key[1:].isdigit():
        return kind, int(key[1:])
    raise ValueError(f"not an OSM element key: {key!r} (expected n123, w45 or r6)")


def from_osmapi(kind: OsmType, data: Mapping[str, Any]) -> ApiElement:
    """Copy one osmapi element dict (node_get, way_get, relation_get, parse_osc's "data") into an ApiElement."""
    members = tuple(Member(TYPE_KEYS[m["type"]], int(m["ref"]), m.get("role", "")) for m in data.get("member", []))
    return ApiElement(
        type=kind, id=int(data["id"]), version=int(data.get("version", 0)), tags=dict(data.get("tag", {})),
        lat=data.get("lat"), lon=data.get("lon"), nodes=tuple(int(n) for n in data.get("nd", [])),
        members=members, changeset=data.get("changeset"), visible=bool(data.get("visible", True)),
        extra={k: str(data[k]) for k in ("user", "timestamp") if data.get(k) is not None},
    )
