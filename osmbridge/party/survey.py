"""The field survey on the party's printouts: a link and QR code to the survey page of each
neighbourhood, and what agents already checked there (osmbridge.survey)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import segno

from osmbridge.config import Config

from osmbridge.party.model import NeighbourhoodWork, PartyTask
from osmbridge.party.names import slugify
from osmbridge.survey.model import RecordedAnswer
from osmbridge.survey.progress import SURVEY_VALID_DAYS, place_key

# Words the party pages add to the report's (both languages; the pages switch in the browser).
SURVEY_STRINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "checklist.survey": "Record what you see on a phone (works with a poor connection):",
        "party.surveyed": "Checked on the ground",
        "checklist.answer.exists": "there",
        "checklist.answer.closed": "closed",
        "checklist.answer.moved": "elsewhere",
        "checklist.answer.value": "read:",
    },
    "fr": {
        "checklist.survey": "Notez ce que vous voyez sur un téléphone (fonctionne avec un réseau faible) :",
        "party.surveyed": "Vérifiés sur place",
        "checklist.answer.exists": "présent",
        "checklist.answer.closed": "fermé",
        "checklist.answer.moved": "ailleurs",
        "checklist.answer.value": "lu :",
    },
}


@dataclass(frozen=True, slots=True)
class PartySurvey:
    """The review web application's public address (None: no link) and the answers recorded so far."""

    public_url: str | None = None
    answers: Sequence[RecordedAnswer] = field(default_factory=tuple)  # newest first

    def page_url(self, work: NeighbourhoodWork) -> str | None:
        """The survey page of a neighbourhood in the web application (the same name in `[web] neighbourhoods`)."""
        if not self.public_url or work.neighbourhood.ref == "outside":
            return None
        return f"{self.public_url.rstrip('/')}/survey/{slugify(work.neighbourhood.name, max_length=80)}"

    def answer_of(self, task: PartyTask) -> RecordedAnswer | None:
        """The latest answer about the task's place, if any."""
        return self._latest().get(place_key(task.dataset, task.source_id, task.osm_key))

    def surveyed(self, work: NeighbourhoodWork) -> int:
        """How many of a neighbourhood's places have an answer."""
        return sum(1 for task in work.tasks if self.answer_of(task) is not None)

    def _latest(self) -> dict[tuple[str, str, str], RecordedAnswer]:
        latest: dict[tuple[str, str, str], RecordedAnswer] = {}
        for recorded in self.answers:
            a = recorded.answer
            latest.setdefault(place_key(a.dataset, a.source_id, a.osm_key), recorded)
        return latest


def qr_svg(url: str) -> str:
    """Return an inline SVG QR code of `url`, big enough to scan from a printed A4 page."""
    return str(segno.make(url, error="m").svg_inline(scale=3, border=2, title=url))


def party_survey(config: Config, datasets: Iterable[str], now: datetime | None = None) -> PartySurvey:
    """Return the survey beside a party plan: `[web] public_url` and the datasets' answers of the last
    SURVEY_VALID_DAYS, read from the store."""
    from osmbridge.store import Store
    from osmbridge.store.survey_store import survey_answers

    since = ((now or datetime.now(UTC)) - timedelta(days=SURVEY_VALID_DAYS)).isoformat(timespec="seconds")
    store = Store(config.store_url)
    try:
        answers = [a for name in datasets for a in survey_answers(store.engine, dataset=name, since=since)]
    finally:
        store.close()
    answers.sort(key=lambda a: a.answer.observed_at, reverse=True)
    return PartySurvey(config.web.public_url, answers)
