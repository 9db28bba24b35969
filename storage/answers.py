"""Answers: one row per respondent and question, changed in place when the answer changes."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer
from storage.rows import StoredAnswer
from storage.upsert import PerDialect

_answers = Answer.__table__
_CHANGED = (
    "question_text",
    "value",
    "label",
    "language",
    "consultation_version",
    "last_answered_at",
)
"""What a new answer to the same question replaces; `first_answered_at` is kept."""


def _upsert(insert: Callable[[Table], Any]) -> Any:
    statement = insert(_answers)
    return statement.on_conflict_do_update(
        index_elements=["respondent_id", "area", "question"],
        set_={name: statement.excluded[name] for name in _CHANGED},
    )


_RECORD = PerDialect(_upsert)  # built once: each call only binds the rows


class AnswerLike(Protocol):
    """What storage needs of an answer; `conversations.outputs.Answer` is one.

    `value` None means the question was skipped; `label` is what the respondent saw or wrote.
    """

    @property
    def area(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def question_text(self) -> str: ...
    @property
    def value(self) -> str | None: ...
    @property
    def label(self) -> str: ...
    @property
    def language(self) -> str: ...


@dataclass(frozen=True, slots=True)
class AnswersOf:
    """One respondent's answers from one step, to be recorded with others' in one statement."""

    respondent_id: int
    answers: Sequence[AnswerLike]
    consultation_version: str
    now: datetime


async def record_answers(
    session: AsyncSession,
    *,
    respondent_id: int,
    answers: Iterable[AnswerLike],
    consultation_version: str,
    now: datetime,
) -> int:
    """Store each answer, replacing the respondent's earlier answer to the same question.

    `consultation_version` is the hash of the consultation file the questions were asked under.
    The first answer's time is kept; `last_answered_at` becomes `now`. When one batch answers a
    question twice, the later answer wins. Returns how many questions were written.
    """
    return await record_many_answers(
        session, [AnswersOf(respondent_id, list(answers), consultation_version, now)]
    )


async def record_many_answers(session: AsyncSession, batch: Sequence[AnswersOf]) -> int:
    """As `record_answers` for each of `batch` (different respondents), in one statement (an
    executemany: asyncpg sends its rows in one go, sqlite3 steps one prepared statement).
    Returns how many questions were written."""
    latest = {
        (each.respondent_id, answer.area, answer.question): {
            "respondent_id": each.respondent_id,
            "area": answer.area,
            "question": answer.question,
            "question_text": answer.question_text,
            "value": answer.value,
            "label": answer.label,
            "language": answer.language,
            "consultation_version": each.consultation_version,
            "first_answered_at": each.now,
            "last_answered_at": each.now,
        }
        for each in batch
        for answer in each.answers
    }
    if not latest:
        return 0
    rows = list(latest.values())
    await session.execute(_RECORD.get(session), rows[0] if len(rows) == 1 else rows)
    return len(rows)


async def list_answers(session: AsyncSession, *, respondent_id: int) -> list[StoredAnswer]:
    """The respondent's answers in the order they first gave them."""
    result = await session.execute(
        select(
            _answers.c.area,
            _answers.c.question,
            _answers.c.question_text,
            _answers.c.value,
            _answers.c.label,
            _answers.c.consultation_version,
            _answers.c.first_answered_at,
            _answers.c.last_answered_at,
        )
        .where(_answers.c.respondent_id == respondent_id)
        .order_by(_answers.c.first_answered_at, _answers.c.id)
    )
    return [StoredAnswer(*row) for row in result]
