"""Jobs that run by the clock: the closing-day notices, reminders, the retention purge and the
daily forgetting of old processed-update claims (and of that job's own runs older than a month).

A tick runs every minute and decides from the clock and the database what is due, so nothing
depends on a timer having fired: a bot that was down at the close does the closing work when it
starts. Each message is claimed in the database (the job, or the person's reminded_at or
told_closed_at) in the same unit of work that puts it in the outbox, so it is queued once however
often the bot restarts around the deadline, and the outbox sender delivers it: paced, retried
while Telegram fails, and someone who blocked the bot is marked unreachable and skipped from
then on (see bot/outbox.py).
"""

import logging
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import ContextTypes, JobQueue

from bot.config import Settings
from bot.service import ConsultationService
from conversations.model import Consultation
from conversations.window import Phase, Window, in_words
from reports.consultation import consultation_stats
from storage.jobs import claim_job, forget_daily_runs, job_claimed
from storage.outbox import enqueue, enqueue_to_each, message_payload
from storage.recipients import respondents_to_remind, respondents_to_tell_closed
from storage.respondents import MarkColumn, mark_once
from storage.retention import purge_expired
from storage.rows import PurgeCounts, Recipient
from storage.updates import forget_processed_updates

log = logging.getLogger(__name__)
TICK_SECONDS = 60
TICK_JOB = "consultation"
"""The name of the minute tick on the job queue."""
IDLE_BEFORE_REMINDER = timedelta(hours=24)
"""Someone who answered in the last day is still busy with it: don't nudge them."""
KEEP_PROCESSED_UPDATES = timedelta(days=7)
"""How long a handled update's claim is kept. Telegram keeps an update it could not deliver
for 24 hours, so a redelivery comes within a day of the update; a week leaves room for a bot
that was down or a clock that was wrong, and still stops the table growing for ever."""
FORGET_UPDATES_JOB = "forget-processed-updates"
"""The daily forgetting's name in job_runs: one claim a day, `forget-processed-updates:<date>`."""
KEEP_DAILY_RUNS = timedelta(days=30)
"""How long a daily job's claims are kept in job_runs: a month of runs to look back on when
asking whether the job ran, without a row a day for as long as the bot runs."""
FINAL_NUMBERS_KIND = "final_numbers"
CLOSED_KIND = "closing_notice"
REMINDER_KIND = "reminder"
"""The outbox kinds of the messages the jobs send."""
ONCE_ONLY: dict[MarkColumn, tuple[str, str]] = {
    "reminded_at": (REMINDER_KIND, "reminder"),
    "told_closed_at": (CLOSED_KIND, "closed_kept"),
}
"""Each once-only mark: the outbox kind of its message, and the sentence's key."""


