"""Mapping-party planner: where the work is, ranked by neighbourhood, with field checklists and a
HOT Tasking Manager area and task grid.

A place needs a *survey* when only eyes on the ground can settle it (city says closed, positions
apart, ambiguous match, duplicate, OSM-only place, or a conflict where both sides changed); it is
*missing* when the city has it and OSM does not; otherwise its value *disagreements* (different,
city-only or OSM-only values) are counted. Score = 3 × survey + 2 × missing + disagreements.
"""

from osmbridge.party.model import Check, Neighbourhood, NeighbourhoodWork, PartyPlan, PartyTask, TaskCell
from osmbridge.party.neighbourhoods import load_neighbourhoods
from osmbridge.party.plan import plan_party
from osmbridge.party.write import write_party

__all__ = [
    "Check", "Neighbourhood", "NeighbourhoodWork", "PartyPlan", "PartyTask", "TaskCell",
    "load_neighbourhoods", "plan_party", "write_party",
]
