"""The `osmbridge` command as a user runs it: demo, match, mappings check, run over Overpass, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from emulators.overpass import OverpassEmulator
from shared_data import ROOT, require_shared

from osmbridge.cli import main
from osmbridge.model import TagFilter
from osmbridge.osm import read_osm_file

NANTES_THEMES = ("culture", "enseignement", "equipub-actionsociale", "equipub-culte", "equipub-justice-securite",
                 "equipub-service-public", "equipub-sportsloisirs", "equipub-vie-pratique", "equipub-viesociale",
                 "mobilite", "environnement-decheteries")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_demo_prints_the_path_of_a_readable_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quiet", "demo", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    report = Path(out.strip().splitlines()[-1].split(" : ", 1)[1])
    assert report.name == "report.html" and report.is_file()
    page = report.read_text(encoding="utf-8")
    assert "Bourg-sur-Lune" in page or "demo-equipements" in page
    assert "missing in OSM" in out and " 0 skipped" in out


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_match_a_single_category_list_without_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A city's list of libraries, derived from Helsinki's real OSM libraries, moved a little and renamed."""
    extract = require_shared("helsinki-osm/Helsinki.osm.pbf")
    libraries = [p for p in read_osm_file(extract, [TagFilter("amenity", "library")]) if p.tags.get("name")]
    assert len(libraries) >= 5
    city = tmp_path / "kirjastot.csv"
    with city.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["tunnus", "nimi", "lat", "lon"])
        for number, place in enumerate(libraries, 1):
            # About 8 m north-east of the OSM centre, the name in upper case, decimal commas.
            lat, lon = place.center.y + 0.00005, place.center.x + 0.0001
            writer.writerow([f"K{number}", place.tags["name"].upper(), f"{lat:.6f}".replace(".", ","),
                             f"{lon:.6f}".replace(".", ",")])
    out = tmp_path / "matches.csv"
    assert main(["match", "--city", str(city), "--id-field", "tunnus", "--name-field", "nimi",
                 "--tag", "amenity=library", "--osm", str(extract), "--out", str(out)]) == 0
    rows = {row["source_id"]: row for row in read_csv(out) if row["source_id"]}
    assert {sid: rows[sid]["osm_id"] for sid in rows} == {f"K{n}": p.key for n, p in enumerate(libraries, 1)}
    assert list(read_csv(out)[0])[:4] == ["source_id", "osm_id", "score", "method"]
    assert f"{len(libraries)} city records" in capsys.readouterr().out


