"""Feeding updates to a contender: saturation (closed loop) and fixed offered load (open loop).

Both keep each respondent's updates in order and run different respondents side by side, as
bot/polling.py and Telegram's webhook delivery do.

* Saturation: one asyncio task per respondent sends its next update as soon as the previous one
  is handled; all respondents start together. Throughput is updates handled per wall second.
* Offered load: updates arrive on a fixed schedule (`rate` a second) whatever the bot is doing.
  Arrival i goes to respondent i mod N and is that respondent's (i div N)-th update, with N
  chosen so every respondent walks the whole journey once: each kind of step is equally
  represented and one person's updates are N/rate seconds apart. Latency runs from the
  scheduled arrival to the moment the update is handled (queueing included, so a slow bot
  cannot hide it by delaying the generator).

Everything is bounded: saturation by a deadline after which no new update is sent, offered
load by its count. A bot that falls `max_in_flight` updates behind sheds the arrivals beyond
that (they count as never handled, and so does the rest of that person's journey); the wait
for stragglers is bounded by `drain` seconds, after which they are cancelled and left to finish
within `abandon` seconds (a unit of work stuck in SQLite's busy handler cannot be interrupted).
"""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bench.script import STEPS, Respondent

Handler = Callable[[bytes], Awaitable[bool]]


@dataclass
class Run:
    """What one run measured."""

    sent: int = 0
    handled: int = 0
    failed: int = 0
    shed: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    """The database server's CPU meanwhile (PostgreSQL's processes; 0 for SQLite, in-process)."""
    latencies: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        """Updates handled per wall-clock second."""
        return self.handled / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        """This process's CPU time (all threads) per handled update, in milliseconds."""
        return 1000 * self.cpu_seconds / self.handled if self.handled else math.inf

    @property
    def server_ms_per_update(self) -> float:
        """The database server's CPU time per handled update, in milliseconds."""
        return 1000 * self.server_cpu_seconds / self.handled if self.handled else math.inf

    @property
    def unfinished(self) -> int:
        """Updates neither handled nor failed when the run was cut off (shed ones included)."""
        return self.sent - self.handled - self.failed

    def percentile(self, share: float) -> float:
        """Latency in ms at `share` (0.5, 0.99); updates never finished count as infinitely late."""
        if not self.sent:
            return math.nan
        ordered = sorted(self.latencies)
        index = min(self.sent - 1, math.ceil(share * self.sent) - 1)
        return 1000 * ordered[index] if index < len(ordered) else math.inf


async def saturate(handle: Handler, respondents: Sequence[Respondent], limit: float) -> Run:
    """Every respondent at once, each as fast as the bot answers; no new update after `limit` s."""
    run = Run()
    deadline = time.perf_counter() + limit

    async def respondent(person: Respondent) -> None:
        for raw in person.updates:
            if time.perf_counter() > deadline:
                return
            run.sent += 1
            began = time.perf_counter()
            if await handle(raw):
                run.handled += 1
                run.latencies.append(time.perf_counter() - began)
            else:
                run.failed += 1

    cpu, began = time.process_time(), time.perf_counter()
    await asyncio.gather(*(respondent(person) for person in respondents))
    run.seconds = time.perf_counter() - began
    run.cpu_seconds = time.process_time() - cpu
    return run


def respondents_for(rate: float, seconds: float) -> int:
    """How many respondents an offered-load run needs so each walks the journey once."""
    return max(1, math.ceil(rate * seconds / STEPS))


async def offer(
    handle: Handler,
    respondents: Sequence[Respondent],
    rate: float,
    drain: float,
    *,
    max_in_flight: int = 1000,
    abandon: float = 5.0,
) -> Run:
    """Send every respondent's whole journey at `rate` updates a second (see the module doc)."""
    lanes = len(respondents)
    total = lanes * STEPS
    run = Run(sent=total)
    previous: list[asyncio.Future[None] | None] = [None] * lanes
    dropped: set[int] = set()
    in_flight = 0

    async def deliver(raw: bytes, due: float, before: asyncio.Future[None] | None) -> None:
        nonlocal in_flight
        try:
            if before is not None:
                await before  # that person's earlier update first, as Telegram delivers them
            if await handle(raw):
                run.handled += 1
                run.latencies.append(time.perf_counter() - due)
            else:
                run.failed += 1
        finally:
            in_flight -= 1

    cpu, start = time.process_time(), time.perf_counter()
    tasks = []
    for index in range(total):
        due = start + index / rate
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        lane, step = index % lanes, index // lanes
        if lane in dropped or in_flight >= max_in_flight:
            dropped.add(lane)
            run.shed += 1
            continue
        in_flight += 1
        task = asyncio.ensure_future(deliver(respondents[lane].updates[step], due, previous[lane]))
        previous[lane] = task
        tasks.append(task)
    _, pending = await asyncio.wait(tasks, timeout=drain)
    run.seconds = time.perf_counter() - start
    run.cpu_seconds = time.process_time() - cpu
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=abandon)
    return run
