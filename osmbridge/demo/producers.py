"""The demo's second dataset: the town's defibrillators, kept by two producers who do not always agree.

The city's public health department (trusted most) and an association of first-aiders (who check
the devices on the ground, and so hold their opening hours and location description) each list the
defibrillators; OSM maps them too. The story, in the current files:

- most devices: both producers and OSM agree (the association writes phone numbers its own way);
- "phone": the two producers give different phone numbers; the health department holds the field
  (more trusted) and OSM agrees with it: the disagreement goes to the health department, naming the
  association, and proposes the department's number to the association's list;
- "hours": the association checked a device and now gives shorter hours; it holds opening_hours, so
  its value is proposed to OSM and the disagreement with the department goes to the association;
- "association_only": a device only the association lists: proposed for creation, routed to it;
- "both_not_in_osm": a device both list and OSM lacks: one creation, from the department;
- "osm_only": a device only OSM has: proposed to the department's list (the association's list is
  not complete, so it is not asked);
- "osm_changed": a mapper changed a device's phone in OSM since the last sync: proposed to the
  department, which holds the field.

Its own random generator (from the demo's seed) keeps the main story's bytes unchanged.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from typing import Any

from osmbridge.demo.builder import Builder
from osmbridge.demo.elements import OsmElement
from osmbridge.demo.town import Address, Town, distance_m, to_lonlat

DATASET = "demo-defibrillateurs"
REF_TAG = "ref:FR:BSL:DAE"  # the health department's id, carried by the OSM nodes it was matched with
HEALTH = "sante"
FIRST_AIDERS = "secouristes"
_SPACING_M = 180.0
_SITES = ("Mairie annexe", "Gymnase", "Maison de quartier", "Médiathèque", "Piscine", "Salle des fêtes",
          "Stade", "École", "Centre social", "Halle du marché", "Gare routière", "Espace jeunes")
_PLACE_WORDS = ("du Port", "de la Lune", "des Marais", "des Tilleuls", "Saint-Rémi", "du Moulin")
_LOCATIONS = ("Hall d'entrée, à gauche de l'accueil", "Façade extérieure, près de la porte principale",
              "Vestiaires, couloir central", "Accueil, derrière le comptoir", "Sous le préau")
# (kind of case, how many) in the order the devices are numbered.
_STORY = (("agree", 6), ("phone", 1), ("hours", 1), ("osm_changed", 1), ("both_not_in_osm", 1),
          ("association_only", 1), ("osm_only", 1))


@dataclass
class Device:
    """One defibrillator and what each side says about it (local metres)."""

    case: str
    number: int
    site: str
    address: Address
    position: tuple[float, float]
    phone: str
    hours: str
    location: str
    health: dict[str, Any] | None = None  # the department's record now (None: not listed)
    aid: dict[str, Any] | None = None  # the association's record now
    osm_key: str | None = None
    expected: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProducersStory:
    """Both producers' records at the last sync and now, and what the run should report."""

    health_previous: list[dict[str, Any]]
    health_current: list[dict[str, Any]]
    aid_previous: list[dict[str, Any]]
    aid_current: list[dict[str, Any]]
    truth: dict[str, Any]


def add_defibrillators(b: Builder, seed: int) -> ProducersStory:
    """Add the defibrillators to both OSM snapshots (as OSM objects the main dataset leaves alone)
    and return both producers' records and the story's truth."""
    assert b.current is not None
    rng = random.Random(f"defibrillators-{seed}")
    devices = _devices(rng, b.town)
    story_cases = []
    for device in devices:
        health, aid = _records(device)
        element = _osm_element(b, device) if device.case not in ("both_not_in_osm", "association_only") else None
        previous_health, previous_aid = dict(health), dict(aid)
        if device.case == "phone":
            aid["telephone"] = previous_aid["telephone"] = _phone(rng, 80)
        if device.case == "hours":  # checked on the ground since the sync: the building closes at night
            aid["horaires"] = "Mo-Sa 08:00-20:00"
            aid["verifie_le"] = "28/10/2024"
        if element is not None:
            b.previous.add(element)
            current = dataclasses.replace(element, tags=dict(element.tags))
            if device.case == "osm_changed":
                current.tags["phone"] = "+33 2 61 91 79 99"
                b.touch(current)
            b.current.add(current)
            b.unrelated.append({"osm_key": element.key, "note": "a defibrillator (the other demo dataset)"})
            device.osm_key = element.key
        device.health = None if device.case in ("association_only", "osm_only") else health
        device.aid = None if device.case in ("osm_only",) else aid
        if device.case == "agree" and device.number % 3 == 0:
            device.aid = None  # the association does not list every device
        story_cases.append((device, previous_health if device.health else None,
                            previous_aid if device.aid else None))
        device.expected = _expected(device)
    return ProducersStory(
        health_previous=[h for _, h, _ in story_cases if h is not None],
        health_current=[d.health for d in devices if d.health is not None],
        aid_previous=[a for _, _, a in story_cases if a is not None],
        aid_current=[d.aid for d in devices if d.aid is not None],
        truth=_truth(devices))


