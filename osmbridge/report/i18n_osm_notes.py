"""The report's words about OSM notes near the places, in English and French (merged into `i18n.STRINGS`)."""

from __future__ import annotations

OSM_NOTE_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "osm_notes.title": "OSM notes near the places",
        "osm_notes.help": ("Notes mappers left on openstreetmap.org within reach of a place: the open ones, and "
                           "those resolved lately. An open note reporting a closure or a wrong value next to a city "
                           "record is also a review item for the city (“OSM note reports a problem”)."),
        "osm_notes.problem": "The OSM notes could not be read in this run; the review items they made are kept:",
        "osm_notes.place": "Place",
        "osm_notes.note": "Note",
        "osm_notes.status": "Status",
        "osm_notes.status.open": "open",
        "osm_notes.status.closed": "resolved",
        "osm_notes.status.hidden": "hidden",
        "osm_notes.reports": "Reports",
        "osm_notes.concern.closure": "a closure",
        "osm_notes.concern.wrong_value": "a wrong value",
        "osm_notes.text": "What it says",
        "osm_notes.distance": "Distance",
        "osm_notes.open_count": "open",
    },
    "fr": {
        "osm_notes.title": "Notes OSM près des lieux",
        "osm_notes.help": ("Notes laissées par des contributeurs sur openstreetmap.org à portée d'un lieu : celles "
                           "ouvertes, et celles résolues récemment. Une note ouverte signalant une fermeture ou une "
                           "valeur erronée près d'une fiche de la ville est aussi un élément à examiner par la ville "
                           "(« Une note OSM signale un problème »)."),
        "osm_notes.problem": ("Les notes OSM n'ont pas pu être lues lors de cette exécution ; les éléments à examiner "
                              "qu'elles avaient créés sont conservés :"),
        "osm_notes.place": "Lieu",
        "osm_notes.note": "Note",
        "osm_notes.status": "État",
        "osm_notes.status.open": "ouverte",
        "osm_notes.status.closed": "résolue",
        "osm_notes.status.hidden": "masquée",
        "osm_notes.reports": "Signale",
        "osm_notes.concern.closure": "une fermeture",
        "osm_notes.concern.wrong_value": "une valeur erronée",
        "osm_notes.text": "Ce qu'elle dit",
        "osm_notes.distance": "Distance",
        "osm_notes.open_count": "ouvertes",
    },
}
