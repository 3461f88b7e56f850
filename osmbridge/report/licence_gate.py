"""The licence gate applied to the report files: nothing blocked reaches an upload file.

When the dataset's licence blocks city -> OSM, the JOSM file, the osmChange and the MapRoulette
challenge are written empty and every proposal to OSM is listed as left out with the reason; when it
blocks OSM -> city, the city correction and addition files hold no OSM data. The page shows both
verdicts, in English and French.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from osmbridge.model import DatasetResult
from osmbridge.push.licence import Language, LicenceVerdict, check_to_city, check_to_osm, describe, gated
from osmbridge.plan.proposals import OsmEditPlan, plan_osm_edits

BLOCKED_REASON = "reason.licence_blocked"


@dataclass(frozen=True, slots=True)
class ReportGate:
    to_osm: LicenceVerdict
    to_city: LicenceVerdict

    def strings(self) -> dict[str, dict[str, str]]:
        """The two verdicts as page strings, per language (merged into the report's STRINGS)."""
        languages: tuple[Language, ...] = ("en", "fr")
        return {lang: {"licence_gate.to_osm_verdict": describe(self.to_osm, lang),
                       "licence_gate.to_city_verdict": describe(self.to_city, lang)} for lang in languages}


def report_gate(result: DatasetResult) -> ReportGate:
    """The verdicts of both directions for a run's dataset."""
    return ReportGate(check_to_osm(result.licence, result.licence_waiver),
                      check_to_city(result.licence, result.attribution))


def gated_plan(result: DatasetResult, gate: ReportGate) -> OsmEditPlan:
    """The OSM edit plan, or none at all (every proposal left out with the licence reason) when blocked."""
    if gate.to_osm.allowed:
        return plan_osm_edits(result)
    proposals = sorted((d for d in result.differences if d.proposal == "to_osm"), key=lambda d: d.id)
    return OsmEditPlan(file_edits=(), needs_download=(), left_out=tuple((d, BLOCKED_REASON) for d in proposals))


def gated_for_city(result: DatasetResult, gate: ReportGate) -> DatasetResult:
    """The run as the city files may see it: without OSM's proposals to the city when OSM -> city is blocked.

    What holds no OSM data (one producer's value for another's record, a field agent's observation) stays.
    """
    if gate.to_city.allowed:
        return result
    kept = tuple(d for d in result.differences if d.proposal != "to_city" or not gated(d, "to_city"))
    return dataclasses.replace(result, differences=kept)
