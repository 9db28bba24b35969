"""Polling that is fair to everyone and confirms an update only once its effects are committed.

Each update is routed to its sender's lane: one person's updates run strictly in order, and
different people's side by side, so one person's backlog or one slow Telegram call never holds
anyone else up. Fetching carries on while updates are being handled. The amount of work is
bounded: at most `concurrency` updates run at once, and at most `limit` (getUpdates' own cap,
100) wait beyond the oldest unfinished one.

Telegram forgets every update below the offset a getUpdates asks for, so the offset asked for is
always the oldest update not yet finished: only a prefix of updates whose effects are committed
(and whose replies were sent) is ever confirmed. Updates fetched again while still in hand are
recognised and not handled twice. While anything is in hand Telegram answers at once, so the
poller asks again only when something finished or after `busy_pause` seconds.

Updates are read from Telegram's JSON one by one: one that python-telegram-bot cannot read (an
off-spec shape, or a newer Bot API than the library's) is set aside as a dead letter instead of
failing the batch, and confirmed. One whose handling fails is tried again in its sender's lane
(a few times, with a growing pause), then set aside too. A flood from one person is cut short
by the flood gate before anything is stored.

When getUpdates fails the poller never gives up, and logs each incident once when it starts and
once when it ends. A 429 (flood control) is waited out for its whole `retry_after`. A network
error or a 5xx is tried again with a pause that doubles up to a minute. A 409 Conflict means
another copy of the bot is polling with the same token, or a webhook is set for it: that is
logged as an error naming the fix, and tried again in the same way, so a rolling restart (the
old copy still polling for a few seconds) heals by itself and the bot never exits over it (a
service manager would only start it again into the same conflict). A stop cuts any of these
waits short: the poller finishes the updates in hand and confirms them. A 401 (the token was
revoked) is the one failure no wait can mend: the poller finishes what it has and raises it.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

# python-telegram-bot's getUpdates reads the whole batch at once and fails on any update it
# cannot read, so the poller asks the request layer itself; RequestParameter is how a
# RequestData is made, and lives in a module of its own.
from telegram.request._requestparameter import RequestParameter

from bot.dead_letters import DeadLetterOffice, describe
from bot.flood import FloodGate, Verdict
from bot.processing import UpdateRunner
from bot.sending import seconds
from bot.update_kinds import handled_update_kinds

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
"""Tries of an update whose handling fails, before it is set aside as a dead letter."""
MAX_RETRY_DELAY = 60.0
"""The longest wait between tries to reach Telegram."""
RETRY_PAUSE = 0.1
"""Seconds before the second try of a failed update; doubled for each try after that."""

Work = Callable[[], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


class DurablePoller:
    """Fetches updates with getUpdates and hands each to its sender's lane, durably."""

    def __init__(
        self,
        application: Application,
        runner: UpdateRunner,
        *,
        request: BaseRequest,
        gate: FloodGate,
        office: DeadLetterOffice,
        timeout: int = 30,
        limit: int = 100,
        concurrency: int = 64,
        busy_pause: float = 0.2,
        retry_delay: float = 1.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.application = application
        self.runner = runner
        self.request = request
        self.gate = gate
        self.office = office
        self.timeout = timeout
        self.limit = limit
        self.busy_pause = busy_pause
        self.allowed_updates = handled_update_kinds(application)
        """The update kinds asked for: those the application's handlers act on."""
        self.retry_delay = retry_delay
        """Seconds before the first retry when Telegram can't be reached; it doubles each time."""
        self.sleep = sleep
        """How the poller waits before trying getUpdates again (a test's clock may stand in)."""
        self._slots = asyncio.Semaphore(concurrency)
        self._unfinished: set[int] = set()
        self._finished: set[int] = set()  # above the oldest unfinished one
        self._next = 0  # one past the newest update seen
        self._lanes: dict[object, deque[tuple[int, Work]]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._progress = asyncio.Event()

    @property
    def offset(self) -> int:
        """The offset to ask for: every update below it is finished."""
        return min(self._unfinished) if self._unfinished else self._next

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; the updates in hand are finished (and confirmed) first.

        If Telegram refuses the token (it was revoked), no try can help: the updates in hand are
        finished and `InvalidToken` is raised, so `consultbot run` says how to fix it and exits.
        """
        refused: InvalidToken | None = None
        delay = self.retry_delay
        failures = 0  # in a row: one incident is logged once when it starts and once at its end
        incident: type[TelegramError] | None = None
        while not stop.is_set():
            busy = bool(self._unfinished)
            self._progress.clear()
            try:
                raw = await self._fetch(stop, wait=not busy)
            except InvalidToken as error:
                log.error("Telegram refused the bot token (%s): stopping", error)
                refused = error
                break
            except TelegramError as error:
                if _incident(error) is not incident:
                    incident = _incident(error)
                    _log_incident(error)
                failures += 1
                if isinstance(error, RetryAfter):
                    await self._pause(stop, seconds(error.retry_after))
                else:
                    await self._pause(stop, delay)
                    delay = min(delay * 2, MAX_RETRY_DELAY)
                continue
            if failures:
                tries = "try" if failures == 1 else "tries"
                log.warning("Telegram answered again after %s failed %s", failures, tries)
                failures, incident = 0, None
            delay = self.retry_delay
            if not self._take(raw) and busy:
                await self._wait_for_progress(stop)
        while self._workers:
            await asyncio.gather(*self._workers)
        if refused is not None:
            raise refused
        if self._next:
            await self._confirm()

    def _take(self, raw: object) -> int:
        """Route each update not already in hand to its sender's lane; return how many."""
        if not isinstance(raw, list):
            log.error("getUpdates answered with %s, not a list", type(raw).__name__)
            return 0
        new = 0
        for item in raw:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                log.error("an update without an update_id was ignored")
                continue
            if update_id in self._unfinished or update_id in self._finished:
                continue
            if update_id < self.offset:
                continue  # finished and confirmed already
            new += 1
            self._next = max(self._next, update_id + 1)
            self._unfinished.add(update_id)
            self._route(update_id, item)
        return new

    def _route(self, update_id: int, item: dict[str, Any]) -> None:
        try:
            update = Update.de_json(item, self.application.bot)
        except Exception as error:  # any shape the library cannot read
            self._queue(("unreadable", update_id), update_id, self._set_aside(item, error))
            return
        verdict = self.gate.admit(update)
        if verdict is Verdict.DROP and update.callback_query is None:
            self._finish(update_id)  # nothing to read, store or answer
            return
        user = update.effective_user
        lane = ("person", user.id) if user is not None else ("update", update_id)
        work = {
            Verdict.HANDLE: self._handle,
            Verdict.WARN: self.gate.warn,
            Verdict.DROP: self.gate.answer_press,
        }[verdict]
        self._queue(lane, update_id, lambda: work(update))

    def _set_aside(self, item: dict[str, Any], error: Exception) -> Work:
        return lambda: self.office.set_aside(item, error, attempts=1)

    def _queue(self, lane: object, update_id: int, work: Work) -> None:
        if lane in self._lanes:
            self._lanes[lane].append((update_id, work))
            return
        self._lanes[lane] = deque([(update_id, work)])
        worker = asyncio.create_task(self._drain(lane), name=f"lane {update_id}")
        self._workers.add(worker)
        worker.add_done_callback(self._workers.discard)

    async def _drain(self, lane: object) -> None:
        """Run one lane's work in order, each piece finished before the next starts."""
        queued = self._lanes[lane]
        while queued:
            update_id, work = queued[0]
            try:
                async with self._slots:
                    await work()
            except Exception as error:  # not even set aside: the database is down, say
                log.warning("update %s: %s; trying again in 1 s", update_id, describe(error))
                await asyncio.sleep(1.0)
                continue
            queued.popleft()
            self._finish(update_id)
        del self._lanes[lane]

    async def _handle(self, update: Update) -> None:
        """Handle one update, trying again a few times; then set it aside."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            error = await self.runner.attempt(update)
            if error is None:
                return
            if attempt < MAX_ATTEMPTS:
                await asyncio.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
        await self.office.set_aside(update.to_dict(), error, attempts=MAX_ATTEMPTS)

    def _finish(self, update_id: int) -> None:
        self._unfinished.discard(update_id)
        self._finished.add(update_id)
        offset = self.offset
        self._finished = {done for done in self._finished if done >= offset}
        self._progress.set()

    async def _pause(self, stop: asyncio.Event, seconds: float) -> None:
        """Wait `seconds` before trying Telegram again, or less if `stop` is set meanwhile."""
        nap = asyncio.ensure_future(self.sleep(seconds))
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({nap, stopped}, return_when=asyncio.FIRST_COMPLETED)
        nap.cancel()
        stopped.cancel()

    async def _wait_for_progress(self, stop: asyncio.Event) -> None:
        """Wait until an update finishes (or `busy_pause` passes), so as not to ask in a loop."""
        waits = [asyncio.ensure_future(self._progress.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waits, timeout=self.busy_pause, return_when=asyncio.FIRST_COMPLETED)
        for waiting in waits:
            waiting.cancel()

    async def _fetch(self, stop: asyncio.Event, *, wait: bool) -> object:
        """Updates from the offset on, as JSON; a long poll only when nothing is in hand."""
        timeout = self.timeout if wait else 0
        fetch = asyncio.ensure_future(self._get_updates(self.offset, timeout, self.limit))
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not fetch.done():
            fetch.cancel()  # nothing fetched is lost: unconfirmed updates come again next time
            return []
        return fetch.result()

    async def _get_updates(self, offset: int, timeout: int, limit: int) -> object:
        fields: dict[str, object] = {
            "offset": offset,
            "timeout": timeout,
            "limit": limit,
            "allowed_updates": self.allowed_updates,
        }
        data = RequestData([RequestParameter.from_input(k, v) for k, v in fields.items()])
        return await self.request.post(
            f"{self.application.bot.base_url}/getUpdates", data, read_timeout=timeout + 10
        )

    async def _confirm(self) -> None:
        """Tell Telegram everything before the offset is handled, so a restart starts there."""
        try:
            await self._get_updates(self.offset, 0, 1)
        except TelegramError as error:
            log.warning("could not confirm updates before %s: %s", self.offset, error)


def _incident(error: TelegramError) -> type[TelegramError]:
    """What kind of trouble getUpdates is in: flood control, a conflict, or no answer."""
    for kind in (RetryAfter, Conflict):
        if isinstance(error, kind):
            return kind
    return TelegramError


def _log_incident(error: TelegramError) -> None:
    """One line when an incident starts, saying what it means and what the poller does."""
    if isinstance(error, RetryAfter):
        log.warning(
            "Telegram asked the bot to wait %.0f s before fetching updates again (flood "
            "control); waiting, then carrying on",
            seconds(error.retry_after),
        )
    elif isinstance(error, Conflict):
        log.error(
            "Telegram will not give this copy of the bot its updates (%s). Another copy is "
            "polling with the same token, or a webhook is set for it: stop the other copy, or "
            "run every copy with [webhook] url. Trying again, up to %.0f s apart, until this "
            "copy is the only one",
            error,
            MAX_RETRY_DELAY,
        )
    else:
        log.warning(
            "cannot fetch updates from Telegram (%s); trying again, waiting up to %.0f s "
            "between tries, until it answers",
            error,
            MAX_RETRY_DELAY,
        )
