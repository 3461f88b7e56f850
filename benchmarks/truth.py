"""Score a tool's links against the truth, and break its errors down by perturbation.

A link city record -> OSM feature is correct iff it is the feature the record was derived from. A
record whose origin was removed from OSM must stay unlinked: any link it gets is wrong.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
import shapely
from pyproj import Geod

from benchmarks.synthetic import CityRecord, Kind
from osmbridge.model import OsmPlace

TWIN_LABEL = "osm_twin"  # the origin has a same-type, same-name OSM feature nearby (a real duplicate)
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, slots=True)
class Score:
    """Counts of one tool's links on one set, and the measures drawn from them."""

    correct: int = 0  # links to the record's origin
    wrong: int = 0  # links to another feature, or of a record whose origin was removed
    expected: int = 0  # records whose origin is still in OSM (the links a perfect tool makes)
    records: int = 0

    @property
    def links(self) -> int:
        return self.correct + self.wrong

    @property
    def missed(self) -> int:
        """Expected links not made (left unlinked, or linked to the wrong feature)."""
        return self.expected - self.correct

    @property
    def precision(self) -> float:
        return self.correct / self.links if self.links else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.correct + other.correct, self.wrong + other.wrong, self.expected + other.expected,
                     self.records + other.records)


@dataclass(frozen=True, slots=True)
class Failure:
    """One record a tool got wrong."""

    source_id: str
    kind: str  # "wrong_link" (to another feature), "false_link" (origin removed), "missed"
    expected: str | None
    linked: str | None
    perturbations: tuple[str, ...]
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A tool's score on a set and the records behind its errors."""

    score: Score
    failures: tuple[Failure, ...] = field(default=())


def evaluate(city: Iterable[CityRecord], expected: Mapping[str, str | None],
             links: Mapping[str, str | None]) -> Evaluation:
    """Score `links` (source_id -> linked OSM key, None or absent when unlinked) against `expected`."""
    correct = wrong = want = total = 0
    failures: list[Failure] = []
    for record in city:
        total += 1
        target = expected[record.source_id]
        linked = links.get(record.source_id)
        want += target is not None
        if linked is not None and linked == target:
            correct += 1
            continue
        if linked is not None:
            wrong += 1
            kind = "false_link" if target is None else "wrong_link"
        elif target is not None:
            kind = "missed"
        else:
            continue  # correctly left unlinked
        failures.append(Failure(record.source_id, kind, target, linked, record.perturbations, record.name))
    return Evaluation(Score(correct, wrong, want, total), tuple(failures))


def failure_breakdown(city: Iterable[CityRecord], failures: Iterable[Failure]) -> list[tuple[str, int, Counter[str]]]:
    """Return, per perturbation label (and "clean"), its record count and its failures by kind."""
    records: Counter[str] = Counter()
    for record in city:
        for label in record.perturbations or ("clean",):
            records[label] += 1
    errors: dict[str, Counter[str]] = {label: Counter() for label in records}
    for failure in failures:
        for label in failure.perturbations or ("clean",):
            errors.setdefault(label, Counter())[failure.kind] += 1
    return [(label, records[label], errors[label]) for label in sorted(records)]


def twin_keys(places: Iterable[OsmPlace], kind_of: Callable[[OsmPlace], Kind | None], max_distance_m: float) -> set[str]:
    """Return the keys of named features with a twin: same type, same name (case aside) or no name, within the distance.

    Real extracts map some places twice (a named node and an unnamed building, or two named
    nodes); a record derived from one twin and linked to the other counts as wrong under the
    strict truth, so the report flags these records.
    """
    by_kind: dict[Kind, list[OsmPlace]] = defaultdict(list)
    for place in places:
        kind = kind_of(place)
        if kind:
            by_kind[kind].append(place)
    twins: set[str] = set()
    for group in by_kind.values():
        centers = [p.center for p in group]
        # A degree radius that covers max_distance_m up to 80° of latitude; Geod then decides.
        radius_deg = max_distance_m / 111_000.0 / math.cos(math.radians(80.0))
        left, right = shapely.STRtree(centers).query(centers, predicate="dwithin", distance=radius_deg)
        for i, j in zip(left.tolist(), right.tolist()):
            a, b = group[i], group[j]
            name_a, name_b = a.tags.get("name"), b.tags.get("name")
            if i >= j or not (name_a or name_b):
                continue
            if name_a and name_b and name_a.casefold() != name_b.casefold():
                continue
            _, _, distance_m = _GEOD.inv(a.center.x, a.center.y, b.center.x, b.center.y)
            if distance_m <= max_distance_m:
                twins |= {key for key, name in ((a.key, name_a), (b.key, name_b)) if name}
    return twins
