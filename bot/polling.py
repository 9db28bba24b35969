"""Polling that confirms an update to Telegram only once its effects are committed.

python-telegram-bot's stock Updater confirms a batch (by asking for the next offset) as soon as
it has queued it, before any handler ran: a crash then loses every queued update. Here a batch
is processed completely first, one respondent's updates in order and different respondents side
by side, and only then is the next offset requested. An update whose handler failed (say the
database was briefly unavailable) is fetched again; the processed-updates table makes the ones
after it in the batch no-ops when they come back.
"""

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Sequence

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.processing import UpdateRunner

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
"""An update that fails this often is logged and given up, so one bad update can't stall all."""
MAX_RETRY_DELAY = 60.0
"""The longest wait between tries to reach Telegram."""


class DurablePoller:
    """Fetches updates with getUpdates and hands them to the application, durably."""

    def __init__(
        self,
        application: Application,
        runner: UpdateRunner,
        *,
        timeout: int = 30,
        limit: int = 100,
        retry_delay: float = 1.0,
    ) -> None:
        self.application = application
        self.retry_delay = retry_delay
        """Seconds before the first retry when Telegram can't be reached; it doubles each time."""
        self.runner = runner
        self.timeout = timeout
        self.limit = limit
        self.attempts: dict[int, int] = defaultdict(int)
        # Updates this process handled that Telegram will send again because an earlier one in
        # their batch is being retried: they are passed over rather than handled as repeats,
        # so one person's failure doesn't show everyone else their question a second time.
        self.handled: set[int] = set()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; the batch in hand is finished first."""
        offset: int | None = None
        delay = self.retry_delay
        failures = 0  # in a row: one incident is logged once when it starts and once at its end
        while not stop.is_set():
            try:
                updates = await self._fetch(offset, stop)
            except RetryAfter as error:
                await _sleep(stop, _seconds(error.retry_after))
                continue
            except (NetworkError, TelegramError) as error:
                if not failures:
                    log.warning(
                        "cannot fetch updates from Telegram (%s); trying again, waiting up to "
                        "%.0f s between tries, until it answers",
                        error,
                        MAX_RETRY_DELAY,
                    )
                failures += 1
                await _sleep(stop, delay)
                delay = min(delay * 2, MAX_RETRY_DELAY)
                continue
            if failures:
                log.warning("Telegram answered again after %s failed tries", failures)
                failures = 0
            delay = self.retry_delay
            if updates:
                offset = await self.process(updates)
        if offset is not None:
            await self._confirm(offset)

    async def process(self, updates: Sequence[Update]) -> int:
        """Handle a batch; return the offset to ask for next (the first update to retry)."""
        lanes: dict[int | None, list[Update]] = defaultdict(list)
        for update in updates:
            user = update.effective_user
            lanes[user.id if user else None].append(update)
        failed = [
            update
            for update in await asyncio.gather(*(self._lane(lane) for lane in lanes.values()))
            if update is not None
        ]
        for update in updates:
            if update not in failed:
                self.attempts.pop(update.update_id, None)
        if not failed:
            self.handled.clear()
            return updates[-1].update_id + 1
        # Fetch again from the first failure. An update given up on is passed over, but the
        # same person's later updates, which waited behind it, are fetched again and run.
        retry = [update for update in failed if self._again(update)]
        passed_over = [update.update_id + 1 for update in failed if update not in retry]
        offset = min([update.update_id for update in retry] + passed_over)
        if retry:
            await asyncio.sleep(min(2 ** self.attempts[min(u.update_id for u in retry)], 30) / 10)
        return offset

    async def _lane(self, updates: list[Update]) -> Update | None:
        """One respondent's updates in order; after a failure the rest wait for the retry."""
        for update in updates:
            if update.update_id in self.handled:
                continue
            if not await self.runner.run(update):
                return update
            self.handled.add(update.update_id)
        return None

    def _again(self, update: Update) -> bool:
        self.attempts[update.update_id] += 1
        if self.attempts[update.update_id] < MAX_ATTEMPTS:
            return True
        log.error("giving up on update %s after %s attempts", update.update_id, MAX_ATTEMPTS)
        del self.attempts[update.update_id]
        return False

    async def _fetch(self, offset: int | None, stop: asyncio.Event) -> tuple[Update, ...]:
        fetch = asyncio.ensure_future(
            self.application.bot.get_updates(
                offset=offset,
                timeout=self.timeout,
                limit=self.limit,
                allowed_updates=Update.ALL_TYPES,
                read_timeout=self.timeout + 10,
            )
        )
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not fetch.done():
            fetch.cancel()  # nothing fetched is lost: unconfirmed updates come again next time
            return ()
        return fetch.result()

    async def _confirm(self, offset: int) -> None:
        """Tell Telegram everything before `offset` is handled, so a restart starts after it."""
        try:
            await self.application.bot.get_updates(offset=offset, timeout=0, limit=1)
        except TelegramError as error:
            log.warning("could not confirm updates before %s: %s", offset, error)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def _seconds(value: object) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[arg-type]
