"""Helpers for storage tests: a quick way to make a respondent, and to store one answer.

Test modules keep their own copies of the few constants (a frozen time, the consultation id)
rather than importing them from here, so they import cleanly in any pytest import mode.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.outputs import Answer
from storage.answers import record_answers
from storage.identity import pseudonym
from storage.models import Respondent
from storage.respondents import get_or_create_respondent

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
SECRET = b"test secret"
CONSULTATION = "send-strategy-2022"

MakeRespondent = Callable[..., Awaitable[Respondent]]
RecordAnswer = Callable[[int, Answer, datetime], Awaitable[None]]


@pytest.fixture
def make_respondent(sessions: async_sessionmaker[AsyncSession]) -> MakeRespondent:
    """Create (and commit) the respondent for a Telegram user id, with their chat id."""

    async def make(user_id: int, *, consultation_id: str = CONSULTATION) -> Respondent:
        async with sessions() as session, session.begin():
            return await get_or_create_respondent(
                session,
                consultation_id=consultation_id,
                pseudonym=pseudonym(SECRET, user_id),
                chat_id=user_id + 1_000_000,
                now=NOW,
            )

    return make


@pytest.fixture
def record_answer(sessions: async_sessionmaker[AsyncSession]) -> RecordAnswer:
    """Store (and commit) one answer of a respondent, given at a time, under file version v1."""

    async def record(respondent_id: int, answer: Answer, at: datetime) -> None:
        async with sessions() as session, session.begin():
            await record_answers(
                session,
                respondent_id=respondent_id,
                answers=[answer],
                consultation_version="v1",
                now=at,
            )

    return record
