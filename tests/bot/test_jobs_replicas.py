"""Two copies of the bot on one database, each with its own connections, as two replicas are:
their minute ticks run at the same moment, and each reminder, closing notice and purge is still
done once."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from conversations.model import Consultation
from storage.audit import AuditAction
from storage.database import create_engine
from storage.models import AuditEntry, Respondent
from tests.bot.harness import STAFF_ID, BotHarness, FrozenClock, make_harness
from tests.bot.test_jobs_closing import JUST_AFTER, TOLD_CLOSED
from tests.bot.test_jobs_reminders import MORNING, REMINDER, stops_after_one_answer
from tests.bot.test_jobs_retention import NINETY_DAYS_ON
from tests.telegram_fakes.updates import FakeUser

PEOPLE = 12


@pytest.fixture
async def replicas(
    database: AsyncEngine, database_url: str, medway: Consultation, clock: FrozenClock
) -> AsyncIterator[tuple[BotHarness, BotHarness]]:
    """Two bots on the same database through two engines (two connection pools)."""
    own_engine = create_engine(database_url)
    first = await make_harness(database, medway, clock)
    second = await make_harness(own_engine, medway, clock)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()
        await own_engine.dispose()


def sent(bots: tuple[BotHarness, ...], person: FakeUser, text: str) -> int:
    """How often any of the bots sent this text to this person."""
    return sum(
        call.params.get("text") == text
        for bot in bots
        for call in bot.api.calls_of("sendMessage", chat_id=person.id)
    )


async def tick_together(bots: tuple[BotHarness, ...]) -> None:
    await asyncio.gather(*(bot.tick() for bot in bots))


async def test_reminders_closing_notices_and_the_purge_run_once_across_two_replicas(
    replicas: tuple[BotHarness, BotHarness], clock: FrozenClock
):
    first, second = replicas
    people = [
        await stops_after_one_answer(first, f"Person {number}", reminder=True)
        for number in range(PEOPLE)
    ]
    staff = first.person("Sam", id=STAFF_ID)
    for person in (*people, staff):
        second.api.add_chat(person)

    clock.now = MORNING
    await tick_together(replicas)
    await tick_together(replicas)
    assert [sent(replicas, person, REMINDER) for person in people] == [1] * PEOPLE

    clock.now = JUST_AFTER
    await tick_together(replicas)
    await tick_together(replicas)
    numbers = [
        call
        for bot in replicas
        for call in bot.api.calls_of("sendMessage", chat_id=STAFF_ID)
        if call.params["text"].startswith("The consultation closed")
    ]
    assert len(numbers) == 1
    assert [sent(replicas, person, TOLD_CLOSED) for person in people] == [1] * PEOPLE

    clock.now = NINETY_DAYS_ON + timedelta(minutes=1)
    await tick_together(replicas)
    await tick_together(replicas)
    async with first.service.sessions() as session:
        chat_ids = (await session.execute(select(Respondent.chat_id))).scalars().all()
        purges = (
            await session.execute(
                select(AuditEntry.detail).where(AuditEntry.action == AuditAction.PURGE)
            )
        ).all()
    assert chat_ids == [None] * PEOPLE
    assert len(purges) == 1
