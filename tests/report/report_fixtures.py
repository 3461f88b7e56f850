"""Hand-made DatasetResults for the report and party tests: a small Nantes-like run."""

from __future__ import annotations

import math
from dataclasses import replace

from shapely.geometry import Point, Polygon

from osmbridge.model import (
    CityFeature, CityPlace, DatasetResult, Difference, Evidence, Match, Note, OsmPlace, RunCounts, SkippedRecord,
    TagEdit,
)

DATASET = "nantes-culture"
EVIL_NAME = 'Salle <script>alert("x")</script> & "Co"'


def city_feature(source_id: str, lon: float, lat: float, name: str, category: str, tags: dict[str, str],
                 fields: dict[str, object] | None = None) -> CityFeature:
    fields = {"_IDOBJ": source_id, "NOM": name, "LIBTYPE": category, **(fields or {})}
    place = CityPlace(DATASET, source_id, Point(lon, lat), fields, "ODbL-1.0", f"culture.geojson#feature {source_id}")
    return CityFeature(place=place, mapping="nantes-culture", category=category, name=name, tags=tags,
                       match_tags=(("amenity", "*"),), match_distance_m=50.0, ref_tag="ref:FR:NM")


def osm_node(osm_id: int, lon: float, lat: float, tags: dict[str, str], version: int = 3) -> OsmPlace:
    point = Point(lon, lat)
    return OsmPlace("n", osm_id, version, point, tags, point, "2024-05-01T10:00:00Z")


def diff(number: int, kind: str, proposal: str, lon: float, lat: float, **extra) -> Difference:
    values = {"source_id": None, "osm_key": None, "field": None, "city_value": None, "osm_value": None,
              "changed_side": "unknown", "category": "Bibliothèque", "name": None}
    values.update(extra)
    return Difference(id=f"d{number:03d}", dataset=DATASET, kind=kind, proposal=proposal, lon=lon, lat=lat, **values)


