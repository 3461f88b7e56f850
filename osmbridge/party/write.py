"""Write the mapping-party files: ranked list (HTML, CSV), printable checklists, Tasking Manager AOI and grid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPoint, MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient
from shapely.geometry.base import BaseGeometry

from osmbridge.diff.places import UNKNOWN_CATEGORY
from osmbridge.party.model import Check, Neighbourhood, NeighbourhoodWork, PartyPlan, PartyTask
from osmbridge.party.survey import SURVEY_STRINGS, PartySurvey, qr_svg
from osmbridge.report.assets import (
    OSM_TILES, environment, leaflet_css, leaflet_js, package_text,
)
from osmbridge.report.atomic import write_csv_atomic, write_text_atomic
from osmbridge.report.i18n import STRINGS as REPORT_STRINGS
from osmbridge.report.links import osm_url

PARTY_COLUMNS = ("rank", "neighbourhood", "ref", "missing_in_osm", "disagreements", "survey", "score",
                 "places", "checklist")
# The report's colours for the same ideas: position/survey purple, missing in OSM orange, differs red.
WORK_COLOURS = {"survey": "#9467bd", "missing": "#ff7f0e", "disagreement": "#d62728"}
STRINGS = {lang: {**table, **SURVEY_STRINGS[lang]} for lang, table in REPORT_STRINGS.items()}
# Display only: boundaries are simplified to about 5 m, the files keep the full shapes.
_DISPLAY_TOLERANCE_DEG = 0.00005


def check_text(check: Check, lang: str = "en") -> str:
    """Return a check as a sentence in `lang`."""
    return STRINGS[lang][check.key].format_map(dict(check.params))


def rfc7946_rings(geometry: BaseGeometry) -> BaseGeometry:
    """Return polygons with RFC 7946 winding: outer rings counter-clockwise, holes clockwise."""
    if isinstance(geometry, Polygon):
        return orient(geometry, sign=1.0)
    if isinstance(geometry, MultiPolygon):
        return MultiPolygon([orient(part, sign=1.0) for part in geometry.geoms])
    return geometry


def _geojson(geometry: BaseGeometry, simplify: bool = False) -> dict[str, Any]:
    if simplify:
        geometry = geometry.simplify(_DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    return mapping(rfc7946_rings(geometry))


def _feature_collection(features: list[dict[str, Any]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


def _aoi_text(geometry: BaseGeometry, name: str) -> str:
    # The Tasking Manager takes one Polygon or MultiPolygon feature as the project area.
    return _feature_collection([{"type": "Feature", "properties": {"name": name}, "geometry": _geojson(geometry)}])


def _grid_text(plan: PartyPlan) -> str:
    features = [{
        "type": "Feature",
        "properties": {"cell": c.cell_id, "places": c.tasks, "missing_in_osm": c.missing,
                       "disagreements": c.disagreements, "survey": c.survey},
        "geometry": _geojson(c.geometry),
    } for c in plan.cells]
    return _feature_collection(features)


def _task_payload(task: PartyTask, number: int) -> dict[str, Any]:
    return {"n": number, "name": task.name or "", "work": task.work, "lat": round(task.lat, 7),
            "lon": round(task.lon, 7), "address": task.address}


def _checklist_context(work: NeighbourhoodWork, survey: PartySurvey) -> dict[str, Any]:
    url = survey.page_url(work)
    return {
        "work": work,
        "survey_url": url,
        "survey_qr": qr_svg(url) if url else "",
        "answer_of": survey.answer_of,
        "tasks": list(enumerate(work.tasks, start=1)),
        "payload": {
            "strings": STRINGS, "tiles": OSM_TILES, "colours": WORK_COLOURS,
            "tasks": [_task_payload(t, n) for n, t in enumerate(work.tasks, start=1)],
            "area": _geojson(work.neighbourhood.geometry, simplify=True),
        },
    }


OUTSIDE_CHECKLIST = "checklists/outside.html"


def _outside_work(plan: PartyPlan) -> NeighbourhoodWork:
    """Return the places in no neighbourhood as one more checklist (its area: around the places)."""
    tasks = plan.outside
    hull = MultiPoint([(t.lon, t.lat) for t in tasks]).convex_hull.buffer(0.002)
    return NeighbourhoodWork(
        neighbourhood=Neighbourhood(name=STRINGS["en"]["party.outside"], geometry=hull, ref="outside"),
        rank=0, tasks=tasks,
        missing=sum(1 for t in tasks if t.work == "missing"),
        disagreements=sum(t.disagreements for t in tasks if t.work != "survey"),
        survey=sum(1 for t in tasks if t.work == "survey"),
        score=0,
    )


def _common_context() -> dict[str, Any]:
    return {
        "en": STRINGS["en"],
        "colours": WORK_COLOURS,
        "check_text": check_text,
        "unknown_category": UNKNOWN_CATEGORY,
        "osm_url": osm_url,
        "leaflet_css": leaflet_css(),
        "leaflet_js": leaflet_js(),
        "page_css": package_text("osmbridge.report", "report.css", "style")
        + package_text("osmbridge.party", "party.css", "style"),
        "i18n_js": package_text("osmbridge.report", "i18n.js", "script"),
        "page_js": package_text("osmbridge.report", "spread.js", "script")
        + package_text("osmbridge.party", "party.js", "script"),
    }


def write_party(plan: PartyPlan, out_dir: Path, survey: PartySurvey | None = None) -> dict[str, Path]:
    """Write the party files into out_dir; return name -> path.

    party.html, party.csv, checklists/NN-name.html (and checklists/outside.html), tm_aoi.geojson,
    tm_tasks.geojson (when there is work) and aoi/NN-name.geojson. With `survey`, each checklist
    links (and QR-codes) to its neighbourhood's survey page and shows the places already checked.
    """
    survey = survey or PartySurvey()
    out_dir.mkdir(parents=True, exist_ok=True)
    env = environment("osmbridge.party")
    common = _common_context()
    written: dict[str, Path] = {}
    with_work = [w for w in plan.neighbourhoods if w.tasks]

    checklist_names: dict[str, str] = {}
    for work in with_work:
        name = f"checklists/{work.slug}.html"
        checklist_names[work.neighbourhood.ref or work.neighbourhood.name] = name
        html = env.get_template("checklist.html.j2").render(**common, **_checklist_context(work, survey))
        written[name] = write_text_atomic(out_dir / name, html)
        aoi_name = f"aoi/{work.slug}.geojson"
        aoi_text = _aoi_text(work.neighbourhood.geometry, work.neighbourhood.name)
        written[aoi_name] = write_text_atomic(out_dir / aoi_name, aoi_text)

    if plan.outside:
        outside = _outside_work(plan)
        html = env.get_template("checklist.html.j2").render(**common, **_checklist_context(outside, survey),
                                                            outside=True)
        written[OUTSIDE_CHECKLIST] = write_text_atomic(out_dir / OUTSIDE_CHECKLIST, html)

    def checklist_of(work: NeighbourhoodWork) -> str:
        return checklist_names.get(work.neighbourhood.ref or work.neighbourhood.name, "")

    rows = [(w.rank, w.neighbourhood.name, w.neighbourhood.ref, w.missing, w.disagreements, w.survey, w.score,
             len(w.tasks), checklist_of(w)) for w in plan.neighbourhoods]
    written["party.csv"] = write_csv_atomic(out_dir / "party.csv", PARTY_COLUMNS, rows, excel=True)

    if plan.aoi is not None:
        aoi_text = _aoi_text(plan.aoi, "osmbridge party")
        written["tm_aoi.geojson"] = write_text_atomic(out_dir / "tm_aoi.geojson", aoi_text)
        written["tm_tasks.geojson"] = write_text_atomic(out_dir / "tm_tasks.geojson", _grid_text(plan))

    areas = [{
        "type": "Feature",
        "properties": {"rank": w.rank, "name": w.neighbourhood.name, "score": w.score,
                       "checklist": checklist_of(w)},
        "geometry": _geojson(w.neighbourhood.geometry, simplify=True),
    } for w in plan.neighbourhoods]
    tasks = [dict(_task_payload(t, 0), area=w.rank) for w in with_work for t in w.tasks]
    payload = {
        "strings": STRINGS, "tiles": OSM_TILES, "colours": WORK_COLOURS,
        "areas": {"type": "FeatureCollection", "features": areas},
        "tasks": tasks + [_task_payload(t, 0) for t in plan.outside],
        "max_score": max([w.score for w in plan.neighbourhoods] + [1]),
    }
    html = env.get_template("party.html.j2").render(
        **common, plan=plan, checklist_of=checklist_of, payload=payload, outside_checklist=OUTSIDE_CHECKLIST,
        has_tm="tm_aoi.geojson" in written, surveyed=survey.surveyed if survey.answers else None,
    )
    written["party.html"] = write_text_atomic(out_dir / "party.html", html)
    return dict(sorted(written.items()))
