"""Ranking neighbourhoods by work, the places to check, and the Tasking Manager grid."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pyproj import Geod
from shapely.geometry import Point, box

from osmbridge.party import Neighbourhood, plan_party
from party.party_fixtures import CENTRE, EAST, SOUTH
from report.report_fixtures import build_result


def test_neighbourhoods_are_ranked_by_work() -> None:
    plan = plan_party([build_result()], [SOUTH, EAST, CENTRE])
    ranking = [(w.rank, w.neighbourhood.name, w.survey, w.missing, w.disagreements, w.score)
               for w in plan.neighbourhoods]
    # East: pool closed (lifecycle), arts centre only in OSM, ambiguous hall -> 3 surveys; school missing.
    # Centre: museum position and theatre conflict -> 2 surveys; library phone + park name (the library's
    # website and fax, and the theatre's website, are settled at a desk: nothing to see on the ground).
    assert ranking == [
        (1, "Malakoff", 3, 1, 0, 11),
        (2, "Centre-ville", 2, 0, 2, 8),
        (3, "Île de Nantes", 0, 0, 0, 0),
    ]
    assert plan.unplaced == 1  # the difference without a position
    assert plan.outside == ()


def test_each_place_says_what_to_check() -> None:
    plan = plan_party([build_result()], [CENTRE, EAST])
    centre = next(w for w in plan.neighbourhoods if w.neighbourhood.ref == "Q1")
    by_name = {t.name: t for t in centre.tasks}
    museum = by_name["Musée d'arts"]
    assert museum.work == "survey"
    assert [(c.key, dict(c.params)) for c in museum.checks] == [("task.position", {"d": "85"})]
    assert museum.address == "10 Rue Georges Clemenceau, 44000 Nantes"
    theatre = by_name["Théâtre Graslin"]
    assert theatre.address == "1 rue Molière, Nantes"  # from the city's address column
    assert {c.key for c in theatre.checks} == {"task.conflict"}  # its website differs too: not a survey item
    library = by_name["Médiathèque Jacques Demy"]
    assert library.work == "disagreement" and library.disagreements == 1
    assert [c.params["field"] for c in library.checks] == ["phone"]
    # Surveys come first on the checklist.
    assert [t.work for t in centre.tasks] == sorted((t.work for t in centre.tasks),
                                                    key=("survey", "missing", "disagreement").index)


def test_places_outside_every_neighbourhood_are_kept_apart() -> None:
    plan = plan_party([build_result()], [CENTRE])
    assert {t.name for t in plan.outside} >= {"École Chauvinière", "Lieu Unique"}
    assert all(not CENTRE.geometry.contains(Point(t.lon, t.lat)) for t in plan.outside)


def test_overlapping_neighbourhoods_count_a_place_once() -> None:
    overlap = Neighbourhood("Big", box(-1.6, 47.1, -1.5, 47.3), "B")
    plan = plan_party([build_result()], [overlap, CENTRE])
    total = sum(len(w.tasks) for w in plan.neighbourhoods) + len(plan.outside)
    assert total == len(plan_party([build_result()], [overlap]).neighbourhoods[0].tasks)


def test_two_datasets_add_up() -> None:
    one = build_result()
    two = replace(one, dataset="nantes-bis")
    plan = plan_party([one, two], [CENTRE, EAST])
    assert plan.datasets == ("nantes-bis", "nantes-culture")
    assert plan.neighbourhoods[0].score == 22


@pytest.mark.parametrize("cell_size_m", [200.0, 500.0, 2000.0])
def test_task_grid_covers_every_place_with_clipped_square_cells(cell_size_m: float) -> None:
    plan = plan_party([build_result()], [CENTRE, EAST, SOUTH], cell_size_m=cell_size_m)
    tasks = [t for w in plan.neighbourhoods for t in w.tasks]
    assert sum(c.tasks for c in plan.cells) == len(tasks)
    assert len({c.cell_id for c in plan.cells}) == len(plan.cells)
    # The area of interest is the neighbourhoods with work, not the empty one.
    assert plan.aoi.equals(CENTRE.geometry.union(EAST.geometry))
    geod = Geod(ellps="WGS84")
    for cell in plan.cells:
        assert cell.geometry.geom_type == "Polygon"
        assert plan.aoi.buffer(1e-7).contains(cell.geometry)
        assert abs(geod.geometry_area_perimeter(cell.geometry)[0]) <= cell_size_m**2 * 1.001
        assert cell.tasks > 0
    for task in tasks:
        assert any(c.geometry.buffer(1e-7).contains(Point(task.lon, task.lat)) for c in plan.cells)


def test_no_work_means_no_area() -> None:
    result = replace(build_result(), differences=())
    plan = plan_party([result], [CENTRE])
    assert plan.aoi is None and plan.cells == ()
    assert plan.neighbourhoods[0].score == 0


def test_identifiers_are_not_checked_on_the_ground() -> None:
    result = build_result()
    library = next(d for d in result.differences if d.name == "Médiathèque Jacques Demy" and d.field)
    ref = replace(library, id="ref-diff", field="ref:FR:NM", city_value="100", osm_value="99", kind="differs")
    plan = plan_party([replace(result, differences=(*result.differences, ref))], [CENTRE])
    centre = next(w for w in plan.neighbourhoods if w.neighbourhood.ref == "Q1")
    checks = {c.params.get("field") for t in centre.tasks for c in t.checks}
    assert "ref:FR:NM" not in checks and library.field in checks
