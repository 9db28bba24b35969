"""A limit per person, so one person's flood of messages cannot crowd out everyone else.

Each person has a token bucket: `burst` messages at once, refilled at `per_second`. Nobody
answering questions comes near it. Past it, the first message is answered once, kindly ("please
send one message at a time"), and the rest of the flood is dropped before anything is read from
or written to the database, and still counted as handled (so Telegram does not send it again).
A person is told again only after they have been quiet long enough for their bucket to fill.
A button press cut short this way is still answered, with no text, so the button stops spinning
in the person's app: one Bot API call, nothing read or stored.
"""

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError

from bot.service import ConsultationService
from storage.dead_letters import record_flood

log = logging.getLogger(__name__)
BURST = 10
PER_SECOND = 1.0
KEPT = 10_000
"""People's buckets kept; beyond that, full buckets (people who are not flooding) are dropped."""


class Verdict(enum.Enum):
    """What to do with one update from someone."""

    HANDLE = "handle"
    WARN = "warn"
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


class FloodGate:
    """Per-person token buckets, and the kind reply to someone who floods."""

    def __init__(
        self,
        service: ConsultationService,
        *,
        burst: int = BURST,
        per_second: float = PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def admit(self, update: Update) -> Verdict:
        """Take a token from the sender's bucket; WARN the first time it is empty, then DROP."""
        user = update.effective_user
        typed = update.message or update.edited_message or update.callback_query
        if user is None or typed is None or self.burst <= 0:  # e.g. a block is always handled
            return Verdict.HANDLE
        now = self.clock()
        bucket = self._buckets.get(user.id)
        if bucket is None:
            self._prune(now)
            bucket = self._buckets[user.id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.per_second)
        bucket.stamp = now
        if bucket.tokens >= self.burst:
            bucket.warned = False
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.HANDLE
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    async def warn(self, update: Update) -> None:
        """Count a flood for staff statistics, then ask the sender to slow down."""
        service = self.service
        async with service.sessions() as session, session.begin():
            await record_flood(
                session, consultation_id=service.consultation.id, now=service.clock()
            )
        await self.answer_press(update)
        chat = update.effective_chat
        if chat is None:
            return
        try:
            await update.get_bot().send_message(chat.id, service.consultation.say("slow_down"))
        except TelegramError as error:
            log.info("could not ask a sender to slow down: %s", error)

    @staticmethod
    async def answer_press(update: Update) -> None:
        """Stop a press's button spinning (no text): the press itself is not acted on."""
        if update.callback_query is None:
            return
        try:
            await update.callback_query.answer()
        except TelegramError as error:
            log.info("could not answer a press cut short: %s", error)

    def _prune(self, now: float) -> None:
        if len(self._buckets) < KEPT:
            return
        full = [
            user_id
            for user_id, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.stamp) * self.per_second >= self.burst
        ]
        for user_id in full:
            del self._buckets[user_id]
