"""Words about OSM notes, in English and French: what a note reports, and what happened to the items following one."""

from __future__ import annotations

OSM_NOTE_MESSAGES: dict[str, tuple[str, str]] = {
    "osm_note": ("OSM note {note_id}, {distance_m:.0f} m away, reports {concern}: “{keyword}”",
                 "la note OSM {note_id}, à {distance_m:.0f} m, signale {concern} : « {keyword} »"),
    "osm_note_concern.closure": ("a closure", "une fermeture"),
    "osm_note_concern.wrong_value": ("a wrong value", "une valeur erronée"),
    "action.osm_note_published": ("published as an OSM note", "publié en note OSM"),
    "action.osm_note_linked": ("linked to an open OSM note nearby", "rattaché à une note OSM ouverte à proximité"),
    "action.osm_note_commented": ("OSM note commented", "note OSM commentée"),
    "action.osm_note_closed": ("OSM note resolved", "note OSM résolue"),
    "action.osm_note_reopened": ("OSM note reopened", "note OSM rouverte"),
    "action.osm_note_hidden": ("OSM note hidden by a moderator", "note OSM masquée par un modérateur"),
    "reason.osm_note_closed": ("the OSM note asking for a survey was resolved: read its comments",
                               "la note OSM demandant une vérification a été résolue : lire ses commentaires"),
    "reason.osm_note_hidden": ("the OSM note asking for a survey was hidden by a moderator",
                               "la note OSM demandant une vérification a été masquée par un modérateur"),
}
