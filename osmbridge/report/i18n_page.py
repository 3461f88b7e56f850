"""Strings of the report's and the party pages' controls: filters, editor links, data sources, map credit.

Merged into `i18n.STRINGS`; kept apart so the page controls and the notes' vocabulary change separately.
"""

from __future__ import annotations

# The map credit is markup (a link), written by us, never from data.
_COPYRIGHT = "https://www.openstreetmap.org/copyright"

PAGE_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "map.attribution": f'&copy; <a href="{_COPYRIGHT}">OpenStreetMap</a> contributors',
        "table.all_sides": "Every changed side",
        "table.order_help": "Proposals and conflicts come first, places only in OSM last.",
        "table.clear": "Show all",
        "who.filter_help": "Click a count to show only those rows.",
        "link.id": "iD",
        "link.id_title": "Open in iD, the web editor on openstreetmap.org",
        "link.josm_add": "Add in JOSM",
        "link.josm_add_title": "Add the place as a new node with the city's tags (JOSM asks before adding)",
        "link.all_objects": "all",
        "sources.title": "Data compared",
        "sources.city": "City data",
        "sources.osm": "OSM data",
        "sources.date": "as of",
        "sources.unknown_date": "date unknown",
        "file.diff_excel": "Differences for Excel (opens in columns; phone numbers kept as written)",
        "file.diff_excel_fr": "Differences for Excel in French (semicolons, decimal commas)",
    },
    "fr": {
        "map.attribution": f'&copy; les contributeurs d’<a href="{_COPYRIGHT}">OpenStreetMap</a>',
        "table.all_sides": "Tous les côtés",
        "table.order_help": "Propositions et conflits d’abord, lieux présents seulement dans OSM à la fin.",
        "table.clear": "Tout afficher",
        "who.filter_help": "Cliquez sur un nombre pour n’afficher que ces lignes.",
        "link.id": "iD",
        "link.id_title": "Ouvrir dans iD, l’éditeur en ligne d’openstreetmap.org",
        "link.josm_add": "Ajouter dans JOSM",
        "link.josm_add_title": "Ajouter le lieu comme nouveau nœud avec les tags de la ville (JOSM demande avant)",
        "link.all_objects": "tous",
        "sources.title": "Données comparées",
        "sources.city": "Données de la ville",
        "sources.osm": "Données OSM",
        "sources.date": "au",
        "sources.unknown_date": "date inconnue",
        "file.diff_excel": "Écarts pour Excel en anglais (virgules, points décimaux)",
        "file.diff_excel_fr": "Écarts pour Excel (s’ouvre en colonnes ; numéros de téléphone gardés tels quels)",
    },
}