def test_match_stops_on_a_bad_record_naming_file_line_and_field(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    extract = require_shared("helsinki-osm/Helsinki.osm.pbf")
    city = tmp_path / "libraries.csv"
    city.write_text("id,name,lat,lon\n1,Oodi,60.1738,24.9380\n,Rikhardinkatu,60.1652,24.9467\n", encoding="utf-8")
    out = tmp_path / "matches.csv"
    args = ["match", "--city", str(city), "--id-field", "id", "--name-field", "name", "--tag", "amenity=library",
            "--osm", str(extract), "--out", str(out)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{city}:3" in err and "'id'" in err and "Traceback" not in err
    assert not out.exists()  # nothing half-written
    assert main([*args, "--skip-invalid"]) == 0
    assert [row["source_id"] for row in read_csv(out) if row["source_id"]] == ["1"]


def test_mappings_check_covers_every_nantes_category(capsys: pytest.CaptureFixture[str]) -> None:
    folder = require_shared("nantes-equipements-2014")
    data = [arg for theme in NANTES_THEMES for arg in ("--data", str(folder / f"{theme}.geo.json"))]
    assert main(["mappings", "check", str(ROOT / "mappings" / "nantes-equipements.toml"), *data]) == 0
    assert "0 uncovered" in capsys.readouterr().out


def test_mappings_check_lists_uncovered_values_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "libraries.toml"
    mapping.write_text('[mapping]\nname = "libraries"\nid_field = "_IDOBJ"\ncategory_field = "LIBTYPE"\n'
                       '[[category]]\nvalues = ["Bibliothèque"]\ntags = { amenity = "library" }\n', encoding="utf-8")
    culture = require_shared("nantes-equipements-2014/culture.geo.json")
    features = json.loads(culture.read_text(encoding="utf-8"))["features"]
    museums = sum(1 for f in features if f["properties"]["LIBTYPE"] == "Musée")
    assert main(["mappings", "check", str(mapping), "--data", str(culture)]) == 1
    out = capsys.readouterr().out
    assert f"{museums}  'Musée'" in out


def test_run_against_an_overpass_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Paris 9e schools: a city list keyed by UAI, matched through the generated Overpass query."""
    extract = require_shared("paris-9e-osm-2021/map.osm")
    schools = [p for p in read_osm_file(extract, [TagFilter("amenity", "school")]) if p.tags.get("ref:UAI")]
    assert len(schools) >= 5
    city = tmp_path / "ecoles.geojson"
    city.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.center.x + 0.0003, p.center.y]},
         "properties": {"uai": p.tags["ref:UAI"], "nom": p.tags.get("name", "École")}} for p in schools]}),
        encoding="utf-8")
    (tmp_path / "ecoles.toml").write_text(
        '[mapping]\nname = "ecoles"\nid_field = "uai"\nname_field = "nom"\nref_tag = "ref:UAI"\ncountry = "FR"\n'
        '[[category]]\ntags = { amenity = "school" }\n', encoding="utf-8")
    with OverpassEmulator(extract, areas={7444: (48.87, 2.33, 48.89, 2.36)}) as overpass:
        (tmp_path / "config.toml").write_text(
            f'[osm]\nbackend = "overpass"\noverpass_url = "{overpass.url}"\n'
            '[datasets.ecoles]\nlicence = "etalab-2.0"\nmapping = "ecoles.toml"\n'
            '[datasets.ecoles.source]\nkind = "geojson"\nlocation = "ecoles.geojson"\n'
            '[datasets.ecoles.area]\nname = "Paris"\nrelation_id = 7444\n', encoding="utf-8")
        assert main(["--quiet", "run", "--config", str(tmp_path / "config.toml")]) == 0
        [request] = overpass.requests
    assert request.user_agent.startswith("osmbridge/")
    assert 'area(id:3600007444)' in request.query and 'nwr["amenity"="school"]' in request.query
    rows = read_csv(tmp_path / "reports" / "ecoles" / "latest" / "matches.csv")
    linked = {row["source_id"]: (row["osm_id"], row["method"]) for row in rows if row["source_id"]}
    assert linked == {p.tags["ref:UAI"]: (p.key, "ref") for p in schools}
    assert f"ecoles: {len(schools)} city places" in capsys.readouterr().out


def test_a_broken_config_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.toml").write_text('[osm]\nbackend = "ftp"\n', encoding="utf-8")
    assert main(["run", "--config", str(tmp_path / "config.toml")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "osm.backend" in err


def test_party_ranks_the_demo_town_neighbourhoods(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from osmbridge.demo import generate_town

    files = generate_town(tmp_path / "town")
    assert main(["--quiet", "party", "--area", "Bourg-sur-Lune", "--config", str(files.config),
                 "--neighbourhoods", str(files.neighbourhoods), "--out", str(tmp_path / "party")]) == 0
    assert capsys.readouterr().out.strip().endswith(str(tmp_path / "party" / "party.html"))
    with (tmp_path / "party" / "party.csv").open(encoding="utf-8-sig", newline="") as handle:
        ranked = list(csv.DictReader(handle, delimiter=";"))
    names = {f["properties"]["nom"] for f in json.loads(files.neighbourhoods.read_text("utf-8"))["features"]}
    assert {row["neighbourhood"] for row in ranked} <= names and len(ranked) >= 3
    scores = [int(row["score"]) for row in ranked]
    assert scores == sorted(scores, reverse=True) and [row["rank"] for row in ranked] == [
        str(n) for n in range(1, len(ranked) + 1)]
    # Every city place lies in a neighbourhood: the plan's missing places are the run's.
    missing = 0
    for diff_csv in (tmp_path / "town" / "reports").glob("*/latest/diff.csv"):  # every dataset of the area
        with diff_csv.open(encoding="utf-8-sig") as handle:
            missing += sum(1 for row in csv.DictReader(handle, delimiter=";") if row["kind"] == "missing_in_osm")
    assert sum(int(row["missing_in_osm"]) for row in ranked) == missing > 0
    assert (tmp_path / "party" / "tm_aoi.geojson").is_file()


def test_party_with_an_unknown_area_names_the_known_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from osmbridge.demo import generate_town

    files = generate_town(tmp_path)
    assert main(["party", "--area", "Atlantis", "--config", str(files.config),
                 "--neighbourhoods", str(files.neighbourhoods)]) == 1
    assert "known areas: Bourg-sur-Lune" in capsys.readouterr().err


def _latest_matches(folder: Path) -> dict[str, dict[str, str]]:
    rows = read_csv(next(folder.glob("reports/*/latest/matches.csv")))
    return {row["source_id"]: row for row in rows if row["source_id"]}


def test_decisions_are_honoured_by_the_next_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from osmbridge.demo import generate_town

    files = generate_town(tmp_path)
    config = ["--config", str(files.config)]
    assert main(["--quiet", "run", *config]) == 0
    before = _latest_matches(tmp_path)
    [first, second] = sorted(sid for sid, row in before.items() if row["status"] == "matched")[:2]
    dataset = ["--dataset", "demo-equipements"]
    assert main(["decide", *config, *dataset, "--city", first, "--not-same", before[first]["osm_id"],
                 "--author", "anne"]) == 0
    assert main(["decide", *config, *dataset, "--city", second, "--no-counterpart", "--author", "anne"]) == 0
    assert main(["--quiet", "run", *config]) == 0
    after = _latest_matches(tmp_path)
    assert after[first]["osm_id"] != before[first]["osm_id"]
    assert (after[second]["status"], after[second]["osm_id"]) == ("city_only", "")
    capsys.readouterr()
    assert main(["decide", *config, *dataset, "--city", "no-such-id", "--no-counterpart", "--author", "a"]) == 1
    assert "no city record 'no-such-id'" in capsys.readouterr().err


def test_a_crash_marks_the_run_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osmbridge import pipeline
    from osmbridge.config import load_config
    from osmbridge.demo import generate_town
    from osmbridge.store import Store

    files = generate_town(tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("matcher bug")

    monkeypatch.setattr(pipeline, "match_places", broken)
    config = load_config(files.config, {})
    with pytest.raises(RuntimeError, match="matcher bug"):
        pipeline.run(config)
    [last] = Store(config.store_url).runs(limit=1)
    assert (last.status, last.message) == ("failed", "demo-equipements: RuntimeError: matcher bug")


def test_every_command_help_ends_with_an_example(capsys) -> None:
    # The README promises it: each command's --help ends with an example.
    import argparse

    from osmbridge.cli import build_parser

    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(commands.choices) > 10
    for name in commands.choices:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        text = capsys.readouterr().out
        tail = text[text.rindex("options:"):]  # the epilog comes after the last list of options
        assert "Example" in tail and "osmbridge " in tail[tail.index("Example"):], (name, tail)
