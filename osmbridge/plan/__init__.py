"""Edit planning: what accepted items do to OSM elements, as whole-element changes and osmChange files.

The push stage plans against the elements the API returns right before upload; the planner is pure
(no network, no clock), so what it decides is tested on data alone.
"""

from osmbridge.plan.osc import DiffResultEntry, DiffResultError, osmchange, parse_diff_result
from osmbridge.plan.osm_changes import OsmPlan, PlannedChange, PlanRules, Refusal, plan_osm_changes

__all__ = ["DiffResultEntry", "DiffResultError", "OsmPlan", "PlanRules", "PlannedChange", "Refusal",
           "osmchange", "parse_diff_result", "plan_osm_changes"]
