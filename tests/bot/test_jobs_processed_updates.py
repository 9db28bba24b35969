"""The minute tick forgets handled updates once a day, but only those older than Telegram could
ever deliver again: a redelivery inside that time still changes nothing. It forgets its own old
daily runs in job_runs too, and never a once-only job's claim."""

from datetime import timedelta

from sqlalchemy import select

from bot.jobs import KEEP_DAILY_RUNS, KEEP_PROCESSED_UPDATES
from storage.models import JobRun, ProcessedUpdate
from tests.bot.harness import BotHarness
from tests.bot.steps import answers_of, at_the_first_question

A_DAY = timedelta(days=1)


async def claimed_update_ids(harness: BotHarness) -> set[int]:
    async with harness.service.sessions() as session:
        ids = await session.execute(select(ProcessedUpdate.update_id))
    return set(ids.scalars())


async def test_telegram_keeps_updates_a_day_and_claims_are_kept_days_longer():
    assert KEEP_PROCESSED_UPDATES >= 3 * A_DAY


async def test_a_redelivery_inside_the_kept_time_is_still_recognised(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    press = harness.api.tap(ada, "Agree")
    assert await harness.deliver(press)
    answered = await answers_of(harness, ada)
    pressed_at = harness.clock.now

    await harness.tick_at(pressed_at + A_DAY)  # the first tick of the next day forgets
    await harness.tick_at(pressed_at + KEEP_PROCESSED_UPDATES - timedelta(minutes=1))
    assert press["update_id"] in await claimed_update_ids(harness)
    assert await harness.deliver(press)  # Telegram sends it again, late as it can be

    assert await answers_of(harness, ada) == answered
    assert "Question 2 of" in harness.last(ada).text


async def test_old_claims_are_forgotten_on_the_first_tick_of_a_day_and_new_ones_kept(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    old = await claimed_update_ids(harness)
    assert old  # each step of the way in was claimed
    started_at = harness.clock.now

    harness.clock.now = started_at + KEEP_PROCESSED_UPDATES - A_DAY
    press = harness.api.tap(ada, "Agree")
    assert await harness.deliver(press)
    newer = old | {press["update_id"]}

    await harness.tick_at(started_at + KEEP_PROCESSED_UPDATES - timedelta(minutes=1))
    assert await claimed_update_ids(harness) == newer  # the day's pass: none old enough yet
    await harness.tick_at(started_at + KEEP_PROCESSED_UPDATES + timedelta(minutes=1))
    assert await claimed_update_ids(harness) == newer  # old now, but that day's pass is done

    await harness.tick_at(started_at + KEEP_PROCESSED_UPDATES + A_DAY)  # the next day's pass

    assert await claimed_update_ids(harness) == {press["update_id"]}


async def job_runs(harness: BotHarness) -> list[str]:
    async with harness.service.sessions() as session:
        names = await session.execute(select(JobRun.name).order_by(JobRun.name))
    return list(names.scalars())


async def test_the_daily_runs_are_kept_a_month_and_the_once_only_claims_for_ever(
    harness: BotHarness,
):
    first = harness.clock.now  # 1 September 2022, noon; Medway closes on the 23rd
    days = KEEP_DAILY_RUNS.days + 20
    for day in range(days):
        await harness.tick_at(first + day * A_DAY)

    kept = await job_runs(harness)
    daily = [name for name in kept if name.startswith("forget-processed-updates:")]
    last = (first + (days - 1) * A_DAY).date()
    assert daily == [
        f"forget-processed-updates:{(last - n * A_DAY).isoformat()}"
        for n in reversed(range(KEEP_DAILY_RUNS.days + 1))
    ]  # today's and the 30 days before it
    assert [name for name in kept if name not in daily] == [
        "closing-notice:2022-09-23T23:59:00+01:00"
    ]  # the close's claim: older than every daily run kept, and still there