def _devices(rng: random.Random, town: Town) -> list[Device]:
    """Devices at street addresses far enough apart that each is clearly its own place."""
    devices: list[Device] = []
    number = 0
    for case, count in _STORY:
        for _ in range(count):
            number += 1
            for _attempt in range(500):
                address = town.random_address(rng)
                if all(distance_m(address.position, d.address.position) >= _SPACING_M for d in devices):
                    break
            site = f"{_SITES[(number - 1) % len(_SITES)]} {rng.choice(_PLACE_WORDS)}"
            devices.append(Device(case=case, number=number, site=site, address=address,
                                  position=address.position, phone=_phone(rng, 70),
                                  hours=rng.choice(("24/7", "Mo-Fr 08:00-19:00", "Mo-Sa 07:00-22:00")),
                                  location=rng.choice(_LOCATIONS)))
    return devices


def _phone(rng: random.Random, block: int) -> str:
    """A fictional phone number in the range ARCEP keeps for fiction (02 61 91 xx xx)."""
    return f"02 61 91 {block + rng.randrange(10):02d} {rng.randrange(100):02d}"


def _records(device: Device) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the department and the association write about a device, each in its own columns."""
    lon, lat = to_lonlat(*device.position)
    health = {"id_dae": f"DAE-{device.number:03d}", "nom": f"Défibrillateur — {device.site}",
              "adresse": f"{device.address.number} {device.address.street}", "telephone": device.phone,
              "horaires": device.hours, "date_maj": "2024-03-15", "lon": lon, "lat": lat}
    # The association's volunteers note positions with a phone: a few metres off.
    aid_lon, aid_lat = to_lonlat(device.position[0] + 3.0, device.position[1] - 2.0)
    digits = device.phone.replace(" ", "")
    aid = {"numero": f"S-{device.number:02d}", "lieu": device.location,
           "telephone": f"+33 {digits[1]} {digits[2:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}",
           "horaires": device.hours, "verifie_le": "12/05/2024", "latitude": aid_lat, "longitude": aid_lon}
    return health, aid


def _osm_element(b: Builder, device: Device) -> OsmElement:
    tags = {"emergency": "defibrillator", "phone": "+33 " + device.phone[1:], "opening_hours": device.hours,
            "defibrillator:location": device.location, "indoor": "yes"}
    if device.case != "osm_only":
        tags[REF_TAG] = f"DAE-{device.number:03d}"
    return b.element("n", tags, position=device.position)


def _expected(device: Device) -> dict[str, Any]:
    """What the run should say about a device, for the tests."""
    health = f"{HEALTH}:DAE-{device.number:03d}"
    aid = f"{FIRST_AIDERS}:S-{device.number:02d}"
    base = {"case": device.case, "osm_key": device.osm_key,
            "health_id": health if device.health else None, "aid_id": aid if device.aid else None}
    if device.case == "phone":
        return base | {"kind": "producers_disagree", "field": "phone", "source_id": aid,
                       "routed": [HEALTH, FIRST_AIDERS], "proposal": "to_city"}
    if device.case == "hours":
        return base | {"kind": "producers_disagree", "field": "opening_hours", "source_id": health,
                       "routed": [FIRST_AIDERS, HEALTH], "also": {"kind": "differs", "source_id": aid,
                                                                    "routed": [FIRST_AIDERS], "proposal": "to_osm"}}
    if device.case == "osm_changed":
        return base | {"kind": "differs", "field": "phone", "source_id": health, "routed": [HEALTH],
                       "proposal": "to_city"}
    if device.case == "association_only":
        return base | {"kind": "missing_in_osm", "source_id": aid, "routed": [FIRST_AIDERS]}
    if device.case == "both_not_in_osm":
        return base | {"kind": "missing_in_osm", "source_id": health, "routed": [HEALTH]}
    if device.case == "osm_only":
        return base | {"kind": "missing_in_city", "source_id": None, "routed": [HEALTH]}
    return base | {"kind": None}


def _truth(devices: list[Device]) -> dict[str, Any]:
    return {"dataset": DATASET, "producers": [HEALTH, FIRST_AIDERS], "ref_tag": REF_TAG,
            "devices": [device.expected for device in devices]}

