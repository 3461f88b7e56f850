"""OSM Conflator run offline through its generated profile: same type, same max distance, links read back."""

from __future__ import annotations

import os
import sys

import pytest
from shapely.geometry import Point

from shared_data import ROOT

if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.city_io import write_city_json  # noqa: E402
from benchmarks.conflate_runner import VENV, read_links, run_conflate  # noqa: E402
from benchmarks.osm_xml import write_osm_xml  # noqa: E402
from benchmarks.synthetic import CityRecord, offset_point  # noqa: E402
from osmbridge.model import OsmPlace  # noqa: E402

LON, LAT = 2.35, 48.85


def _osm(osm_id: int, east_m: float, kind: tuple[str, str], name: str) -> OsmPlace:
    point = Point(offset_point(LON, LAT, east_m, 0.0))
    return OsmPlace("n", osm_id, 1, point, {kind[0]: kind[1], "name": name}, point)


def _city(source_id: str, east_m: float, kind: tuple[str, str], name: str) -> CityRecord:
    lon, lat = offset_point(LON, LAT, east_m, 0.0)
    return CityRecord(source_id, lon, lat, kind, name, "", ())


def test_read_links_turns_rows_into_osm_keys(tmp_path):
    listing = tmp_path / "list.csv"
    listing.write_text("ref,osm_type,osm_id,lat,lon,action\n"
                       "c1,node,12,48.8,2.3,modify\nc2,way,34,48.8,2.3,\nc3,,,48.8,2.3,create\n"
                       "c4,relation,5,48.8,2.3,modify\n", encoding="utf-8")
    assert read_links(listing) == {"c1": "n12", "c2": "w34", "c3": None, "c4": "r5"}


def _require_conflate() -> None:
    """Fail under CI (.ci/run builds conflate's virtualenv), skip elsewhere, when conflate is not installed."""
    if not (VENV / "bin" / "conflate").exists():
        message = (f"conflate's virtualenv is not built ({VENV}): python3 -m venv {VENV} && "
                   f"{VENV}/bin/pip install osm-conflate (.ci/run does it)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_conflate_links_same_type_within_max_distance_only(tmp_path):
    _require_conflate()
    school, library, pharmacy = ("amenity", "school"), ("amenity", "library"), ("amenity", "pharmacy")
    osm = [_osm(1, 0.0, school, "École A"), _osm(2, 1000.0, school, "École B"), _osm(3, 2000.0, pharmacy, "Pharmacie")]
    city = [
        _city("c1", 30.0, school, "École A"),  # same type, 30 m: linked
        _city("c2", 1010.0, library, "École B"),  # only another type nearby: not linked
        _city("c3", 2150.0, pharmacy, "Pharmacie"),  # same type but 150 m > 100 m: not linked
    ]
    write_osm_xml(osm, tmp_path / "osm.osm")
    write_city_json(city, tmp_path / "city.json")
    run = run_conflate(tmp_path / "city.json", tmp_path / "osm.osm", tmp_path, [school, library, pharmacy],
                       100.0, timeout_s=120)
    assert run.links == {"c1": "n1", "c2": None, "c3": None}
    assert run.measured.returncode == 0
    assert {"osm_read", "matched"} <= set(run.phase_s)
    assert "max_distance = 100.0" in (tmp_path / "conflate_profile.py").read_text(encoding="utf-8")
