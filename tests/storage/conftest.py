"""Helpers for storage tests: a quick way to make a respondent.

Test modules keep their own copies of the few constants (a frozen time, the consultation id)
rather than importing them from here, so they import cleanly in any pytest import mode.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.identity import pseudonym
from storage.models import Respondent
from storage.respondents import get_or_create_respondent

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
SECRET = b"test secret"
CONSULTATION = "send-strategy-2022"

MakeRespondent = Callable[..., Awaitable[Respondent]]


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
