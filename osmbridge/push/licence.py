"""The licence gate: may data flow from a city dataset into OSM, and from OSM into the city dataset?

One table encodes what osmbridge knows, by SPDX-like id (aliases such as "Licence Ouverte 2.0" or
"CC BY 4.0" are recognised):

- city -> OSM: ODbL, CC0, PDDL, ODC-By and OGL-UK-3.0 are allowed; Licence Ouverte (etalab) is
  allowed and flagged (OSM accepts it with the attribution it asks for); CC-BY (2.0, 3.0, 4.0, and
  their -SA variants) is blocked unless a waiver or explicit permission is recorded in the config;
  NC, ND and anything unknown are blocked, waiver or not.
- OSM -> city: only into a dataset published under ODbL whose published attribution credits
  "© OpenStreetMap contributors"; anything else is blocked.

A verdict is data (a code and parameters); `describe` renders it in English or French for the report,
the web UI and the CLI. Nothing blocked reaches an upload file or a push: every writer asks here.

The gate is about the other side's data. A field agent's answer (`survey_*` items) is neither: what a
person saw on the ground (the place is there, closed, a value on its door) goes to either side
whatever the licences. One exception: a position tapped on the survey map goes to the city only
through the OSM -> city gate, since the map it was tapped on is OSM's (`gated`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from osmbridge.model import SURVEY_KINDS, Decision, Difference, Direction


class ToOsm(StrEnum):
    """What a licence allows from the city into OSM."""

    ALLOWED = "allowed"
    FLAGGED = "flagged"  # allowed, with something the importer must do (attribution on the wiki page)
    NEEDS_WAIVER = "needs_waiver"  # only with a recorded waiver or permission from the publisher
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Licence:
    """One known licence: its canonical id, name and what it allows into OSM."""

    id: str
    name: str
    to_osm: ToOsm
    aliases: tuple[str, ...] = ()


LICENCES: tuple[Licence, ...] = (
    Licence("ODbL-1.0", "Open Database License 1.0", ToOsm.ALLOWED, ("ODbL", "ODBL-1", "Open Database License")),
    Licence("CC0-1.0", "Creative Commons Zero 1.0", ToOsm.ALLOWED, ("CC0", "CC-Zero", "CC-0", "Public Domain CC0")),
    Licence("PDDL-1.0", "ODC Public Domain Dedication and Licence 1.0", ToOsm.ALLOWED, ("PDDL",)),
    Licence("ODC-By-1.0", "ODC Attribution License 1.0", ToOsm.ALLOWED, ("ODC-By", "ODC-BY-1", "ODC Attribution")),
    Licence("OGL-UK-3.0", "Open Government Licence v3.0 (UK)", ToOsm.ALLOWED, ("OGL-3.0", "OGL-UK", "OGL v3")),
    Licence("etalab-2.0", "Licence Ouverte / Open Licence 2.0 (Etalab)", ToOsm.FLAGGED,
            ("Licence Ouverte", "Licence Ouverte 2.0", "Licence-Ouverte-2.0", "LO-2.0", "Open Licence 2.0",
             "Licence Ouverte v2.0", "etalab")),
    Licence("etalab-1.0", "Licence Ouverte / Open Licence 1.0 (Etalab)", ToOsm.FLAGGED,
            ("Licence Ouverte 1.0", "LO-1.0", "Licence-Ouverte-1.0", "Licence Ouverte v1.0")),
    Licence("CC-BY-2.0", "Creative Commons Attribution 2.0", ToOsm.NEEDS_WAIVER, ("CC BY 2.0",)),
    Licence("CC-BY-3.0", "Creative Commons Attribution 3.0", ToOsm.NEEDS_WAIVER, ("CC BY 3.0",)),
    Licence("CC-BY-4.0", "Creative Commons Attribution 4.0", ToOsm.NEEDS_WAIVER, ("CC BY 4.0", "CC-BY", "CC BY")),
    Licence("CC-BY-SA-2.0", "Creative Commons Attribution-ShareAlike 2.0", ToOsm.NEEDS_WAIVER, ("CC BY-SA 2.0",)),
    Licence("CC-BY-SA-3.0", "Creative Commons Attribution-ShareAlike 3.0", ToOsm.NEEDS_WAIVER, ("CC BY-SA 3.0",)),
    Licence("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0", ToOsm.NEEDS_WAIVER,
            ("CC BY-SA 4.0", "CC-BY-SA", "CC BY-SA")),
)
# Licences whose own terms forbid what OSM needs: no recorded waiver makes them usable as such.
_RESTRICTIVE = re.compile(r"(^|[^a-z])(nc|nd|noncommercial|non-commercial|noderivatives|no-derivatives)($|[^a-z])")
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
# A dataset's attribution statement credits OSM when it says one of these (case and © sign aside).
_OSM_CREDITS = ("openstreetmap contributors", "contributeurs d'openstreetmap", "contributeurs openstreetmap",
                "contributeurs d’openstreetmap")


def _key(text: str) -> str:
    return re.sub(r"[\s_./]+", "-", text.strip().lower()).replace("--", "-")


_BY_KEY: dict[str, Licence] = {_key(name): licence for licence in LICENCES
                               for name in (licence.id, *licence.aliases)}


def find_licence(declared: str) -> Licence | None:
    """The known licence a declared id or name stands for ("CC BY 4.0" -> CC-BY-4.0), or None."""
    return _BY_KEY.get(_key(declared))


@dataclass(frozen=True, slots=True)
class LicenceVerdict:
    """Whether data may flow one way for one dataset, and why (a message code and its parameters)."""

    direction: Direction
    licence: str  # as declared in the config
    allowed: bool
    code: str  # key of MESSAGES
    params: Mapping[str, str] = field(default_factory=dict)
    flagged: bool = False  # allowed, with a duty the operator must see (attribution, recorded waiver)

    @property
    def blocked(self) -> bool:
        return not self.allowed


def check_to_osm(licence: str, waiver: str | None = None) -> LicenceVerdict:
    """May a dataset under `licence` go into OSM? `waiver` is the recorded permission, if any."""
    known = find_licence(licence)
    params = {"licence": licence}
    if known is None:
        if _RESTRICTIVE.search(licence.lower()):
            return LicenceVerdict("to_osm", licence, False, "licence.restrictive", params)
        return LicenceVerdict("to_osm", licence, False, "licence.unknown", params)
    params = {"licence": known.id, "name": known.name}
    if known.to_osm is ToOsm.ALLOWED:
        return LicenceVerdict("to_osm", licence, True, "licence.compatible", params)
    if known.to_osm is ToOsm.FLAGGED:
        return LicenceVerdict("to_osm", licence, True, "licence.etalab", params, flagged=True)
    if known.to_osm is ToOsm.NEEDS_WAIVER:
        if waiver and waiver.strip():
            return LicenceVerdict("to_osm", licence, True, "licence.waiver", {**params, "waiver": waiver.strip()},
                                  flagged=True)
        return LicenceVerdict("to_osm", licence, False, "licence.needs_waiver", params)
    return LicenceVerdict("to_osm", licence, False, "licence.restrictive", params)


def check_to_city(licence: str, attribution: str | None = None) -> LicenceVerdict:
    """May OSM data go into a city dataset published under `licence` with the `attribution` statement?"""
    known = find_licence(licence)
    if known is None or known.id != "ODbL-1.0":
        return LicenceVerdict("to_city", licence, False, "licence.city_not_odbl",
                              {"licence": known.id if known else licence})
    if not credits_osm(attribution):
        return LicenceVerdict("to_city", licence, False, "licence.city_no_attribution",
                              {"licence": known.id, "attribution": OSM_ATTRIBUTION})
    return LicenceVerdict("to_city", licence, True, "licence.city_odbl",
                          {"licence": known.id, "attribution": OSM_ATTRIBUTION})


def credits_osm(attribution: str | None) -> bool:
    """Whether an attribution statement credits the OpenStreetMap contributors."""
    text = " ".join((attribution or "").lower().split())
    return any(credit in text for credit in _OSM_CREDITS)


def check(direction: Direction, licence: str, *, waiver: str | None = None,
          attribution: str | None = None) -> LicenceVerdict:
    """The verdict for one direction (the web UI's hook: one call per dataset and direction)."""
    return check_to_osm(licence, waiver) if direction == "to_osm" else check_to_city(licence, attribution)


@dataclass(frozen=True, slots=True)
class GatedItems:
    """Accepted items split by the licence gate: those that may go out, and those blocked with the verdict."""

    allowed: tuple[tuple[Difference, Decision], ...]
    blocked: tuple[tuple[Difference, Decision, LicenceVerdict], ...]


def gated(difference: Difference, direction: Direction) -> bool:
    """Whether an item sent `direction` carries the other side's data, so that the licence gate decides.

    Every item does, except a field agent's observation (see the module's docstring): a survey item
    passes, but for a position going to the city (tapped on OSM's map).
    """
    if difference.kind in SURVEY_KINDS:
        return direction == "to_city" and difference.kind == "survey_moved"
    # A correction between producers (one producer's value for another's record) holds no OSM data.
    return not (difference.kind == "producers_disagree" and direction == "to_city")


def gate_items(items: Iterable[tuple[Difference, Decision]], *, to_osm: LicenceVerdict,
               to_city: LicenceVerdict) -> GatedItems:
    """Split accepted (difference, decision) pairs by the verdict of the direction each decision sends to."""
    allowed: list[tuple[Difference, Decision]] = []
    blocked: list[tuple[Difference, Decision, LicenceVerdict]] = []
    for difference, decision in items:
        verdict = to_osm if decision.direction == "to_osm" else to_city
        if decision.direction is None or (verdict.blocked and gated(difference, decision.direction)):
            blocked.append((difference, decision, verdict))
        else:
            allowed.append((difference, decision))
    return GatedItems(tuple(allowed), tuple(blocked))


Language = Literal["en", "fr"]
MESSAGES: dict[str, dict[Language, str]] = {
    "licence.compatible": {
        "en": "{name} ({licence}) is compatible with OSM's ODbL: city data may be added to OSM.",
        "fr": "{name} ({licence}) est compatible avec l'ODbL d'OSM : les données de la ville peuvent entrer dans OSM.",
    },
    "licence.etalab": {
        "en": "{name} ({licence}) is accepted by OSM with attribution: credit the city in the changeset's source "
              "tag and on the import's wiki page.",
        "fr": "{name} ({licence}) est acceptée par OSM avec attribution : citez la ville dans le tag source du "
              "groupe de modifications et sur la page wiki de l'import.",
    },
    "licence.waiver": {
        "en": "{name} ({licence}) needs the publisher's permission; recorded waiver: {waiver}.",
        "fr": "{name} ({licence}) demande l'accord de l'éditeur ; dérogation enregistrée : {waiver}.",
    },
    "licence.needs_waiver": {
        "en": "Blocked: {name} ({licence}) is not compatible with OSM's ODbL without the publisher's explicit "
              "permission (the OSMF waiver). Record it as licence_waiver in config.toml once obtained.",
        "fr": "Bloqué : {name} ({licence}) n'est pas compatible avec l'ODbL d'OSM sans l'accord explicite de "
              "l'éditeur (la dérogation de l'OSMF). Inscrivez-la comme licence_waiver dans config.toml une fois "
              "obtenue.",
    },
    "licence.restrictive": {
        "en": "Blocked: the licence {licence!s} restricts commercial use or derivatives (NC/ND), which OSM's ODbL "
              "does not allow. Ask the publisher for an open licence (ODbL, CC0, Licence Ouverte).",
        "fr": "Bloqué : la licence {licence!s} interdit l'usage commercial ou les œuvres dérivées (NC/ND), ce que "
              "l'ODbL d'OSM ne permet pas. Demandez à l'éditeur une licence ouverte (ODbL, CC0, Licence Ouverte).",
    },
    "licence.unknown": {
        "en": "Blocked: the licence {licence!r} is unknown to osmbridge, so nothing goes to OSM. Declare an "
              "SPDX-like id (ODbL-1.0, etalab-2.0, CC0-1.0, CC-BY-4.0...) in config.toml.",
        "fr": "Bloqué : la licence {licence!r} est inconnue d'osmbridge, rien ne part vers OSM. Déclarez un "
              "identifiant de type SPDX (ODbL-1.0, etalab-2.0, CC0-1.0, CC-BY-4.0...) dans config.toml.",
    },
    "licence.city_odbl": {
        "en": "The city dataset is published under {licence} crediting {attribution}: OSM corrections may go in.",
        "fr": "Le jeu de données de la ville est publié sous {licence} en citant {attribution} : les corrections "
              "d'OSM peuvent y entrer.",
    },
    "licence.city_not_odbl": {
        "en": "Blocked: OSM data is under the ODbL, and the city dataset is published under {licence}; it may take "
              "OSM corrections only if it is published under the ODbL.",
        "fr": "Bloqué : les données d'OSM sont sous ODbL et le jeu de la ville est publié sous {licence} ; il ne "
              "peut reprendre des corrections d'OSM que s'il est publié sous ODbL.",
    },
    "licence.city_no_attribution": {
        "en": "Blocked: a city dataset taking OSM data must credit \"{attribution}\"; set attribution in the "
              "dataset's config.toml section to the statement the city publishes.",
        "fr": "Bloqué : un jeu de la ville qui reprend des données d'OSM doit citer « {attribution} » ; "
              "renseignez attribution dans la section du jeu de données de config.toml avec la mention publiée.",
    },
}


def describe(verdict: LicenceVerdict, language: Language = "en") -> str:
    """The verdict as one sentence in English or French."""
    return MESSAGES[verdict.code][language].format(**verdict.params)
