"""The licence gate, for every licence both ways: city -> OSM (with and without a waiver), OSM -> city
(with and without the OSM attribution)."""

from __future__ import annotations

import pytest

from osmbridge.push.licence import check, check_to_city, check_to_osm, describe, find_licence, gate_items
from push.push_fixtures import tag_item

WAIVER = "Written permission of the city's open-data office, 2024-03-01 (wiki: Import/Test_City)"
ATTRIBUTION = "Ville de Test, © OpenStreetMap contributors"

# declared id -> (to OSM without waiver, to OSM with waiver, flagged when allowed, OSM -> city allowed)
CASES = {
    "ODbL-1.0": ("allowed", "allowed", False, True),
    "ODbL": ("allowed", "allowed", False, True),
    "CC0-1.0": ("allowed", "allowed", False, False),
    "PDDL-1.0": ("allowed", "allowed", False, False),
    "ODC-By-1.0": ("allowed", "allowed", False, False),
    "OGL-UK-3.0": ("allowed", "allowed", False, False),
    "etalab-2.0": ("allowed", "allowed", True, False),
    "Licence Ouverte 2.0": ("allowed", "allowed", True, False),
    "etalab-1.0": ("allowed", "allowed", True, False),
    "CC-BY-2.0": ("blocked", "allowed", True, False),
    "CC-BY-3.0": ("blocked", "allowed", True, False),
    "CC-BY-4.0": ("blocked", "allowed", True, False),
    "CC BY 4.0": ("blocked", "allowed", True, False),
    "CC-BY-SA-4.0": ("blocked", "allowed", True, False),
    "CC-BY-NC-4.0": ("blocked", "blocked", False, False),
    "CC-BY-ND-4.0": ("blocked", "blocked", False, False),
    "CC-BY-NC-SA-3.0": ("blocked", "blocked", False, False),
    "CC-BY-NC-ND-4.0": ("blocked", "blocked", False, False),
    "proprietary": ("blocked", "blocked", False, False),
    "unknown": ("blocked", "blocked", False, False),
    "": ("blocked", "blocked", False, False),
}


@pytest.mark.parametrize("licence", sorted(CASES))
def test_city_to_osm(licence):
    plain, waived, flagged, _ = CASES[licence]
    without = check_to_osm(licence)
    assert without.allowed is (plain == "allowed")
    with_waiver = check_to_osm(licence, WAIVER)
    assert with_waiver.allowed is (waived == "allowed")
    if with_waiver.allowed:
        assert with_waiver.flagged is flagged
    if without.blocked:
        assert describe(without).startswith("Blocked")
        assert describe(without, "fr").startswith("Bloqué")
    if with_waiver.allowed and not without.allowed:
        assert WAIVER in describe(with_waiver) and WAIVER in describe(with_waiver, "fr")


@pytest.mark.parametrize("licence", sorted(CASES))
def test_osm_to_city(licence):
    *_, odbl = CASES[licence]
    credited = check_to_city(licence, ATTRIBUTION)
    assert credited.allowed is odbl
    uncredited = check_to_city(licence, "Ville de Test")
    assert uncredited.blocked
    assert check_to_city(licence, None).blocked
    assert describe(uncredited).startswith("Blocked") and describe(uncredited, "fr").startswith("Bloqué")
    if not odbl:
        assert credited.code == "licence.city_not_odbl"
    else:
        assert uncredited.code == "licence.city_no_attribution"
        assert "© OpenStreetMap contributors" in describe(uncredited)


def test_the_french_attribution_counts():
    assert check_to_city("ODbL-1.0", "Nantes Métropole — © les contributeurs d'OpenStreetMap").allowed


def test_aliases_resolve_to_one_licence():
    assert find_licence("odbl").id == find_licence("ODbL-1.0").id == "ODbL-1.0"
    assert find_licence("Licence Ouverte").id == "etalab-2.0"
    assert find_licence("CC_BY_4.0").id == "CC-BY-4.0"
    assert find_licence("CC-BY-NC-4.0") is None


def test_the_ui_hook_gives_one_verdict_per_direction():
    assert check("to_osm", "CC-BY-4.0", waiver=WAIVER).allowed
    assert check("to_city", "CC-BY-4.0", attribution=ATTRIBUTION).blocked
    assert check("to_city", "ODbL-1.0", attribution=ATTRIBUTION).allowed


def test_gate_items_keeps_blocked_items_back_with_the_reason():
    to_osm = tag_item("n1", "phone", "+33 1", "+33 2", 1)
    gated = gate_items([to_osm], to_osm=check_to_osm("CC-BY-NC-4.0"), to_city=check_to_city("ODbL-1.0", ATTRIBUTION))
    assert gated.allowed == () and gated.blocked[0][2].code == "licence.restrictive"
    gated = gate_items([to_osm], to_osm=check_to_osm("CC0-1.0"), to_city=check_to_city("CC0-1.0"))
    assert gated.allowed == (to_osm,) and gated.blocked == ()
