"""The demo's tag mapping and config.toml, as text."""

from __future__ import annotations

import json
from collections.abc import Sequence

from osmbridge.demo.builder import REF_TAG
from osmbridge.demo.places import CATEGORIES
from osmbridge.demo.producers import DATASET as DAE_DATASET
from osmbridge.demo.producers import FIRST_AIDERS, HEALTH
from osmbridge.demo.producers import REF_TAG as DAE_REF_TAG
from osmbridge.demo.scenario import DATASET

MATCH_DISTANCE_M = 60
# Kinds of OSM feature that count as the same place as a category's primary tag.
_EXTRA_MATCH_TAGS = {
    ("amenity", "kindergarten"): ["amenity=school"],  # many maternelles are tagged as schools
    ("leisure", "sports_hall"): ["leisure=sports_centre"],
    ("leisure", "sports_centre"): ["leisure=swimming_pool", "leisure=sports_hall"],
}
_FIELDS = (("telephone", "phone", "phone"), ("site_web", "website", "url"),
           ("horaires", "opening_hours", "opening_hours"), ("numero", "addr:housenumber", "housenumber"),
           ("voie", "addr:street", "street"),
           ("code_postal", "addr:postcode", "postcode"), ("code_uai", "ref:UAI", "upper"))


def _s(value: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_s(value) for value in values) + "]"


def mapping_toml() -> str:
    """The demo's tag mapping, in osmbridge's mapping format."""
    lines = [
        "# Tag mapping of the osmbridge demo (the fictional town of Bourg-sur-Lune).",
        "# Correspondance des attributs de la démo osmbridge (ville fictive de Bourg-sur-Lune).",
        "",
        "[mapping]",
        f"name = {_s(DATASET)}",
        f"description = {_s('Bourg-sur-Lune (fictional demo town) public facilities -> OSM')}",
        'id_field = "identifiant"',
        'name_field = "nom"',
        'category_field = "categorie"',
        f"ref_tag = {_s(REF_TAG)}",
        'country = "FR"',
        f"match_distance_m = {MATCH_DISTANCE_M}",
        'city_authoritative = ["name", "phone", "website", "opening_hours", "addr:housenumber", "addr:street", '
        '"addr:postcode", "ref:UAI"]',
        'osm_only = ["wheelchair", "operator", "building", "check_date"]',
        'closed = { field = "statut", values = ["Fermé"] }',
    ]
    for column, tag, transform in _FIELDS:
        lines += ["", "[[field]]", f"field = {_s(column)}", f"tag = {_s(tag)}", f"transform = {_s(transform)}"]
    rules: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for category in CATEGORIES:
        if category.mapped:
            rules.setdefault(category.tags, []).append(category.label)
    for tags, labels in rules.items():
        inline = ", ".join(f"{_s(key) if ':' in key else key} = {_s(value)}" for key, value in tags)
        match_tags = [f"{tags[0][0]}={tags[0][1]}"] + _EXTRA_MATCH_TAGS.get(tags[0], [])
        lines += ["", "[[category]]", f"values = {_list(labels)}", f"tags = {{ {inline} }}",
                  f"match_tags = {_list(match_tags)}"]
    for category in CATEGORIES:
        if not category.mapped:
            lines += ["", "[[skip]]", f"values = {_list([category.label])}",
                      f"reason = {_s('Public toilets are mapped by a separate import; out of scope of this demo')}"]
    return "\n".join(lines) + "\n"


def health_mapping_toml() -> str:
    """The public health department's mapping of its defibrillators list."""
    return "\n".join([
        "# Bourg-sur-Lune's defibrillators, as the public health department lists them.",
        "# Les défibrillateurs de Bourg-sur-Lune, selon la direction de la santé publique.",
        "",
        "[mapping]",
        'name = "demo-dae-sante"',
        'id_field = "id_dae"',
        'name_field = "nom"',
        f"ref_tag = {_s(DAE_REF_TAG)}",
        'country = "FR"',
        "match_distance_m = 30",
        "# Its names say which building a device is in: for matching, never proposed as the device's name.",
        'city_authoritative = ["phone", "opening_hours"]',
        'osm_only = ["defibrillator:location", "name"]',
        "",
        "[[field]]", 'field = "telephone"', 'tag = "phone"', 'transform = "phone"',
        "",
        "[[field]]", 'field = "horaires"', 'tag = "opening_hours"', 'transform = "opening_hours"',
        "",
        "[[category]]", 'tags = { emergency = "defibrillator" }', f"label = {_s('Défibrillateur')}",
        "",
    ])


