"""Words of the field survey, in English and French: what an agent answered, as notes and audit entries.

Codes: `survey_answer` (the note on a survey item), `answer.*` (the answer kinds of
osmbridge.survey), `action.surveyed` (the audit entry of an answer) and `reason.survey_agrees`.
"""

from __future__ import annotations

SURVEY_MESSAGES: dict[str, tuple[str, str]] = {
    "survey_answer": ("seen on the ground by {agent} on {date}: {answer}{comment}",
                      "constaté sur place par {agent} le {date} : {answer}{comment}"),
    "answer.exists": ("it is there", "il est bien là"),
    "answer.closed": ("closed", "fermé"),
    "answer.moved": ("it is elsewhere", "il est ailleurs"),
    "answer.value": ("{field} reads {value!r}", "{field} indique {value!r}"),
    "action.surveyed": ("recorded a field check", "a enregistré une vérification sur place"),
    "reason.survey_agrees": ("no side to change (it already says so, or lacks the place): the check is on record",
                             "aucun côté à modifier (il le dit déjà, ou n'a pas le lieu) : la vérification est notée"),
}
