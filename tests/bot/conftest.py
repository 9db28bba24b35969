"""Fixtures for the bot tests: the real Application on a real database, frozen in time."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sending import ResilientSender
from conversations.loader import default_consultation_path, load_consultation
from conversations.model import Consultation
from tests.bot.harness import Bot, BotHarness, FrozenClock, make_harness


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
        await bot.close()


@pytest.fixture
async def bot_with(
    database: AsyncEngine, medway: Consultation, clock: FrozenClock
) -> AsyncIterator[Bot]:
    """Build the bot with these settings (say, other quiet hours), on the same database and
    clock each call (so a second call is the bot started again); all shut down at the end."""
    started: list[BotHarness] = []

    async def build(**settings: Any) -> BotHarness:
        bot = await make_harness(database, medway, clock, **settings)
        started.append(bot)
        return bot

    yield build
    for bot in started:
        await bot.close()


@pytest.fixture
def instant_retries(harness: BotHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sender's own retry pauses (after a time-out or a 5xx) take no time; flood-control
    holds are left as they are."""
    sender = harness.application.bot.rate_limiter
    assert isinstance(sender, ResilientSender)
    monkeypatch.setattr(sender, "first_pause", 0.0)
