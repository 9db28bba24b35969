"""Running updates through the application and knowing whether each one succeeded.

python-telegram-bot hands a handler's exception to the error handlers and carries on, so the
caller never learns that an update failed. The runner records failures per update, which lets
the poller fetch a failed update again and the webhook answer 500 so Telegram redelivers it.
It also keeps one person's updates in order while different people's run side by side.
"""

import asyncio
import logging
import time
from collections import defaultdict

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import Application, ContextTypes

from bot.metrics import Metrics

log = logging.getLogger(__name__)


class UpdateRunner:
    """Processes updates, one person's at a time, and reports whether each was handled."""

    def __init__(self, application: Application, metrics: Metrics | None = None) -> None:
        self.application = application
        self.metrics = metrics if metrics is not None else Metrics()
        self._failed: dict[int, BaseException] = {}
        # Updates being handled now: a background handler (an export) failing later is only
        # logged, not held against an update that was already counted as handled.
        self._running: set[int] = set()
        self._locks: dict[int | None, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._waiting: dict[int | None, int] = defaultdict(int)
        application.add_error_handler(self._record_failure)

    async def run(self, update: Update) -> bool:
        """Handle one update after any earlier ones from the same person; True if it worked."""
        return await self.attempt(update) is None

    async def attempt(self, update: Update) -> BaseException | None:
        """Handle one update after any earlier ones from the same person; None if it worked,
        else what went wrong."""
        person = update.effective_user.id if update.effective_user else None
        began = time.perf_counter()
        self._waiting[person] += 1
        try:
            async with self._locks[person]:
                self._running.add(update.update_id)
                await self.application.process_update(update)
        finally:
            self._running.discard(update.update_id)
            self._waiting[person] -= 1
            if not self._waiting[person]:
                del self._waiting[person], self._locks[person]
        self.metrics.latency.observe(time.perf_counter() - began)
        failure = self._failed.pop(update.update_id, None)
        self.metrics.updates.labels("ok" if failure is None else "failed").inc()
        return failure

    async def _record_failure(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            # Telegram's trouble (down, timing out), already retried by the sender
            log.warning("handling an update failed: Telegram said %s", error)
        else:  # a bug, a refused request or the database: the traceback says where
            log.error("handling an update failed", exc_info=context.error)
        if isinstance(update, Update) and update.update_id in self._running:
            self._failed[update.update_id] = context.error or RuntimeError("failed")
