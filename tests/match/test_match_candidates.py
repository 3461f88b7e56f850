"""Candidate distances: metres on the ellipsoid, whether the data fits a town or spans a region."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

from osmbridge.match.candidates import find_candidates, metric_frame


def _points(rng: np.random.Generator, count: int, half_span_deg: float) -> np.ndarray:
    lon = 2.35 + rng.uniform(-half_span_deg, half_span_deg, count)
    lat = 48.85 + rng.uniform(-half_span_deg, half_span_deg, count) * 0.7
    return shapely.points(lon, lat)


def test_distances_agree_with_the_ellipsoid_in_a_town_and_in_a_region() -> None:
    rng = np.random.default_rng(5)
    geod = Geod(ellps="WGS84")
    for half_span_deg, local in ((0.05, True), (0.5, False)):  # about 7 km and 70 km across
        city, osm = _points(rng, 300, half_span_deg), _points(rng, 3000, half_span_deg)
        frame = metric_frame(city, osm)
        assert frame.local is local
        pairs = find_candidates(city, osm, np.full(len(city), 400.0), frame=frame)
        assert len(pairs) > 50
        a, b = city[pairs.city], osm[pairs.osm]
        _, _, expected = geod.inv(shapely.get_x(a), shapely.get_y(a), shapely.get_x(b), shapely.get_y(b))
        assert np.abs(pairs.distance_m - expected).max() <= 0.002 * 400.0
        assert (pairs.distance_m <= 400.0).all()