def aid_mapping_toml() -> str:
    """The first-aiders' association's mapping of its own list (a spreadsheet, no names, not every device)."""
    return "\n".join([
        "# Bourg-sur-Lune's defibrillators, as the first-aiders' association checks them on the ground.",
        "# Les défibrillateurs de Bourg-sur-Lune, tels que l'association des secouristes les vérifie.",
        "",
        "[mapping]",
        'name = "demo-dae-secouristes"',
        'id_field = "numero"',
        'country = "FR"',
        "match_distance_m = 30",
        "complete = false  # the association lists the devices it checks, not all of them",
        "",
        "[[field]]", 'field = "telephone"', 'tag = "phone"', 'transform = "phone"',
        "",
        "[[field]]", 'field = "horaires"', 'tag = "opening_hours"', 'transform = "opening_hours"',
        "",
        "[[field]]", 'field = "lieu"', 'tag = "defibrillator:location"',
        "",
        "[[category]]", 'tags = { emergency = "defibrillator" }', f"label = {_s('Défibrillateur')}",
        "",
    ])


def producers_config_toml(bbox: tuple[float, float, float, float], files: dict[str, str]) -> str:
    """The config.toml lines of the defibrillators dataset: two producers of one place type."""
    south, west, north, east = bbox
    return "\n".join([
        "# A place type kept by two producers: the city's health department and an association.",
        "# Un type de lieu tenu par deux producteurs : la direction de la santé et une association.",
        f"[datasets.{DAE_DATASET}]",
        f"title = {_s('Bourg-sur-Lune — défibrillateurs')}",
        'licence = "etalab-2.0"',
        "",
        f"[datasets.{DAE_DATASET}.producers.{HEALTH}]",
        f"title = {_s('Direction de la santé publique')}",
        f"owner = {_s('Ville de Bourg-sur-Lune, direction de la santé publique')}",
        'contact = "sante@bourg-sur-lune.example"',
        "trust = 80",
        f"mapping = {_s(files['health_mapping'])}",
        'updated_field = "date_maj"',
        f"city_url_template = {_s('https://data.bourg-sur-lune.example/dae/{id}')}",
        "",
        f"[datasets.{DAE_DATASET}.producers.{HEALTH}.source]",
        'kind = "geojson"',
        f"location = {_s(files['health'])}",
        "",
        f"[datasets.{DAE_DATASET}.producers.{FIRST_AIDERS}]",
        f"title = {_s('Secouristes de la Lune')}",
        f"owner = {_s('Association des secouristes de Bourg-sur-Lune')}",
        'contact = "https://secouristes-lune.example"',
        'licence = "ODbL-1.0"',
        "trust = 40",
        "# The volunteers check each device on the ground: they hold its hours and where it hangs.",
        'holds = ["opening_hours", "defibrillator:location"]',
        f"mapping = {_s(files['aid_mapping'])}",
        'updated_field = "verifie_le"',
        "",
        f"[datasets.{DAE_DATASET}.producers.{FIRST_AIDERS}.source]",
        'kind = "csv"',
        f"location = {_s(files['aid'])}",
        'lat_field = "latitude"',
        'lon_field = "longitude"',
        "",
        f"[datasets.{DAE_DATASET}.area]",
        'name = "Bourg-sur-Lune"',
        f"bbox = [{south:.7f}, {west:.7f}, {north:.7f}, {east:.7f}]",
        "",
    ])


def config_toml(title: str, bbox: tuple[float, float, float, float], *, city_file: str, osm_file: str,
                mapping_file: str) -> str:
    """A config.toml running the demo dataset from the local files (paths relative to the config)."""
    south, west, north, east = bbox
    return "\n".join([
        "# osmbridge demo: a fictional town generated offline by `osmbridge demo`.",
        "# Démo osmbridge : une ville fictive générée hors ligne par `osmbridge demo`.",
        "",
        "[store]",
        'url = "sqlite:///state.sqlite"',
        "",
        "[reports]",
        'directory = "reports"',
        "",
        "[osm]",
        'backend = "extract"',
        f"extract = {_s(osm_file)}",
        "",
        f"[datasets.{DATASET}]",
        f"title = {_s(title)}",
        # Open Database Licence, credited to OSM's contributors: corrections may flow both ways.
        'licence = "ODbL-1.0"',
        f"attribution = {_s('Ville de Bourg-sur-Lune, © OpenStreetMap contributors')}",
        f"mapping = {_s(mapping_file)}",
        f"city_url_template = {_s('https://data.bourg-sur-lune.example/equipements/{id}')}",
        "",
        f"[datasets.{DATASET}.source]",
        'kind = "geojson"',
        f"location = {_s(city_file)}",
        "",
        f"[datasets.{DATASET}.area]",
        'name = "Bourg-sur-Lune"',
        f"bbox = [{south:.7f}, {west:.7f}, {north:.7f}, {east:.7f}]",
        "",
    ])
