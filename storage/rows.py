"""Plain rows that storage hands to exports and statistics, free of ORM objects."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


class ExportRow(NamedTuple):
    """One stored answer, as staff see it. Carries no Telegram identifier of any kind.

    Storage streams these as the driver's plain tuples in this field order (see
    storage.export_stream), so writers unpack or index rows rather than build objects.
    `respondent` is the export label ("R" and the row id); `value` is the raw value (a choice
    key, keys joined by commas, or the text typed; None when skipped); `answer` is the label the
    respondent saw, or their own words; `answered_at` the time of the latest change, as UTC text
    `YYYY-MM-DD HH:MM:SS.ffffff`; `language` the language they were asked in.
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
    answered_at: str
    version: str = ""
    """The hash of the consultation file the answer was given under (see the evidence record)."""
    language: str | None = None


RESPONDENT, AUDIENCE, SOURCE, FINISHED, AREA, QUESTION, QUESTION_TEXT, VALUE, ANSWER = range(9)
"""Where the first fields of `ExportRow` sit, for reading a plain row by index."""


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """One of a respondent's stored answers, for showing them what they said."""

    area: str
    question: str
    question_text: str
    value: str | None
    label: str
    consultation_version: str
    first_answered_at: datetime
    last_answered_at: datetime


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone the bot may message: where to send it, and in which language and wording."""

    respondent_id: int
    chat_id: int
    language: str | None
    audience: str | None


@dataclass(frozen=True, slots=True)
class RespondentCount:
    """How many respondents share one audience, source and stage, for statistics."""

    audience: str | None
    source: str | None
    consented: bool
    finished: bool
    count: int


@dataclass(frozen=True, slots=True)
class WindowOverride:
    """Staff's dates for a consultation; None means "use the date in the consultation file"."""

    consultation_id: str
    opens_at: datetime | None
    closes_at: datetime | None
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """What a retention purge removed."""

    chat_ids_cleared: int = 0
    respondents_deleted: int = 0
    answers_deleted: int = 0
    progress_deleted: int = 0

    @property
    def total(self) -> int:
        """Every row the purge changed or deleted."""
        return (
            self.chat_ids_cleared
            + self.respondents_deleted
            + self.answers_deleted
            + self.progress_deleted
        )


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit log entry as staff read it."""

    at: datetime
    actor: str
    action: str
    detail: str
    rows: int | None


@dataclass(frozen=True, slots=True)
class FoundRespondent:
    """What `find_respondent` reads of a respondent: enough to load progress and to reach them."""

    id: int
    chat_id: int | None
    unreachable_at: datetime | None


@dataclass(frozen=True, slots=True)
class FileVersion:
    """A version of the consultation file the bot ran with, and how many answers it took."""

    version: str
    text: str
    first_used_at: datetime
    answers: int


@dataclass(frozen=True, slots=True)
class WindowChangeRecord:
    """One staff change to the closing time; `closes_at` None means back to the file's date."""

    at: datetime
    actor: str
    opens_at: datetime | None
    closes_at: datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class DeclineTally:
    """How many people said no to consent, for one audience and source (None if unknown)."""

    audience: str | None
    source: str | None
    declines: int


@dataclass(frozen=True, slots=True)
class AnswerCount:
    """How many respondents of one audience gave one stored value to one question of an area.

    `value` is as stored: a choice key, keys joined by commas for a tick-list, None when skipped.
    """

    audience: str | None
    question: str
    value: str | None
    count: int
