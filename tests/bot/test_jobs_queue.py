"""The clock jobs through the real job queue: python-telegram-bot's JobQueue on APScheduler, in
the started application, scheduled by the function `consultbot run` calls, with the outbox
sender running beside it. The test holds the bot's clock (what is due) and says when the queued
tick runs (APScheduler is told to run it now); it waits for the run and for the messages, never
for a length of time.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from telegram.ext import Job

from bot.application import background_work
from bot.jobs import TICK_JOB, TICK_SECONDS
from tests.bot.harness import STAFF_ID, BotHarness, FrozenClock
from tests.bot.manual_time import BOUND
from tests.bot.test_jobs_closing import JUST_AFTER, TOLD_CLOSED
from tests.bot.test_jobs_processed_updates import claimed_update_ids
from tests.bot.test_jobs_reminders import MORNING, REMINDER, stops_after_one_answer
from tests.bot.test_jobs_retention import NINETY_DAYS_ON, purge_entries, stored, two_respondents
from tests.bot.test_staff_scenario import staff_member
from tests.telegram_fakes import FakeUser


class QueuedTick:
    """The minute tick as the job queue runs it: counts its runs, and can have APScheduler run it
    now. (An error inside the tick reaches the application's error handlers, which fail the test:
    tests/handler_errors.py.)"""

    def __init__(self, harness: BotHarness) -> None:
        queue = harness.application.job_queue
        assert queue is not None
        self.queue = queue
        self.runs = 0
        self._ran = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        queue.scheduler.add_listener(self._heard, EVENT_JOB_EXECUTED)

    def _heard(self, event: JobExecutionEvent) -> None:
        self._loop.call_soon_threadsafe(self._count, event)

    def _count(self, event: JobExecutionEvent) -> None:
        if self.job.job.id == event.job_id:
            self.runs += 1
            self._ran.set()

    @property
    def job(self) -> Job:
        [job] = self.queue.get_jobs_by_name(TICK_JOB)
        return job

    async def ran(self, times: int) -> None:
        """Wait until the tick has run `times` times in all."""
        try:
            async with asyncio.timeout(BOUND):
                while self.runs < times:
                    self._ran.clear()
                    await self._ran.wait()
        except TimeoutError:
            raise AssertionError(f"the queued tick ran {self.runs} times, not {times}") from None

    async def run_now(self) -> None:
        """Have APScheduler run the tick now (not in a minute) and wait until it has."""
        done = self.runs + 1
        self.job.job.modify(next_run_time=datetime.now(UTC))
        await self.ran(done)


Start = Callable[[], Awaitable[QueuedTick]]


@pytest.fixture
async def start_background_work_as_run_does(harness: BotHarness) -> AsyncIterator[Start]:
    """Start the bot's background work as `consultbot run` does: the tick on the job queue (its
    first run comes a second later, and is waited for) and the outbox sender; stopped at the
    end."""
    async with contextlib.AsyncExitStack() as running:

        async def start() -> QueuedTick:
            tick = QueuedTick(harness)
            await running.enter_async_context(
                background_work(harness.application, harness.service, harness.settings)
            )
            await tick.ran(1)
            return tick

        yield start


async def shown(harness: BotHarness, person: FakeUser | int, text: str) -> None:
    """Wait until the person has been shown `text` (the running sender delivers it)."""
    chat = person if isinstance(person, int) else person.id
    await harness.api.wait_until(
        lambda: any(text in (shown or "") for shown in harness.api.texts(chat)), BOUND
    )


async def test_the_tick_is_queued_every_minute_and_runs_as_soon_as_the_bot_starts(
    start_background_work_as_run_does: Start,
):
    tick = await start_background_work_as_run_does()  # the first run came unasked

    assert tick.job.job.trigger.interval == timedelta(seconds=TICK_SECONDS)
    await tick.run_now()
    assert tick.runs == 2


async def test_the_queued_tick_sends_the_reminder_then_the_closing_notices(
    harness: BotHarness, clock: FrozenClock, start_background_work_as_run_does: Start
):
    bea = await stops_after_one_answer(harness, "Bea", reminder=True)
    staff_member(harness)
    clock.now = MORNING

    tick = await start_background_work_as_run_does()
    await shown(harness, bea, REMINDER)
    clock.now = JUST_AFTER
    await tick.run_now()
    await shown(harness, bea, TOLD_CLOSED)
    await shown(harness, STAFF_ID, "The consultation closed on")

    assert [text for text in harness.texts(bea) if text in (REMINDER, TOLD_CLOSED)] == [
        REMINDER,
        TOLD_CLOSED,
    ]
    assert len(harness.api.texts(STAFF_ID)) == 1  # the final numbers, once
    assert harness.api.failed_calls() == []


async def test_the_queued_tick_applies_retention_and_forgets_old_update_claims(
    harness: BotHarness, clock: FrozenClock, start_background_work_as_run_does: Start
):
    await two_respondents(harness)
    assert await claimed_update_ids(harness)
    assert (await stored(harness))["chat ids"] == 2
    clock.now = NINETY_DAYS_ON + timedelta(minutes=1)  # long after every claim's week

    await start_background_work_as_run_does()  # its first run does it

    assert (await stored(harness))["chat ids"] == 0
    assert await purge_entries(harness) == [("retention", 2)]
    assert await claimed_update_ids(harness) == set()
