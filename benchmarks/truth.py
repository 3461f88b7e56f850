"""Score a tool's links against the truth, and break its errors down by perturbation.

A link city record -> OSM feature is correct iff it is the feature the record was derived from. A
record whose origin was removed from OSM must stay unlinked: any link it gets is wrong.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

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
    """Return the keys of named features with a twin: same type, same name (case aside), within the distance.

    Real extracts map some places twice (a node and the building); a record derived from one twin
    and linked to the other counts as wrong under the strict truth, so the report flags them.
    """
    groups: dict[tuple[Kind, str], list[OsmPlace]] = defaultdict(list)
    for place in places:
        kind, name = kind_of(place), place.tags.get("name")
        if kind and name:
            groups[(kind, name.casefold())].append(place)
    twins: set[str] = set()
    for group in groups.values():
        for a, b in combinations(group, 2):
            _, _, distance_m = _GEOD.inv(a.center.x, a.center.y, b.center.x, b.center.y)
            if distance_m <= max_distance_m:
                twins |= {a.key, b.key}
    return twins
