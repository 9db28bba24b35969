"""The closing day, run by hand as the minute tick would: staff get the final numbers, people who
were half-way are told it closed and their answers are kept; once, whatever restarts."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.jobs import claim_job
from storage.models import Answer, JobRun
from tests.bot.harness import STAFF_ID, Bot, BotHarness, FrozenClock
from tests.bot.test_staff_scenario import (
    People,
    bea_stops_half_way,
    meet,
    staff_member,
    three_respondents,
)

CLOSES = datetime(2022, 9, 23, 22, 59, tzinfo=UTC)  # 11:59pm in Medway, summer time
JUST_AFTER = CLOSES + timedelta(minutes=1)
CLOSING_JOB = "closing-notice:2022-09-23T23:59:00+01:00"
OTHER_STAFF_ID = 535353
NEVER_STARTED_STAFF_ID = 111  # sorts first, and never wrote to the bot
FINAL_NUMBERS = (
    "The consultation closed on Friday 23 September 2022 at 11:59pm.\n"
    "People who answered: 3. Finished: 2. Answers: 10.\n"
    "Type /export xlsx for the spreadsheet."
)
BEAS_NUMBERS = (
    "The consultation closed on Friday 23 September 2022 at 11:59pm.\n"
    "People who answered: 1. Finished: 0. Answers: 5.\n"
    "Type /export xlsx for the spreadsheet."
)
TOLD_CLOSED = (
    "This closed on Friday 23 September 2022 at 11:59pm.\n"
    "We have kept the answers you already gave. Thank you!"
)


@pytest.fixture
def restart(bot_with: Bot) -> Bot:
    """Start the bot again on the same database and clock (a new process, a fresh Telegram
    connection): each call builds another bot; all are shut down at the end."""
    return bot_with


async def only_bea_stops_half_way(harness: BotHarness) -> People:
    """The three people of the staff tests, of whom only Bea has written: she stopped half-way."""
    people = meet(harness)
    await bea_stops_half_way(harness, people.bea)
    return people


async def stored_answers(harness: BotHarness) -> int:
    async with harness.service.sessions() as session:
        return (await session.execute(select(func.count()).select_from(Answer))).scalar_one()


def sent_texts(harness: BotHarness, chat_id: int) -> list[str]:
    return [text or "" for text in harness.api.texts(chat_id)]


async def test_at_the_close_every_admin_gets_the_numbers_and_half_way_people_are_told(
    restart: Bot, clock: FrozenClock
):
    bot = await restart(admin_ids=frozenset({STAFF_ID, OTHER_STAFF_ID}))
    people = await three_respondents(bot)
    staff_member(bot)
    bot.person("Ola", id=OTHER_STAFF_ID)
    before = {person.id: len(bot.texts(person)) for person in people.everyone()}

    answers = await stored_answers(bot)

    clock.now = JUST_AFTER
    await bot.tick()
    await bot.tick()  # the next minute's tick

    assert sent_texts(bot, STAFF_ID) == [FINAL_NUMBERS]
    assert sent_texts(bot, OTHER_STAFF_ID) == [FINAL_NUMBERS]
    assert bot.texts(people.bea)[before[people.bea.id] :] == [TOLD_CLOSED]
    assert len(bot.texts(people.ada)) == before[people.ada.id]  # finished: nothing to say
    assert len(bot.texts(people.cal)) == before[people.cal.id]
    # "we have kept the answers you gave": 13, and 8 about who they are
    assert await stored_answers(bot) == answers == 13 + 8
    assert bot.api.failed_calls() == []


async def test_nothing_is_sent_before_the_close(harness: BotHarness):
    people = meet(harness)
    await bea_stops_half_way(harness, people.bea)
    staff_member(harness)
    told = len(harness.texts(people.bea))

    harness.clock.now = CLOSES - timedelta(seconds=1)
    await harness.tick()

    assert sent_texts(harness, STAFF_ID) == []
    assert len(harness.texts(people.bea)) == told


async def test_the_closing_work_is_done_once_however_often_the_bot_restarts_around_it(
    restart: Bot, clock: FrozenClock, database: AsyncEngine
):
    first = await restart()
    people = await only_bea_stops_half_way(first)
    clock.now = CLOSES - timedelta(minutes=1)
    await first.tick()  # the last tick before the close: nothing to do
    await first.close()

    clock.now = JUST_AFTER
    second = await restart()  # back up just after the close
    for person in (*people.everyone(), staff_member(second)):
        second.api.add_chat(person)
    await second.tick()
    clock.now += timedelta(minutes=1)
    third = await restart()  # and once more
    for person in (*people.everyone(), staff_member(third)):
        third.api.add_chat(person)
    await third.tick()
    await third.tick()

    assert first.api.calls_of("sendMessage", chat_id=STAFF_ID) == []
    assert sent_texts(second, STAFF_ID) == [BEAS_NUMBERS]
    assert sent_texts(second, people.bea.id) == [TOLD_CLOSED]
    assert third.api.calls_of("sendMessage") == []
    async with second.service.sessions() as session:
        runs = (
            (await session.execute(select(JobRun.name).where(JobRun.name.like("closing-%"))))
            .scalars()
            .all()
        )
    assert runs == [CLOSING_JOB]  # claimed once, by the second


async def test_two_bots_ticking_at_the_same_moment_tell_each_person_once(
    restart: Bot, clock: FrozenClock
):
    first = await restart()
    people = await only_bea_stops_half_way(first)
    staff_member(first)
    clock.now = JUST_AFTER
    async with first.service.sessions() as session, session.begin():
        # Staff had the numbers, then the bot stopped before telling anyone else.
        await claim_job(
            session, name=CLOSING_JOB, consultation_id=first.consultation.id, now=clock.now
        )
    second = await restart()  # the new process starts while the old one still ticks
    for person in people.everyone():
        second.api.add_chat(person)

    await asyncio.gather(first.tick(), second.tick())

    told = [
        call
        for bot in (first, second)
        for call in bot.api.calls_of("sendMessage", chat_id=people.bea.id)
        if call.params["text"] == TOLD_CLOSED
    ]
    assert len(told) == 1
    assert first.api.calls_of("sendMessage", chat_id=STAFF_ID) == []


async def test_a_bot_that_was_down_at_the_close_does_the_closing_work_when_it_starts(
    restart: Bot, clock: FrozenClock
):
    before = await restart()
    people = await only_bea_stops_half_way(before)
    await before.close()

    clock.now = CLOSES + timedelta(days=12, hours=3)  # down for twelve days
    after = await restart()
    for person in (*people.everyone(), staff_member(after)):
        after.api.add_chat(person)
    await after.tick()

    assert sent_texts(after, STAFF_ID) == [BEAS_NUMBERS]
    assert sent_texts(after, people.bea.id) == [TOLD_CLOSED]


async def test_an_admin_the_bot_cannot_reach_does_not_keep_the_numbers_from_the_others(
    restart: Bot, clock: FrozenClock
):
    bot = await restart(admin_ids=frozenset({NEVER_STARTED_STAFF_ID, STAFF_ID}))
    people = await only_bea_stops_half_way(bot)
    staff_member(bot)

    clock.now = JUST_AFTER
    await bot.tick()

    refused = bot.api.calls_of("sendMessage", chat_id=NEVER_STARTED_STAFF_ID, ok=False)
    assert len(refused) == 1  # Telegram: "bot can't initiate conversation with a user"
    assert sent_texts(bot, STAFF_ID) == [BEAS_NUMBERS]
    assert sent_texts(bot, people.bea.id)[-1] == TOLD_CLOSED
