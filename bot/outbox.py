"""Delivering the outbox: messages that must not be lost, sent after the commit that stored them.

`OutboxSender.run` sends whatever is due, then sleeps until woken (`wake`, set after a commit
that queued something) or for a few seconds, whichever comes first; so a message goes out
within moments, and rows owed from before a restart (or left by another replica) go out too.
Each message is claimed in the database before it is sent and marked sent after (see
`storage.outbox`). Telegram saying "too many requests" or failing for a while means a retry
later with a growing delay; a refusal for good (blocked, no such chat) is recorded and logged.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.clock import Clock
from storage.audit import add_audit
from storage.outbox import Outgoing, claim_due, give_up, mark_sent, retry_later
from storage.respondents import mark_chat_unreachable

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=30)
"""How long a claimed message is left to its sender before another may send it: after a crash
mid-send, the message goes out this long after the restart ([outbox] lease_seconds)."""
POLL_SECONDS = 3.0
STOP_SECONDS = 10.0
BATCH = 20
FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(minutes=10)


def keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """The payload's buttons as an inline keyboard, if it has any."""
    rows = payload.get("buttons") or []
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b["label"], callback_data=b["data"]) for b in row] for row in rows]
    )


def backoff(attempts: int) -> timedelta:
    """The wait before the next try: 5 s, 10 s, 20 s... up to 10 minutes."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


class OutboxSender:
    """Sends due outbox messages through the bot and records each outcome.

    `audited` names the kinds whose delivery is written to the audit log (safeguarding alerts,
    for instance); a message given up is always audited, whatever its kind.
    """

    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        wake: asyncio.Event | None = None,
        audited: frozenset[str] = frozenset(),
        describe: Callable[[Outgoing], str] = lambda message: f"{message.kind} {message.id}",
        lease: timedelta = LEASE,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock
        self.wake = wake or asyncio.Event()
        self.audited = audited
        self.describe = describe
        self.lease = lease
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        """Start sending in the background."""
        self._stopping.clear()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox sender")

    async def close(self) -> None:
        """Stop sending, after the batch in hand (so nothing claimed is left unmarked)."""
        if self._task is None:
            return
        self._stopping.set()
        self.wake.set()
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(self._task, STOP_SECONDS)  # cancelled if Telegram hangs
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            self.wake.clear()
            try:
                while not self._stopping.is_set() and await self.send_due():
                    pass
            except Exception:  # the database went away for a moment: try again on the next round
                log.exception("sending the outbox failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), POLL_SECONDS)

    async def send_due(self) -> int:
        """Send up to a batch of due messages; returns how many were claimed.

        Each is claimed on its own just before it is sent, so the lease only has to cover one
        send (Telegram paces messages to one chat at about 1 a second).
        """
        for count in range(BATCH):
            async with self.sessions() as session, session.begin():
                claimed = await claim_due(session, now=self.clock(), lease=self.lease, limit=1)
            if not claimed:
                return count
            await self._deliver(claimed[0])
        return BATCH

    async def _deliver(self, message: Outgoing) -> None:
        try:
            text, markup = message.payload["text"], keyboard(message.payload)
        except (KeyError, TypeError) as error:  # a payload this sender cannot read: a bug
            await self._give_up(message, f"unreadable payload ({error!r})")
            return
        try:
            await self.bot.send_message(message.recipient, text, reply_markup=markup)
        except RetryAfter as error:
            await self._retry(message, timedelta(seconds=float(error.retry_after)), error)
        except Forbidden as error:  # blocked: skip them from now on, as the old sender did
            await self._give_up(message, error, unreachable=True)
        except BadRequest as error:
            await self._give_up(message, error)
        except TelegramError as error:
            await self._retry(message, backoff(message.attempts), error)
        else:
            async with self.sessions() as session, session.begin():
                await mark_sent(session, message_id=message.id, now=self.clock())
                if message.kind in self.audited:
                    await self._audit(session, "sent", f"sent {self.describe(message)}")

    async def _retry(self, message: Outgoing, delay: timedelta, error: TelegramError) -> None:
        log.warning("%s not sent (%s); trying again in %s", self.describe(message), error, delay)
        async with self.sessions() as session, session.begin():
            await retry_later(
                session, message_id=message.id, now=self.clock(), delay=delay, error=str(error)
            )

    async def _give_up(
        self, message: Outgoing, error: TelegramError | str, *, unreachable: bool = False
    ) -> None:
        if unreachable:  # people may block a bot: expected, not a fault to alert anyone on
            log.info(
                "%s not sent: they blocked the bot or left (%s)", self.describe(message), error
            )
        else:
            log.error("%s could not be delivered: %s", self.describe(message), error)
        async with self.sessions() as session, session.begin():
            await give_up(session, message_id=message.id, now=self.clock(), error=str(error))
            if unreachable:
                await mark_chat_unreachable(session, chat_id=message.recipient, now=self.clock())
            await self._audit(
                session, "undelivered", f"could not deliver {self.describe(message)}: {error}"
            )

    async def _audit(self, session: AsyncSession, action: str, detail: str) -> None:
        await add_audit(
            session, actor="outbox", action=action, detail=detail, rows=None, now=self.clock()
        )