class ConsultationJobs:
    """The time-driven work for one consultation."""

    def __init__(self, service: ConsultationService, settings: Settings) -> None:
        self.service = service
        self.consultation = service.consultation
        self.sessions = service.sessions
        self.settings = settings

    def schedule(self, job_queue: JobQueue) -> None:
        """Run a tick every minute, the first a second from now (APScheduler cannot start an
        interval at once). A tick that comes late (a busy event loop) still runs, and ticks
        missed meanwhile run once: each decides from the clock what is due."""
        job_queue.run_repeating(
            self._tick,
            interval=TICK_SECONDS,
            first=1,
            name=TICK_JOB,
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )

    async def _tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_due()

    async def run_due(self) -> None:
        """Do whatever is due now."""
        now = self.service.clock()
        await self.forget_old_updates(now)
        async with self.sessions() as session:
            window = await self.service.window(session)
        if window.phase(now) is Phase.CLOSED:
            await self.closing(now, window)
            await self.purge(now, window)
        elif self._reminders_due(now, window):
            await self.remind(now, window)

    async def closing(self, now: datetime, window: Window) -> None:
        """Queue the final numbers for staff (once) and the closing notice for each half-way
        respondent (each once)."""
        job = f"closing-notice:{window.closes_at.isoformat()}"
        async with self.sessions() as session:
            done = await job_claimed(session, name=job, consultation_id=self.consultation.id)
        numbers = None if done else await self._final_numbers(window)
        async with self.sessions() as session, session.begin():
            if numbers is not None and await claim_job(
                session, name=job, consultation_id=self.consultation.id, now=now
            ):
                await enqueue_to_each(
                    session,
                    kind=FINAL_NUMBERS_KIND,
                    recipients=sorted(self.settings.admin_ids),
                    text=numbers,
                    now=now,
                )
            recipients = await respondents_to_tell_closed(
                session, consultation_id=self.consultation.id
            )
            await self._queue_once(session, recipients, "told_closed_at", window, now)
        self.service.outbox_waiting.set()

    async def remind(self, now: datetime, window: Window) -> None:
        """One gentle reminder to those who asked for one, started and did not finish."""
        async with self.sessions() as session, session.begin():
            recipients = await respondents_to_remind(
                session,
                consultation_id=self.consultation.id,
                idle_since=now - IDLE_BEFORE_REMINDER,
            )
            await self._queue_once(session, recipients, "reminded_at", window, now)
        self.service.outbox_waiting.set()

    async def purge(self, now: datetime, window: Window) -> None:
        """Forget chat ids (and, if configured, responses) once the retention time is over."""
        async with self.sessions() as session, session.begin():
            await apply_retention(session, self.consultation, self.settings, window, now)

    async def forget_old_updates(self, now: datetime) -> int | None:
        """Once a (UTC) day, delete the claims on updates too old for Telegram to send again,
        and this job's own daily claims older than `KEEP_DAILY_RUNS`.

        How many updates went, or None if this day's run was already claimed. The claim and the
        deletions share one unit of work, so a failed deletion is tried again next tick.
        """
        async with self.sessions() as session, session.begin():
            claimed = await claim_job(
                session,
                name=f"{FORGET_UPDATES_JOB}:{now.date().isoformat()}",
                consultation_id=self.consultation.id,
                now=now,
            )
            if not claimed:
                return None
            forgotten = await forget_processed_updates(session, before=now - KEEP_PROCESSED_UPDATES)
            await forget_daily_runs(
                session,
                name=FORGET_UPDATES_JOB,
                consultation_id=self.consultation.id,
                before=now - KEEP_DAILY_RUNS,
            )
        log.info(
            "forgot %d processed-update claims older than %s", forgotten, KEEP_PROCESSED_UPDATES
        )
        return forgotten

    async def _final_numbers(self, window: Window) -> str:
        stats = await consultation_stats(self.consultation, self.sessions)
        return self.consultation.say(
            "staff_final_numbers",
            closes=in_words(window.closes_at, self.consultation.timezone),
            respondents=stats.respondents,
            finished=stats.finished,
            answers=stats.answered,
        )

    async def _queue_once(
        self,
        session: AsyncSession,
        recipients: list[Recipient],
        column: MarkColumn,
        window: Window,
        now: datetime,
    ) -> None:
        """Mark each recipient's once-only `column` and queue their message, in the caller's
        unit of work: someone another run (an overlapping tick, a replica) marked first is left
        to that run."""
        kind, key = ONCE_ONLY[column]
        for recipient in recipients:
            if await mark_once(
                session, respondent_id=recipient.respondent_id, column=column, now=now
            ):
                text = self._say_to(recipient, key, window.closes_at)
                await enqueue(
                    session,
                    kind=kind,
                    recipient=recipient.chat_id,
                    payload=message_payload(text),
                    now=now,
                )

    def _say_to(self, recipient: Recipient, key: str, closes: datetime) -> str:
        """A sentence about the closing time, in the recipient's language."""
        spoken = self.consultation.in_language(recipient.language)
        return spoken.say(key, closes=in_words(closes, spoken.timezone, spoken.messages))

    def _reminders_due(self, now: datetime, window: Window) -> bool:
        days = self.settings.reminder_days_before_close
        if days <= 0 or window.phase(now) is not Phase.OPEN:
            return False
        if now < window.closes_at - timedelta(days=days):
            return False
        return not in_quiet_hours(now.astimezone(self.consultation.timezone).time(), self.settings)


async def apply_retention(
    session: AsyncSession,
    consultation: Consultation,
    settings: Settings,
    window: Window,
    now: datetime,
) -> PurgeCounts:
    """The retention rule from the settings, counted from the (possibly changed) close."""
    return await purge_expired(
        session,
        consultation_id=consultation.id,
        closes_at=window.closes_at,
        retention_days=settings.retention_days,
        delete_responses=settings.delete_responses_after_retention,
        now=now,
    )


def in_quiet_hours(local: time, settings: Settings) -> bool:
    """Whether a local time falls in the quiet hours, which may run past midnight."""
    start, end = settings.quiet_hours
    if start <= end:
        return start <= local < end
    return local >= start or local < end
