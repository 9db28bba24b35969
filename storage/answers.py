"""Answers: one row per respondent and question, changed in place when the answer changes."""

from collections.abc import Callable, Iterable
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
    latest = {
        (answer.area, answer.question): {
            "respondent_id": respondent_id,
            "area": answer.area,
            "question": answer.question,
            "question_text": answer.question_text,
            "value": answer.value,
            "label": answer.label,
            "language": answer.language,
            "consultation_version": consultation_version,
            "first_answered_at": now,
            "last_answered_at": now,
        }
        for answer in answers
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
