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
        if ok and case.get("category") is not None:  # an OSM-only place goes to the city under its category
            ok = any(d.kind == wanted and d.category == case["category"] for d in seen)
    found = ", ".join(sorted(f"{d.kind}/{d.changed_side}" + (f"/{d.category}" if case.get("category") else "")
                             for d in seen)) or "nothing"
    return CaseOutcome(case["kind"], source_id, osm_key, tag, expected, ok, found), seen


def check_applied_edits(truth: Mapping[str, Any], differences: Sequence[Difference],
                        before: Mapping[str, Mapping[str, str]], after: Mapping[str, Mapping[str, str]]) -> list[str]:
    """What is wrong with OSM once the run's to_osm files are applied: one line per problem.

    `before` is the OSM input (key -> tags), `after` the same data with the run's osmChange
    applied. A closure must move exactly the truth's `lifecycle_keys` under `disused:` and keep
    every other tag; a field proposal on a node must leave the city's value in its tag (ways and
    relations go to josm_download.csv, not the osmChange); an object no proposal names must not
    change; a new node must carry no lifecycle-mangled or empty value.
    """
    problems: list[str] = []
    proposed = [d for d in differences if d.proposal == "to_osm"]
    named = {d.osm_key for d in proposed if d.osm_key}
    for case in truth["cases"]:
        key = case.get("osm_key")
        if case.get("expected") != "lifecycle" or not key or not key.startswith("n") or key not in before:
            continue
        moved = case.get("lifecycle_keys", [])
        wanted = {k: v for k, v in before[key].items() if k not in moved}
        wanted.update({f"disused:{k}": before[key][k] for k in moved if k in before[key]})
        if dict(after.get(key, {})) != wanted:
            problems.append(f"{key} ({case['source_id']} closed): {dict(after.get(key, {}))} instead of {wanted}")
    for d in proposed:
        if (d.kind in ("differs", "only_city") and d.field and d.osm_key and d.osm_key.startswith("n")
                and after.get(d.osm_key, {}).get(d.field) != d.city_value):
                problems.append(f"{d.osm_key} {d.field}: {after.get(d.osm_key, {}).get(d.field)!r} "
                                f"instead of the proposed {d.city_value!r}")
    for key, tags in before.items():
        if key not in named and dict(after.get(key, {})) != dict(tags):
            problems.append(f"{key} changed although no proposal names it")
    for key, tags in after.items():
        if key in before:
            continue
        for tag, value in tags.items():
            if not value.strip() or ("=" in value and value.split("=", 1)[0].endswith(f":{tag}")):
                problems.append(f"new node {key}: {tag}={value!r}")
    return problems
