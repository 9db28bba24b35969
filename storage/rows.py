"""Plain rows that storage hands to exports and statistics, free of ORM objects."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One stored answer, as staff see it. Carries no Telegram identifier of any kind.

    `value` is the raw value (a choice key, keys joined by commas, or the text typed; None when
    skipped); `answer` is the label the respondent saw, or their own words.
    """

    respondent: str
    audience: str | None
    source: str | None
    finished: bool
    area: str
    question: str
    question_text: str
    value: str | None
    answer: str
    answered_at: datetime
