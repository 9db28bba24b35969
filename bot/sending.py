"""Sending that survives a flaky Telegram, without one chat's trouble slowing anyone else.

Every Bot API call the application makes passes through `ResilientSender` (python-telegram-bot
calls it a rate limiter). It paces messages to Telegram's overall limit (never more than
`messages_per_second` calls about a chat in any one second), and:

- retries a call that timed out or that Telegram's side failed (5xx, a dropped connection), with
  a growing, jittered pause, a few times, then gives up with the error;
- honours a 429's retry_after for the chat it concerns (or, for a call with no chat, for that
  method) by holding calls to that chat only: everyone else's go on;
- logs one line when an incident starts and one when it ends, never a traceback per retry, and
  never a chat id.

A call Telegram refused for good (400 Bad Request, 403 Forbidden) is not retried. Retrying a
send that timed out may deliver it twice, which is better than not at all; the caller still sends
only after its commit, and an update whose replies could not be sent is not confirmed, so it
comes again (after a restart too) and the question waiting is shown again.
"""

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
RETRIES = 4
"""Retries of a call that failed on Telegram's side, after the first try."""
FIRST_PAUSE = 0.5
"""Seconds before the first retry; doubled for each one after that, with jitter."""
MAX_WAIT = 60.0
"""The longest retry_after honoured in one go; Telegram's are usually a few seconds."""

Result = bool | dict[str, Any] | list[dict[str, Any]]
Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    """Never more than `rate` sends in any one second: counted over every second, not on average.

    Up to `burst` (the rate rounded down, at least 1) go at once; the next waits until the
    oldest of them is `window` seconds old: one second, or 1/rate for a rate under one. A share
    such as 30 / 4 = 7.5 is kept to 7 a second, so that copies together stay under the whole.
    Waiters go in the order they came.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float], sleep: Sleep) -> None:
        self.rate = rate
        self.burst = max(1, int(rate))
        self.window = max(1.0, 1 / rate)
        self.clock = clock
        self.sleep = sleep
        self._recent: deque[float] = deque()
        self._turn = asyncio.Lock()

    async def wait_for_room(self) -> None:
        """Return once one more send keeps to the rate; it counts as sent from then on."""
        async with self._turn:
            while True:
                now = self.clock()
                while self._recent and self._recent[0] <= now - self.window:
                    self._recent.popleft()
                if len(self._recent) < self.burst:
                    break
                await self.sleep(self._recent[0] + self.window - now)
            self._recent.append(now)


class ResilientSender(BaseRateLimiter[int]):
    """Paces, retries and holds calls per chat; see the module docstring."""

    def __init__(
        self,
        messages_per_second: float,
        *,
        retries: int = RETRIES,
        first_pause: float = FIRST_PAUSE,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pacer = (
            Pacer(messages_per_second, clock=clock, sleep=sleep) if messages_per_second else None
        )
        self.retries = retries
        self.first_pause = first_pause
        self.sleep = sleep
        self._held: dict[object, asyncio.Event] = {}

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Make the call, waiting out this chat's flood control and retrying failures."""
        chat = data.get("chat_id")
        key: object = ("chat", str(chat)) if chat is not None else ("method", endpoint)
        failures = 0
        while True:
            await self._wait_if_held(key)
            try:
                if self.pacer is not None and chat is not None:
                    await self.pacer.wait_for_room()
                result = await callback(*args, **kwargs)
            except RetryAfter as error:
                failures += 1
                if failures > self.retries + 1:
                    log.warning("%s: still flood-controlled after %s tries", endpoint, failures)
                    raise
                await self._hold(key, endpoint, seconds(error.retry_after))
            except NetworkError as error:  # TimedOut and 5xx are NetworkErrors
                if isinstance(error, BadRequest):
                    raise
                failures += 1
                if failures > self.retries:
                    log.warning("%s failed %s times (%s); giving up", endpoint, failures, error)
                    raise
                if failures == 1:
                    log.warning("%s failed (%s); trying again", endpoint, error)
                pause = self.first_pause * 2 ** (failures - 1)
                await self.sleep(pause * random.uniform(0.5, 1.5))
            else:
                if failures:
                    log.info("%s went through after %s failed tries", endpoint, failures)
                return result

    async def _wait_if_held(self, key: object) -> None:
        held = self._held.get(key)
        if held is not None:
            await held.wait()

    async def _hold(self, key: object, endpoint: str, seconds: float) -> None:
        """Hold this chat's (or method's) calls for `seconds`; the first caller waits it out."""
        if key in self._held:  # another call already holds it: wait with it
            await self._held[key].wait()
            return
        released = self._held[key] = asyncio.Event()
        log.info("%s: flood control, holding that chat for %.0f s", endpoint, seconds)
        try:
            await self.sleep(min(seconds, MAX_WAIT) + 0.1)
        finally:
            del self._held[key]
            released.set()


def seconds(value: object) -> float:
    """A retry_after in seconds, whether python-telegram-bot gives an int or a timedelta."""
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[arg-type]
