"""Edit planning: what accepted items do to OSM elements, as whole-element changes and osmChange files.

The push stage plans against the elements the API returns right before upload; the report files
(`plan_osm_edits`) plan against the run's own data with the same rules. The planner is pure (no
network, no clock), so what it decides is tested on data alone.
"""

from osmbridge.plan.osc import DiffResultEntry, DiffResultError, osmchange, parse_diff_result
from osmbridge.plan.osm_changes import OsmPlan, PlannedChange, PlanRules, Refusal, plan_osm_changes
from osmbridge.plan.proposals import OsmEdit, OsmEditPlan, plan_osm_edits

__all__ = ["DiffResultEntry", "DiffResultError", "OsmEdit", "OsmEditPlan", "OsmPlan", "PlanRules", "PlannedChange",
           "Refusal", "osmchange", "parse_diff_result", "plan_osm_changes", "plan_osm_edits"]