def build_result(history_runs: int = 3) -> DatasetResult:
    """Return a run with every kind of difference, a way, a skipped record and a history."""
    park = Polygon([(-1.5600, 47.2150), (-1.5580, 47.2150), (-1.5580, 47.2165), (-1.5600, 47.2165)])
    city = (
        city_feature("100", -1.5530, 47.2180, "Médiathèque Jacques Demy", "Bibliothèque",
                     {"amenity": "library", "name": "Médiathèque Jacques Demy", "phone": "+33 2 40 41 42 43",
                      "website": "https://bm.nantes.fr", "ref:FR:NM": "100"},
                     {"TELEPHONE": "02 40 41 42 43", "SITE_WEB": "https://bm.nantes.fr"}),
        city_feature("200", -1.5450, 47.2210, "École Chauvinière", "École",
                     {"amenity": "school", "name": "École Chauvinière", "ref:FR:NM": "200"}),
        city_feature("300", -1.5511, 47.2120, "Musée d'arts", "Musée",
                     {"tourism": "museum", "name": "Musée d'arts", "ref:FR:NM": "300", "addr:housenumber": "10",
                      "addr:street": "Rue Georges Clemenceau", "addr:postcode": "44000", "addr:city": "Nantes"}),
        city_feature("400", -1.5590, 47.2157, "Jardin des plantes", "Parc",
                     {"leisure": "park", "name": "Jardin des Plantes", "ref:FR:NM": "400"}),
        city_feature("500", -1.5610, 47.2090, "Théâtre Graslin", "Théâtre",
                     {"amenity": "theatre", "name": "Théâtre Graslin", "ref:FR:NM": "500"},
                     {"ADRESSE": "1 rue Molière, Nantes", "SITE_WEB": "http://graslin.example",
                      "HORAIRES": "Mo-Fr 10:00-18:00"}),
        city_feature("600", -1.5400, 47.2300, "Piscine Léo Lagrange", "Piscine",
                     {"leisure": "sports_centre", "name": "Piscine Léo Lagrange", "ref:FR:NM": "600"}),
        city_feature("700", -1.5350, 47.2250, EVIL_NAME, "Salle", {"amenity": "community_centre", "name": EVIL_NAME}),
    )
    osm = (
        osm_node(101, -1.5531, 47.2181, {"amenity": "library", "name": "Médiathèque Jacques Demy",
                                          "phone": "+33 2 40 00 00 00", "fax": "+33 2 40 00 00 01"}, version=7),
        osm_node(102, -1.5500, 47.2126, {"tourism": "museum", "name": "Musée d'arts"}, version=2),
        OsmPlace("w", 201, 5, park, {"leisure": "park", "name": "Jardin des plantes"}, park.centroid),
        osm_node(103, -1.5611, 47.2091, {"amenity": "theatre", "name": "Théâtre Graslin",
                                          "website": "https://graslin.example", "opening_hours": "Tu-Sa 13:00-19:00"}),
        osm_node(104, -1.5480, 47.2200, {"amenity": "arts_centre", "name": "Lieu Unique"}),
        osm_node(105, -1.5401, 47.2301, {"leisure": "sports_centre", "name": "Piscine Léo Lagrange"}),
        osm_node(106, -1.5351, 47.2251, {"amenity": "community_centre", "name": "Salle"}),
        osm_node(107, -1.5352, 47.2252, {"amenity": "community_centre", "name": "Salle bis"}),
    )
    matches = (
        Match("100", "n101", "matched", "ref", 1.0, Evidence(distance_m=13.2, name_similarity=100.0, ref_match=True)),
        Match("200", None, "city_only", "none", 0.0),
        Match("300", "n102", "matched", "geometry+name", 0.82, Evidence(distance_m=85.4, name_similarity=100.0)),
        Match("400", "w201", "matched", "geometry+name", 0.91, Evidence(distance_m=0.0, name_similarity=95.0)),
        Match("500", "n103", "matched", "ref", 1.0, Evidence(distance_m=9.0)),
        Match("600", "n105", "matched", "geometry+name", 0.95, Evidence(distance_m=12.0, name_similarity=100.0)),
        Match("700", None, "ambiguous", "geometry", 0.5, None, ("n106", "n107")),
        Match(None, "n104", "osm_only", "none", 0.0),
    )
    differences = (
        diff(1, "differs", "to_osm", -1.5531, 47.2181, source_id="100", osm_key="n101", field="phone",
             city_value="+33 2 40 41 42 43", osm_value="+33 2 40 00 00 00", changed_side="city",
             base_city_value="+33 2 40 99 99 99", base_osm_value="+33 2 40 00 00 00", city_field="TELEPHONE",
             name="Médiathèque Jacques Demy", osm_version=7),
        diff(2, "only_city", "to_osm", -1.5531, 47.2181, source_id="100", osm_key="n101", field="website",
             city_value="https://bm.nantes.fr", changed_side="city", city_field="SITE_WEB",
             name="Médiathèque Jacques Demy", osm_version=7),
        diff(3, "only_osm", "to_osm", -1.5531, 47.2181, source_id="100", osm_key="n101", field="fax",
             osm_value="+33 2 40 00 00 01", changed_side="city", name="Médiathèque Jacques Demy", osm_version=7),
        diff(4, "missing_in_osm", "to_osm", -1.5450, 47.2210, source_id="200", category="École",
             name="École Chauvinière",
             osm_edit=TagEdit.of({"amenity": "school", "name": "École Chauvinière", "ref:FR:NM": "200"})),
        diff(5, "position", "to_osm", -1.5505, 47.2123, source_id="300", osm_key="n102", distance_m=85.4,
             category="Musée", name="Musée d'arts", changed_side="city"),
        diff(6, "differs", "to_osm", -1.5590, 47.2157, source_id="400", osm_key="w201", field="name",
             city_value="Jardin des Plantes", osm_value="Jardin des plantes", category="Parc",
             name="Jardin des Plantes", changed_side="city"),
        diff(7, "differs", "to_city", -1.5611, 47.2091, source_id="500", osm_key="n103", field="website",
             city_value="http://graslin.example", osm_value="https://graslin.example", changed_side="osm",
             city_field="SITE_WEB", category="Théâtre", name="Théâtre Graslin"),
        diff(8, "differs", "conflict", -1.5611, 47.2091, source_id="500", osm_key="n103", field="opening_hours",
             city_value="Mo-Fr 10:00-18:00", osm_value="Tu-Sa 13:00-19:00", changed_side="both",
             city_field="HORAIRES", category="Théâtre", name="Théâtre Graslin"),
        diff(9, "lifecycle", "to_osm", -1.5401, 47.2301, source_id="600", osm_key="n105", category="Piscine",
             name="Piscine Léo Lagrange",
             note=(Note("lifecycle"), Note("tag_note", {"key": "opening_hours", "note": Note("city_hours_raw")})),
             city_value="disused:leisure=sports_centre",
             osm_value="leisure=sports_centre",
             osm_edit=TagEdit.of({"disused:leisure": "sports_centre"}, ["leisure"])),
        diff(10, "missing_in_city", "to_city", -1.5480, 47.2200, osm_key="n104", category="Culture",
             name="Lieu Unique", changed_side="osm"),
        diff(11, "ambiguous", "review", -1.5350, 47.2250, source_id="700", category="Salle", name=EVIL_NAME),
        diff(12, "differs", "disagreement", -1.5351, 47.2251, source_id="700", osm_key="n106", field="name",
             city_value=EVIL_NAME, osm_value="Salle", category="Salle", name=EVIL_NAME, changed_side="none"),
        diff(13, "minor", "to_osm", math.nan, math.nan, source_id="999", field="name", city_value="X",
             osm_value="x", distance_m=math.nan, category="Salle", name="Sans position"),
    )
    skipped = (SkippedRecord("culture.geojson#feature 41", "geometry", "no coordinates"),
               SkippedRecord("culture.geojson#feature 12", "_IDOBJ", "empty id"),
               SkippedRecord("culture.geojson#feature 7", "CAPACITE", 'value "<b>300</b>" is not a number'))
    history = tuple(
        RunCounts(run_id=i + 1, started_at=f"2026-0{i + 1}-01T06:00:00Z", city_places=7, osm_places=8, matched=5,
                  ambiguous=1, missing_in_osm=3 - i if i < 3 else 1, missing_in_city=1, differences=30 - 8 * i,
                  skipped=2)
        for i in range(history_runs - 1)
    )
    result = DatasetResult(
        dataset=DATASET, licence="ODbL-1.0", run_id=history_runs, started_at="2026-11-26T06:00:00Z",
        city=city, osm=osm, matches=matches, differences=differences, skipped=skipped,
        city_url_template="https://data.nantes.fr/records/{id}",
    )
    current = RunCounts(run_id=history_runs, started_at=result.started_at, city_places=7, osm_places=8, matched=5,
                        ambiguous=1, missing_in_osm=1, missing_in_city=1, differences=len(differences), skipped=3)
    return replace(result, history=(*history, current))
