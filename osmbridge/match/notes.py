"""Explanations attached to matches: a code per reason (kept in Match.note_codes), and its text in
English and French ("English / français", as the diff stage writes its notes; several are joined
with "; ")."""

from __future__ import annotations

from collections.abc import Sequence

# (code, English, French)
Note = tuple[str, str, str]

_TEXTS: dict[str, tuple[str, str]] = {
    "ref": ("linked by {key}={value}", "lié par {key}={value}"),
    "ref_far": (
        "linked by {key}={value} although {distance:.0f} m apart",
        "lié par {key}={value} malgré {distance:.0f} m d'écart",
    ),
    "ref_type": (
        "linked by {key}={value} although OSM tags it as another kind of place",
        "lié par {key}={value} bien qu'OSM le décrive comme un autre type de lieu",
    ),
    "ref_duplicate": (
        "{others} also carry {key}={value}",
        "{others} portent aussi {key}={value}",
    ),
    "decision_same": ("linked by a person's decision{by}", "lié par décision humaine{by}"),
    "decision_none": (
        "no OSM counterpart, by a person's decision{by}",
        "pas d'équivalent OSM, par décision humaine{by}",
    ),
    "decision_stale": (
        "earlier decision '{verdict}'{by} ignored: {why}",
        "décision précédente « {verdict} »{by} ignorée : {why_fr}",
    ),
    "decision_taken": (
        "decision '{verdict}'{by} ignored: {osm} is linked to {other} by another decision",
        "décision « {verdict} »{by} ignorée : {osm} est lié à {other} par une autre décision",
    ),
    "close_call": (
        "{best} and {rival} fit nearly as well (margin {margin:.1f})",
        "{best} et {rival} conviennent presque autant (écart {margin:.1f})",
    ),
    "contested": (
        "city record {rival} fits {best} nearly as well (margin {margin:.1f})",
        "la fiche {rival} correspond presque autant à {best} (écart {margin:.1f})",
    ),
    "shared_candidate": (
        "{best} fits this record and city record {rival} nearly as well: please decide for both",
        "{best} correspond presque autant à cette fiche et à la fiche {rival} : à trancher pour les deux",
    ),
    "weak": (
        "best candidate {best} is a weak fit (score {score:.2f}): please check",
        "le meilleur candidat {best} correspond mal (score {score:.2f}) : à vérifier",
    ),
    "nearest_taken": (
        "nearest candidate {best} is linked to {other}",
        "le candidat le plus proche {best} est lié à {other}",
    ),
    "no_candidate": (
        "no OSM place of a matching type within {radius:.0f} m",
        "aucun lieu OSM de type compatible à moins de {radius:.0f} m",
    ),
    "city_duplicate": (
        "same place as city record {twin}{detail}",
        "même lieu que la fiche {twin}{detail}",
    ),
    "osm_duplicate": ("same place as {twin}{detail}", "même lieu que {twin}{detail}"),
    "evidence": ("{detail}", "{detail}"),
    "lone": (
        "the only candidate within {radius:.0f} m, {distance:.0f} m away: its name decided",
        "seul candidat à moins de {radius:.0f} m, à {distance:.0f} m : son nom a décidé",
    ),
    "isolated": (
        "names differ, but {best} is the only place of its kind within {radius:.0f} m and such places are "
        "sparse here (chance would put {expected:.3f} within {distance:.0f} m)",
        "noms différents, mais {best} est le seul lieu de ce type à moins de {radius:.0f} m et ces lieux sont "
        "rares ici (le hasard en placerait {expected:.3f} à moins de {distance:.0f} m)",
    ),
    "name_veto": (
        "{best} is the only candidate but its name differs and places of its kind are common here "
        "(chance would put {expected:.2f} within {distance:.0f} m)",
        "{best} est le seul candidat mais son nom diffère et ce type de lieu est courant ici "
        "(le hasard en placerait {expected:.2f} à moins de {distance:.0f} m)",
    ),
    "far_same_name": (
        "{best} bears the same name, {distance:.0f} m away (beyond {radius:.0f} m): please check",
        "{best} porte le même nom, à {distance:.0f} m (au-delà de {radius:.0f} m) : à vérifier",
    ),
}

CODES = frozenset(_TEXTS)


def note(which: str, **values: object) -> Note:
    """Return one explanation: its code and its English and French text."""
    english, french = _TEXTS[which]
    values.setdefault("why_fr", values.get("why", ""))
    return which, english.format(**values), french.format(**values)


def join_notes(parts: Sequence[Note]) -> str:
    """Return notes as "English / français", several joined with "; "."""
    return "; ".join(f"{english} / {french}" for _, english, french in parts)


def note_codes(parts: Sequence[Note]) -> tuple[str, ...]:
    """Return the codes of the notes, in order, each once."""
    return tuple(dict.fromkeys(code for code, _, _ in parts))
