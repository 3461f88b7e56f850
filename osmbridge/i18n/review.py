"""Words of the review workflow, in English and French: states, actions, directions, automatic reasons.

The CLI and the web app show them; codes are those of osmbridge.model (ReviewState, Direction) and
osmbridge.review (action names, reasons of the changes a run makes).
"""

from __future__ import annotations

REVIEW_MESSAGES: dict[str, tuple[str, str]] = {
    "state.open": ("open", "à examiner"),
    "state.accepted": ("accepted", "accepté"),
    "state.edited": ("accepted with a corrected value", "accepté avec une valeur corrigée"),
    "state.rejected": ("rejected", "refusé"),
    "state.deferred": ("deferred", "reporté"),
    "state.needs_survey": ("needs a survey", "à vérifier sur place"),
    "state.stale": ("stale: changed since the decision", "périmé : modifié depuis la décision"),
    "state.match_decided": ("settled by a match verdict", "réglé par une décision d'appariement"),
    "state.pushed": ("pushed", "envoyé"),
    "state.resolved": ("resolved", "résolu"),
    "direction.to_osm": ("to OSM", "vers OSM"),
    "direction.to_city": ("to the city", "vers la ville"),
    "action.opened": ("reported", "signalé"),
    "action.seen": ("reported again", "signalé à nouveau"),
    "action.stale": ("went stale", "périmé"),
    "action.resolved": ("resolved", "résolu"),
    "action.reappeared": ("reported again", "signalé à nouveau"),
    "action.accept": ("accepted", "accepté"),
    "action.edit": ("accepted a corrected value", "accepté une valeur corrigée"),
    "action.reject": ("rejected", "refusé"),
    "action.defer": ("deferred", "reporté"),
    "action.survey": ("asked for a survey", "demandé une vérification sur place"),
    "action.reopen": ("reopened", "rouvert"),
    "action.same": ("said: same place", "a dit : même lieu"),
    "action.not_same": ("said: not the same place", "a dit : pas le même lieu"),
    "action.no_counterpart": ("said: no counterpart", "a dit : pas d'équivalent"),
    "action.choose": ("chose a candidate", "a choisi un candidat"),
    "action.pushed": ("pushed", "envoyé"),
    "action.push_stale": ("found changed when pushing", "trouvé modifié à l'envoi"),
    "reason.values_changed": ("either side changed since the decision", "un des côtés a changé depuis la décision"),
    "reason.reappeared": ("reported again after it was resolved", "signalé à nouveau après sa résolution"),
    "reason.verdict_unsettled": ("the run after the match verdict still reports it",
                                 "l'exécution suivant la décision d'appariement le signale encore"),
    "reason.gone": ("no longer reported: both sides agree now, or the place left the dataset",
                    "plus signalé : les deux côtés concordent, ou le lieu a quitté le jeu de données"),
    "reason.replaced": ("its values changed: see the item replacing it",
                        "ses valeurs ont changé : voir l'élément qui le remplace"),
}
