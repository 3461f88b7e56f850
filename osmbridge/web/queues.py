"""Queues and filters: which review items a page lists, parsed from (and written back to) its URL.

A view is a dataset, a queue (to OSM, to the city, conflicts, matches to confirm) and filters
(state, kind, category, neighbourhood, changed side, text); its URL is the shareable form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, get_args

from shapely import STRtree
from shapely.geometry import Point

from osmbridge.model import ChangedSide, DiffKind, ReviewState
from osmbridge.party.model import Neighbourhood
from osmbridge.review import REVIEW_STATES, ItemFilter, ReviewItem
from osmbridge.store import Store
from osmbridge.web.problems import Problem

Queue = Literal["to_osm", "to_city", "conflicts", "matches"]
QUEUES: tuple[Queue, ...] = get_args(Queue)
# "waiting": what still needs a person now; deferred and needs-survey items have their own filters.
WAITING: tuple[ReviewState, ...] = ("open", "stale")
STATE_CHOICES = ("waiting", *(s for s in REVIEW_STATES if s != "resolved"), "all")
KINDS: tuple[DiffKind, ...] = get_args(DiffKind)
CHANGED_SIDES: tuple[ChangedSide, ...] = get_args(ChangedSide)
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class View:
    """One filtered queue of one dataset, as its URL says."""

    dataset: str
    queue: Queue
    state: str = "waiting"
    kind: str = ""
    category: str = ""
    neighbourhood: str = ""
    changed: str = ""
    text: str = ""
    page: int = 1
    producer: str = ""  # datasets with several producers: the items routed to this one

    @classmethod
    def parse(cls, dataset: str, queue: str, params: Mapping[str, str]) -> View:
        """Read a view from a queue name and query parameters; Problem 404/400 on unknown values."""
        if queue not in QUEUES:
            raise Problem(404, "error.404", f"no queue {queue!r}; queues: {', '.join(QUEUES)}")
        view = cls(dataset=dataset, queue=queue, state=params.get("state") or "waiting",
                   kind=params.get("kind", ""), category=params.get("category", ""),
                   neighbourhood=params.get("neighbourhood", ""), changed=params.get("changed", ""),
                   text=params.get("q", "").strip(), producer=params.get("producer", "").strip())
        for name, value, allowed in (("state", view.state, STATE_CHOICES), ("kind", view.kind, KINDS),
                                     ("changed", view.changed, CHANGED_SIDES)):
            if value and value not in allowed:
                raise Problem(400, "error.404", f"{name}={value!r}: expected one of {', '.join(allowed)}")
        try:
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            raise Problem(400, "error.404", "page: expected a number") from None
        return replace(view, page=page)

    def query(self, **changes: object) -> dict[str, str]:
        """The query parameters of this view (defaults left out), with some changed: for links."""
        values = {"state": self.state if self.state != "waiting" else "", "kind": self.kind,
                  "category": self.category, "neighbourhood": self.neighbourhood, "changed": self.changed,
                  "q": self.text, "producer": self.producer, "page": str(self.page) if self.page > 1 else ""}
        values.update({k: "" if v is None else str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}

    def item_filter(self, neighbourhood: Neighbourhood | None = None) -> ItemFilter:
        """The store filter of this view (a neighbourhood narrows it to its bounding box here)."""
        base = queue_filter(self.dataset, self.queue)
        states: tuple[ReviewState, ...] = (WAITING if self.state == "waiting" else () if self.state == "all"
                                           else (self.state,))  # type: ignore[assignment]
        return replace(base, states=states,
                       kinds=(self.kind,) if self.kind else base.kinds,  # type: ignore[arg-type]
                       categories=(self.category,) if self.category else (),
                       changed_sides=(self.changed,) if self.changed else (),  # type: ignore[arg-type]
                       text=self.text or None, producer=self.producer or None,
                       bbox=neighbourhood.geometry.bounds if neighbourhood is not None else None)


def queue_filter(dataset: str, queue: Queue) -> ItemFilter:
    """The items of one queue, whatever their state."""
    if queue == "matches":
        return ItemFilter(dataset=dataset, kinds=("ambiguous", "duplicate"))
    if queue == "conflicts":
        # Conflicts, disagreements, and what the diff stage left to a person (a possible duplicate
        # creation, a city value not valid for OSM, a link lost since the last sync).
        return ItemFilter(dataset=dataset, proposals=("conflict", "disagreement", "review"),
                          kinds=tuple(k for k in KINDS if k not in ("ambiguous", "duplicate")))
    return ItemFilter(dataset=dataset, directions=(queue,))


class Neighbourhoods:
    """The configured neighbourhoods, to filter items by the one they lie in."""

    def __init__(self, areas: Sequence[Neighbourhood]) -> None:
        self.areas = sorted(areas, key=lambda n: (n.name, n.ref))
        self.by_name = {n.name: n for n in self.areas}
        self._tree = STRtree([n.geometry for n in self.areas]) if self.areas else None

    def get(self, name: str) -> Neighbourhood:
        if name not in self.by_name:
            raise Problem(400, "error.404", f"no neighbourhood {name!r}")
        return self.by_name[name]

    def name_of(self, lon: float | None, lat: float | None) -> str | None:
        """The neighbourhood a position lies in (the first by name where they overlap), or None."""
        if self._tree is None or lon is None or lat is None:
            return None
        hits = self._tree.query(Point(lon, lat), predicate="intersects")
        return self.areas[int(min(hits))].name if len(hits) else None


def list_view(store: Store, view: View, neighbourhoods: Neighbourhoods,
              page_size: int = PAGE_SIZE) -> tuple[list[ReviewItem], int]:
    """One page of a view's items and how many there are in all."""
    offset = (view.page - 1) * page_size
    if not view.neighbourhood:
        where = view.item_filter()
        return store.review_items(where, limit=page_size, offset=offset), store.count_review_items(where)
    items = all_in_view(store, view, neighbourhoods)
    return items[offset:offset + page_size], len(items)


def all_in_view(store: Store, view: View, neighbourhoods: Neighbourhoods) -> list[ReviewItem]:
    """Every item of a view, in the store's order (category, name, place, field)."""
    if not view.neighbourhood:
        return store.review_items(view.item_filter())
    area = neighbourhoods.get(view.neighbourhood)
    return [item for item in store.review_items(view.item_filter(area))
            if area.geometry.intersects(Point(item.difference.lon, item.difference.lat))]


def next_item(store: Store, view: View, current: ReviewItem, neighbourhoods: Neighbourhoods) -> ReviewItem | None:
    """The first item of the view at another place after `current` (in the view's order), or None."""
    here = place_of(current)
    key = order_key(current)
    later = [item for item in all_in_view(store, replace(view, page=1), neighbourhoods)
             if place_of(item) != here and order_key(item) > key]
    return min(later, key=order_key) if later else None


def place_of(item: ReviewItem) -> tuple[str, str]:
    return item.difference.source_id or "", item.difference.osm_key or ""


def order_key(item: ReviewItem) -> tuple[str, ...]:
    d = item.difference
    return d.category, d.name or "", d.source_id or "", d.osm_key or "", d.field or "", d.id
