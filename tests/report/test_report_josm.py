"""JOSM OSM XML, osmChange and the way download list, read back with osmium and ElementTree."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import osmium

from osmbridge.report import plan_osm_edits, write_josm_download, write_josm_osm, write_osc
from report.report_fixtures import build_result


def read_objects(path: Path) -> dict[str, tuple[int, dict[str, str], tuple[float, float]]]:
    objects = {}
    for obj in osmium.FileProcessor(str(path)):
        objects[f"{obj.type_str()}{obj.id}"] = (obj.version, dict(obj.tags), (obj.location.lon, obj.location.lat))
    return objects


def test_josm_file_applies_only_proposals_to_osm(tmp_path: Path) -> None:
    path = write_josm_osm(build_result(), tmp_path / "to_osm.osm")
    objects = read_objects(path)
    assert set(objects) == {"n101", "n102", "n105", "n-1"}
    version, tags, _ = objects["n101"]
    assert version == 7
    assert tags == {"amenity": "library", "name": "Médiathèque Jacques Demy", "phone": "+33 2 40 41 42 43",
                    "website": "https://bm.nantes.fr"}  # phone changed, website added, fax removed
    # The museum is moved to the city position.
    assert objects["n102"][2] == (-1.5511, 47.212)
    # The school missing in OSM is a new node with exactly the tags its difference proposes.
    assert objects["n-1"][1] == {"amenity": "school", "name": "École Chauvinière", "ref:FR:NM": "200"}
    # The pool the city closed keeps its name; its main key moves under the lifecycle prefix.
    assert objects["n105"][1] == {"disused:leisure": "sports_centre", "name": "Piscine Léo Lagrange"}
    # The theatre has a conflict and a proposal to the city only: it must not be touched.
    assert "n103" not in objects

    root = ET.parse(path).getroot()
    assert root.tag == "osm" and root.get("version") == "0.6" and root.get("generator") == "osmbridge"
    assert root.get("upload") == "false"  # JOSM: upload discouraged, it asks before sending
    assert {node.get("action") for node in root.iter("node")} == {"modify"}
    assert "NOT TO BE UPLOADED AS IS" in path.read_text(encoding="utf-8")


def test_osc_holds_the_same_edits(tmp_path: Path) -> None:
    result = build_result()
    osc = write_osc(result, tmp_path / "to_osm.osc")
    osm = write_josm_osm(result, tmp_path / "to_osm.osm")
    assert read_objects(osc) == read_objects(osm)
    root = ET.parse(osc).getroot()
    assert root.tag == "osmChange"
    assert [n.get("id") for n in root.find("create")] == ["-1"]
    assert [n.get("id") for n in root.find("modify")] == ["101", "102", "105"]
    assert root.find("delete") is None


def test_ways_go_to_the_download_list_with_a_josm_link(tmp_path: Path) -> None:
    path = write_josm_download(build_result(), tmp_path / "josm_download.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert [row["osm_id"] for row in rows] == ["w201"]
    url = urlparse(rows[0]["josm_url"])
    assert (url.hostname, url.port, url.path) == ("127.0.0.1", 8111, "/load_object")
    query = parse_qs(url.query)
    assert query["objects"] == ["w201"]
    assert query["addtags"] == ["name=Jardin des Plantes"]


def test_node_without_version_is_loaded_fresh_instead(tmp_path: Path) -> None:
    result = build_result()
    osm = tuple(replace(p, version=0) if p.key == "n101" else p for p in result.osm)
    plan = plan_osm_edits(replace(result, osm=osm))
    assert "n101" not in [e.osm_key for e in plan.file_edits]
    assert "n101" in [e.osm_key for e in plan.needs_download]


def test_left_out_proposals_say_why() -> None:
    plan = plan_osm_edits(build_result())
    reasons = {diff.id: reason for diff, reason in plan.left_out}
    assert reasons == {"d013": "reason.no_osm_object"}


def test_no_proposal_means_empty_but_valid_files(tmp_path: Path) -> None:
    result = build_result()
    result = replace(result, differences=tuple(d for d in result.differences if d.proposal != "to_osm"))
    assert read_objects(write_josm_osm(result, tmp_path / "a.osm")) == {}
    assert read_objects(write_osc(result, tmp_path / "a.osc")) == {}


def _osmium_order(path: Path) -> list[tuple[str, int]]:
    return [(obj.type_str(), obj.id) for obj in osmium.FileProcessor(str(path))]


def test_josm_files_list_objects_in_osmium_order(tmp_path: Path) -> None:
    """Types n, w, r; new (negative) ids first by absolute value, then existing ids ascending."""
    result = build_result()
    extra = replace(result.differences[3], id="d099", source_id="150", name="École bis")
    from report.report_fixtures import city_feature

    more_city = city_feature("150", -1.5440, 47.2215, "École bis", "École", {"amenity": "school", "name": "École bis"})
    result = replace(result, city=(*result.city, more_city), differences=(*result.differences, extra))
    for name, writer in (("to_osm.osm", write_josm_osm), ("to_osm.osc", write_osc)):
        order = _osmium_order(writer(result, tmp_path / name))
        assert [o for o in order if o[1] < 0] == [("n", -1), ("n", -2)]

        def key(obj: tuple[str, int]) -> tuple[int, bool, int]:
            return "nwr".index(obj[0]), obj[1] > 0, abs(obj[1])

        assert order == sorted(order, key=key) and len(order) == 5
