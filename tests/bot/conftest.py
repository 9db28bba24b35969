"""Fixtures for the bot tests: the real Application on a real database, frozen in time."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from conversations.loader import default_consultation_path, load_consultation
from conversations.model import Consultation
from tests.bot.harness import BotHarness, FrozenClock, make_harness


@pytest.fixture(scope="session")
def medway() -> Consultation:
    """The consultation shipped with the bot."""
    return load_consultation(default_consultation_path())


@pytest.fixture
def clock() -> FrozenClock:
    """A clock standing in the middle of the Medway consultation's window."""
    return FrozenClock()


@pytest.fixture
async def harness(
    database: AsyncEngine, medway: Consultation, clock: FrozenClock
) -> AsyncIterator[BotHarness]:
    """The bot, talking to a fake Telegram, on SQLite (and PostgreSQL when configured)."""
    bot = await make_harness(database, medway, clock)
    try:
        yield bot
    finally:
        await bot.application.shutdown()
