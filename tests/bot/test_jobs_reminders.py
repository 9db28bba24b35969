"""Reminders, run by hand as the minute tick would: a few days before the close, one gentle
reminder to people who asked for one and stopped half-way; never in quiet hours (Medway's
local time), never twice, and not while they are still busy with it."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from storage.models import Respondent
from tests.bot.harness import Bot, BotHarness
from tests.bot.steps import INCLUSION, begin
from tests.telegram_fakes.updates import FakeUser

REMINDER = (
    "Hello again! You started telling us what you think about our plan.\n"
    "It closes on Friday 23 September 2022 at 11:59pm.\n"
    "Type /start to carry on where you stopped."
)
MORNING = datetime(2022, 9, 21, 9, 0, tzinfo=UTC)  # 10am in Medway, two days before the close


async def stops_after_one_answer(harness: BotHarness, name: str, *, reminder: bool) -> FakeUser:
    """Someone who starts, says yes or no to a reminder, answers one question and stops."""
    person = harness.person(name)
    await begin(harness, person, "parent_carer", INCLUSION, reminder=reminder)
    await harness.tap(person, "Agree")
    return person


async def finishes_after_asking_for_a_reminder(harness: BotHarness) -> FakeUser:
    person = harness.person("Fay")
    await begin(harness, person, "young_person", INCLUSION, reminder=True)
    for _ in range(4):  # three questions and the last open one
        await harness.tap(person, "Skip")
    await harness.tap(person, "No")  # no news
    await harness.tap(person, "Send my answers")
    return person


def reminders(harness: BotHarness, person: FakeUser) -> list[str]:
    return [text for text in harness.texts(person) if text == REMINDER]


async def test_someone_who_asked_and_stopped_half_way_gets_one_reminder_only(
    harness: BotHarness,
):
    bea = await stops_after_one_answer(harness, "Bea", reminder=True)
    eve = await stops_after_one_answer(harness, "Eve", reminder=False)
    fay = await finishes_after_asking_for_a_reminder(harness)

    await harness.tick_at(datetime(2022, 9, 20, 12, 0, tzinfo=UTC))  # 3 days and more before
    assert reminders(harness, bea) == []
    await harness.tick_at(MORNING)
    await harness.tick_at(MORNING + timedelta(minutes=1))
    await harness.tick_at(MORNING + timedelta(days=1))

    assert reminders(harness, bea) == [REMINDER]
    assert harness.last(bea).text == REMINDER
    assert reminders(harness, eve) == []  # said no
    assert reminders(harness, fay) == []  # finished
    async with harness.service.sessions() as session:
        marked = select(Respondent.reminded_at).where(Respondent.reminded_at.is_not(None))
        reminded = (await session.execute(marked)).scalars().all()
    assert reminded == [MORNING]
    assert harness.api.failed_calls() == []


async def test_no_reminder_in_quiet_hours_in_medway_it_comes_at_nine(harness: BotHarness):
    bea = await stops_after_one_answer(harness, "Bea", reminder=True)

    for utc_hour, minute in ((19, 0), (22, 30), (2, 0), (7, 59)):  # 8pm to 8:59am in Medway
        day = 21 if utc_hour >= 12 else 22
        await harness.tick_at(datetime(2022, 9, day, utc_hour, minute, tzinfo=UTC))
        assert reminders(harness, bea) == [], f"{utc_hour}:{minute:02d} UTC is in quiet hours"
    await harness.tick_at(datetime(2022, 9, 22, 8, 0, tzinfo=UTC))  # 9am in Medway

    assert reminders(harness, bea) == [REMINDER]


async def test_quiet_hours_and_days_before_the_close_come_from_the_settings(bot_with: Bot):
    bot = await bot_with(reminder_days_before_close=5, quiet_hours=(time(22, 0), time(7, 0)))
    bea = await stops_after_one_answer(bot, "Bea", reminder=True)

    await bot.tick_at(datetime(2022, 9, 18, 20, 0, tzinfo=UTC))  # 9pm, 5 days and an hour
    assert reminders(bot, bea) == []
    await bot.tick_at(datetime(2022, 9, 18, 22, 0, tzinfo=UTC))  # 11pm: quiet
    assert reminders(bot, bea) == []
    await bot.tick_at(datetime(2022, 9, 19, 6, 0, tzinfo=UTC))  # 7am

    assert reminders(bot, bea) == [REMINDER]


async def test_no_reminders_at_all_when_the_settings_say_zero_days(bot_with: Bot):
    bot = await bot_with(reminder_days_before_close=0)
    bea = await stops_after_one_answer(bot, "Bea", reminder=True)

    for day in (20, 21, 22, 23):
        await bot.tick_at(datetime(2022, 9, day, 12, 0, tzinfo=UTC))

    assert reminders(bot, bea) == []


async def test_no_reminder_for_someone_who_answered_in_the_last_day(harness: BotHarness):
    harness.clock.now = datetime(2022, 9, 21, 8, 0, tzinfo=UTC)
    bea = await stops_after_one_answer(harness, "Bea", reminder=True)

    await harness.tick_at(datetime(2022, 9, 21, 15, 0, tzinfo=UTC))
    await harness.tick_at(datetime(2022, 9, 22, 8, 0, tzinfo=UTC))  # exactly a day
    assert reminders(harness, bea) == []
    await harness.tick_at(datetime(2022, 9, 22, 8, 1, tzinfo=UTC))

    assert reminders(harness, bea) == [REMINDER]


async def test_no_reminder_once_the_consultation_has_closed(harness: BotHarness):
    bea = await stops_after_one_answer(harness, "Bea", reminder=True)

    await harness.tick_at(datetime(2022, 9, 24, 9, 0, tzinfo=UTC))

    assert reminders(harness, bea) == []
    assert harness.last(bea).text.startswith("This closed on")
