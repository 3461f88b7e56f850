"""Hand-made neighbourhoods over the report fixture's places (see report/report_fixtures.py)."""

from __future__ import annotations

from shapely.geometry import box

from osmbridge.party import Neighbourhood

CENTRE = Neighbourhood("Centre-ville", box(-1.565, 47.205, -1.550, 47.220), "Q1")
EAST = Neighbourhood("Malakoff", box(-1.550, 47.205, -1.530, 47.235), "Q2")
SOUTH = Neighbourhood("Île de Nantes", box(-1.56, 47.19, -1.53, 47.205), "Q3")
