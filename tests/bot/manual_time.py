"""Time that moves only when the test moves it: a clock and a sleep to give the code under test.

`sleep(seconds)` waits until the test has moved the clock on by `seconds`, so what is checked is
how long the code asked to wait, never how long the test machine took. `naps` lists every wait
asked for, in order.
"""

import asyncio
from collections.abc import Callable

BOUND = 10.0
"""Wall-clock seconds a test may wait for the code to reach its next step: far more than it
needs, only there so that a bug fails the test instead of hanging it."""


class ManualTime:
    """A clock standing still, and a sleep that lasts until `advance` moves the clock past it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.naps: list[float] = []
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        wake = asyncio.get_running_loop().create_future()
        entry = (self.now + seconds, wake)
        self._sleepers.append(entry)
        try:
            await wake
        finally:
            self._sleepers.remove(entry)

    @property
    def sleeping(self) -> bool:
        """Whether something is waiting for the clock now."""
        return any(not wake.done() for _, wake in self._sleepers)

    def advance(self, seconds: float) -> None:
        """Move the clock on; every sleep that is over by then ends."""
        self.now += seconds
        for deadline, wake in self._sleepers:
            if deadline <= self.now and not wake.done():
                wake.set_result(None)

    async def run_until(self, done: Callable[[], bool], *, steps: int = 1000) -> None:
        """Let time pass, from one wake-up to the next, until `done()` holds."""
        for _ in range(steps):
            await wait_for(lambda: done() or self.sleeping)
            if done():
                return
            next_wake = min(d for d, wake in self._sleepers if not wake.done())
            self.advance(max(next_wake - self.now, 0.0))
        raise AssertionError(f"not done after {steps} wake-ups")


async def wait_for(condition: Callable[[], bool]) -> None:
    """Wait until `condition()` holds, checking as the event loop turns (bounded by BOUND)."""
    async with asyncio.timeout(BOUND):
        while not condition():
            await asyncio.sleep(0.001)
