"""Jobs that run by the clock: the closing-day notices, reminders, the retention purge and the
daily forgetting of old processed-update claims.

A tick runs every minute and decides from the clock and the database what is due, so nothing
depends on a timer having fired: a bot that was down at the close does the closing work when it
starts. Each piece of work is claimed in the database before any message goes out, so it is done
once however often the bot restarts around the deadline.
"""

import logging
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot.broadcast import Broadcaster
from bot.config import Settings
from bot.service import ConsultationService
from conversations.model import Consultation
from conversations.window import Phase, Window, in_words
from reports.consultation import consultation_stats
from storage.jobs import claim_job
from storage.recipients import respondents_to_remind, respondents_to_tell_closed
from storage.respondents import MarkColumn, mark_once
from storage.retention import purge_expired
from storage.rows import PurgeCounts, Recipient
from storage.updates import forget_processed_updates

log = logging.getLogger(__name__)
TICK_SECONDS = 60
IDLE_BEFORE_REMINDER = timedelta(hours=24)
"""Someone who answered in the last day is still busy with it: don't nudge them."""
KEEP_PROCESSED_UPDATES = timedelta(days=7)
"""How long a handled update's claim is kept. Telegram keeps an update it could not deliver
for 24 hours, so a redelivery comes within a day of the update; a week leaves room for a bot
that was down or a clock that was wrong, and still stops the table growing for ever."""


class ConsultationJobs:
    """The time-driven work for one consultation."""

    def __init__(
        self, service: ConsultationService, settings: Settings, broadcaster: Broadcaster
    ) -> None:
        self.service = service
        self.consultation = service.consultation
        self.sessions = service.sessions
        self.settings = settings
        self.broadcaster = broadcaster

    def schedule(self, job_queue: JobQueue) -> None:
        """Run a tick every minute, starting straight away."""
        job_queue.run_repeating(self._tick, interval=TICK_SECONDS, first=1, name="consultation")

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
        """Tell staff the final numbers (once) and tell half-way respondents (each once)."""
        async with self.sessions() as session, session.begin():
            claimed = await claim_job(
                session,
                name=f"closing-notice:{window.closes_at.isoformat()}",
                consultation_id=self.consultation.id,
                now=now,
            )
        if claimed:
            stats = await consultation_stats(self.consultation, self.sessions)
            numbers = self.consultation.say(
                "staff_final_numbers",
                closes=self._words(window.closes_at),
                respondents=stats.respondents,
                finished=stats.finished,
                answers=stats.answered,
            )
            for number, admin in enumerate(sorted(self.settings.admin_ids), start=1):
                try:
                    await self.broadcaster.bot.send_message(admin, numbers)
                except TelegramError as error:  # say, they never started the bot
                    log.warning(  # by position in [admins] user_ids: no Telegram id in logs
                        "could not send the final numbers to admin %s: %s", number, error
                    )
        async with self.sessions() as session:
            recipients = await respondents_to_tell_closed(
                session, consultation_id=self.consultation.id
            )
        for recipient in recipients:
            if await self._mark(recipient, "told_closed_at", now):
                text = self._say_to(recipient, "closed_kept", window.closes_at)
                await self.broadcaster.send(recipient, text)

    async def remind(self, now: datetime, window: Window) -> None:
        """One gentle reminder to those who asked for one, started and did not finish."""
        async with self.sessions() as session:
            recipients = await respondents_to_remind(
                session,
                consultation_id=self.consultation.id,
                idle_since=now - IDLE_BEFORE_REMINDER,
            )
        for recipient in recipients:
            text = self._say_to(recipient, "reminder", window.closes_at)
            if await self._mark(recipient, "reminded_at", now):
                await self.broadcaster.send(recipient, text)

    async def purge(self, now: datetime, window: Window) -> None:
        """Forget chat ids (and, if configured, responses) once the retention time is over."""
        async with self.sessions() as session, session.begin():
            await apply_retention(session, self.consultation, self.settings, window, now)

    async def forget_old_updates(self, now: datetime) -> int | None:
        """Once a (UTC) day, delete the claims on updates too old for Telegram to send again.

        How many went, or None if this day's run was already claimed. The claim and the
        deletion share one unit of work, so a failed deletion is tried again next tick.
        """
        async with self.sessions() as session, session.begin():
            claimed = await claim_job(
                session,
                name=f"forget-processed-updates:{now.date().isoformat()}",
                consultation_id=self.consultation.id,
                now=now,
            )
            if not claimed:
                return None
            forgotten = await forget_processed_updates(session, before=now - KEEP_PROCESSED_UPDATES)
        log.info(
            "forgot %d processed-update claims older than %s", forgotten, KEEP_PROCESSED_UPDATES
        )
        return forgotten

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

    async def _mark(self, recipient: Recipient, column: MarkColumn, now: datetime) -> bool:
        """Record a message as sent before sending it: at most once, never twice.

        False if another run (an overlapping tick, the old process during a restart) marked it
        after this run listed the recipient: that run sends it, this one must not.
        """
        async with self.sessions() as session, session.begin():
            return await mark_once(
                session, respondent_id=recipient.respondent_id, column=column, now=now
            )

    def _words(self, moment: datetime) -> str:
        return in_words(moment, self.consultation.timezone)


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
