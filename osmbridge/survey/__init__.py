"""Field survey: agents go through the places of a neighbourhood and say what they see on the ground.

Each answer (exists, closed, moved, value seen) becomes review items with the agent as their
source (`answers.survey_differences`); `places` lists what an agent walks past, `progress` what is
surveyed and what is left per neighbourhood. The store keeps answers once per answer id
(`osmbridge.store.survey_store`); the web app serves the survey pages (`osmbridge.web.routes_survey`).
"""

from osmbridge.survey.answers import SurveyError, check_answer, survey_differences
from osmbridge.survey.model import ANSWER_KINDS, AnswerKind, RecordedAnswer, SurveyAnswer, SurveyPlace

__all__ = ["ANSWER_KINDS", "AnswerKind", "RecordedAnswer", "SurveyAnswer", "SurveyError", "SurveyPlace",
           "check_answer", "survey_differences"]
