"""Compares a pipeline result on the demo town with truth.json: what was found, missed or made up.

Pure: takes the parsed truth and the model objects of one run. Used by the end-to-end tests and by
anyone tuning the matcher or the diff on the demo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from osmbridge.model import Difference, Match

_FIELD_KINDS = ("differs", "minor", "only_city", "only_osm")
_PLACE_KINDS = ("position", "lifecycle", "missing_in_osm", "missing_in_city", "ambiguous", "duplicate")


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """One truth case and whether the run reported it as expected."""

    kind: str
    source_id: str | None
    osm_key: str | None
    field: str | None
    expected: str
    ok: bool
    found: str  # what the run reported for this case, for the message


@dataclass(frozen=True, slots=True)
class TruthCheck:
    """How a run did against the truth: links, cases, and differences nobody injected."""

    links_expected: int
    links_found: int
    wrong_links: tuple[tuple[str, str], ...]  # (source id, OSM key) matched but not the same place
    outcomes: tuple[CaseOutcome, ...]
    unexplained: tuple[Difference, ...] = field(default=())  # differences on no truth case

    def failures(self, *kinds: str) -> list[CaseOutcome]:
        """The cases (of the given kinds, or all) the run did not report as expected."""
        return [o for o in self.outcomes if not o.ok and (not kinds or o.kind in kinds)]

    def summary(self) -> str:
        """A few lines: link recall, wrong links, cases per kind found, unexplained differences."""
        per_kind: Counter[str] = Counter(o.kind for o in self.outcomes)
        ok_kind: Counter[str] = Counter(o.kind for o in self.outcomes if o.ok)
        lines = [f"links: {self.links_found}/{self.links_expected} found, {len(self.wrong_links)} wrong"]
        lines += [f"{kind}: {ok_kind[kind]}/{count} as expected" for kind, count in per_kind.items()]
        lines.append(f"unexplained differences: {len(self.unexplained)}")
        return "\n".join(lines)


def check_against_truth(truth: Mapping[str, Any], matches: Sequence[Match],
                        differences: Sequence[Difference]) -> TruthCheck:
    """How the run's matches and differences compare with the demo's truth (current files)."""
    links = {(link["source_id"], link["osm_key"]) for link in truth["links_current"]}
    matched = {(m.source_id, m.osm_key) for m in matches if m.status == "matched" and m.source_id and m.osm_key}
    twins = {(case["source_id"], key) for case in truth["cases"] if case["kind"] == "duplicate"
             for key in case.get("osm_keys", [])}
    by_field: dict[tuple[str | None, str | None], list[Difference]] = {}
    by_place: dict[str, list[Difference]] = {}
    for difference in differences:
        by_field.setdefault((difference.source_id, difference.field), []).append(difference)
        if difference.kind in _PLACE_KINDS:  # lifecycle names the primary tag as its field
            for key in (difference.source_id, difference.osm_key):
                if key:
                    by_place.setdefault(key, []).append(difference)
    outcomes: list[CaseOutcome] = []
    explained: set[int] = set()
    for case in truth["cases"]:
        outcome, used = _judge(case, by_field, by_place)
        outcomes.append(outcome)
        explained.update(id(d) for d in used)
    return TruthCheck(
        links_expected=len(links), links_found=len(links & matched),
        wrong_links=tuple(sorted(matched - links - twins)),
        outcomes=tuple(outcomes),
        unexplained=tuple(d for d in differences if id(d) not in explained),
    )


def _judge(case: Mapping[str, Any], by_field: Mapping[tuple[str | None, str | None], list[Difference]],
           by_place: Mapping[str, list[Difference]]) -> tuple[CaseOutcome, list[Difference]]:
    source_id, osm_key, tag = case.get("source_id"), case.get("osm_key"), case.get("field")
    expected = case["expected"]
    if tag and source_id:
        seen = [d for d in by_field.get((source_id, tag), []) if d.kind in _FIELD_KINDS]
    else:  # place-level: a missing place is reported on whichever side still has it
        keys = {source_id, osm_key, *case.get("osm_keys", [])} - {None}
        seen = list({id(d): d for key in sorted(keys) for d in by_place.get(key, [])}.values())
    kinds = {d.kind for d in seen}
    wanted = expected.split(" ")[0]
    if expected == "nothing":
        ok = not seen
    elif expected.endswith(" or nothing"):
        ok = kinds <= {expected.split(" ")[0]}
    else:
        ok = wanted in kinds
        if ok and tag and case["kind"] in ("city_changed", "osm_changed", "conflict"):
            ok = any(d.kind == wanted and d.changed_side == case.get("side") for d in seen)
    found = ", ".join(sorted(f"{d.kind}/{d.changed_side}" for d in seen)) or "nothing"
    return CaseOutcome(case["kind"], source_id, osm_key, tag, expected, ok, found), seen
