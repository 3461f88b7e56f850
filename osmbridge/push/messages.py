"""Why an accepted item was not pushed, in English and French (codes come from the planner and the push)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Language = Literal["en", "fr"]

MESSAGES: dict[str, dict[Language, str]] = {
    "plan.osm_deleted": {"en": "{osm} was deleted in OSM since the review",
                         "fr": "{osm} a été supprimé d'OSM depuis la revue"},
    "plan.osm_version_changed": {"en": "{osm} is at version {now} in OSM, the reviewer saw version {seen}",
                                 "fr": "{osm} est en version {now} dans OSM, la revue a vu la version {seen}"},
    "plan.osm_tag_changed": {"en": "{osm} now has {key}={now!r} in OSM, the reviewer saw {seen!r}",
                             "fr": "{osm} a maintenant {key}={now!r} dans OSM, la revue a vu {seen!r}"},
    "plan.geometry_not_allowed": {"en": "moving {osm} is not allowed by the mapping (move_nodes)",
                                  "fr": "la correspondance n'autorise pas à déplacer {osm} (move_nodes)"},
    "plan.move_not_node": {"en": "{osm} is a way or relation: osmbridge never moves those",
                           "fr": "{osm} est un chemin ou une relation : osmbridge ne les déplace jamais"},
    "plan.bad_position": {"en": "the position {value!r} cannot be read", "fr": "la position {value!r} est illisible"},
    "plan.items_disagree": {"en": "two accepted items give {key} different values on {osm}",
                            "fr": "deux éléments acceptés donnent des valeurs différentes à {key} sur {osm}"},
    "plan.nothing_to_change": {"en": "{osm} already has what was accepted",
                               "fr": "{osm} contient déjà ce qui a été accepté"},
    "plan.not_accepted_to_osm": {"en": "not accepted for OSM", "fr": "non accepté pour OSM"},
    "plan.not_accepted_to_city": {"en": "not accepted for the city", "fr": "non accepté pour la ville"},
    "plan.not_an_osm_edit": {"en": "a {kind} difference is not an edit osmbridge can make",
                             "fr": "une différence {kind} n'est pas une modification qu'osmbridge peut faire"},
    "plan.created_meanwhile": {"en": "OSM now has {osm} ({tags}) at this place: mapped since the review? Not created",
                               "fr": "OSM a maintenant {osm} ({tags}) à cet endroit : cartographié depuis la revue ? "
                                     "Non créé"},
    "plan.no_tags": {"en": "the place to create has no tags", "fr": "le lieu à créer n'a aucun tag"},
    "push.still_used": {"en": "{osm} is still used by a way or relation: not deleted",
                        "fr": "{osm} est encore utilisé par un chemin ou une relation : non supprimé"},
    "push.refused": {"en": "the OSM API refused the upload: {message}",
                     "fr": "l'API d'OSM a refusé l'envoi : {message}"},
    "push.conflict": {"en": "OSM changed while uploading: {message}",
                      "fr": "OSM a changé pendant l'envoi : {message}"},
    "city.record_missing": {"en": "record {record} is no longer in the city dataset",
                            "fr": "l'enregistrement {record} n'est plus dans le jeu de la ville"},
    "city.value_changed": {"en": "{record}.{field} no longer holds {seen!r} in the city's data, as the reviewer saw",
                           "fr": "{record}.{field} ne vaut plus {seen!r} dans les données de la ville, comme lors "
                                 "de la revue"},
    "city.no_column": {"en": "the city dataset has no column for {field}",
                       "fr": "le jeu de la ville n'a pas de colonne pour {field}"},
    "city.not_a_correction": {"en": "a {kind} difference is not a correction of a city record",
                              "fr": "une différence {kind} n'est pas une correction d'un enregistrement"},
    "city.osm_changed": {"en": "{osm} changed in OSM since the review ({field} is now {now!r})",
                         "fr": "{osm} a changé dans OSM depuis la revue ({field} vaut maintenant {now!r})"},
}


def message(code: str, params: Mapping[str, str], language: Language = "en") -> str:
    """One refusal as a sentence; an unknown code is shown as is, with its parameters."""
    texts = MESSAGES.get(code)
    if texts is None:
        return f"{code} {dict(params)}"
    try:
        return texts[language].format(**params)
    except (KeyError, IndexError):
        return f"{code} {dict(params)}"
