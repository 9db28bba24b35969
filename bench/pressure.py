"""Fairness under pressure: a flooder among ordinary respondents, and a flaky Telegram.

    .venv/bin/python -m bench.pressure flooder [--people 20] [--seconds 60]
    .venv/bin/python -m bench.pressure flaky [--people 50] [--seconds 60]

The real bot (build_application, GroupCommitService on a SQLite file, the update runner and the
durable poller) runs against the tests' strict fake Bot API, fetching with getUpdates. Each
respondent is a task that makes a move, waits until the bot shows them something, and makes the
next: a journey of 8 moves (start, agree, no reminder, choose an area, done, two answers, a
typed answer). A respondent's latency is the time from their move to the bot's first visible
reaction in their chat.

- flooder: one more person sends 2,000 messages at once as the others begin.
- flaky: 11% of Telegram calls other than getUpdates fail: 4% 502, 3% 500, 2% 429 with
  retry_after 1, 2% answered only after 2 to 5 seconds (the fake's read timeout is 5 s).

It prints people finished, latency p50/p99/max, the flooder's replies, getUpdates calls and
how many log records carried a traceback.
"""

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conversations.loader import default_consultation_path, load_consultation
from storage.database import create_engine
from storage.upgrade import upgrade_database
from tests.bot.harness import BotHarness, FrozenClock, make_harness
from tests.telegram_fakes import FakeUser

INCLUSION = "Being included and taking part"
FLOOD = 2000
JOURNEY: list[tuple[str, str]] = [
    ("start", "young_person"),
    ("tap", "Yes, let's start"),
    ("tap", "No"),
    ("tap", INCLUSION),
    ("tap", "Done"),
    ("tap", "Agree a lot"),
    ("tap", "Not sure"),
    ("type", "More ramps at school"),
]


class Watch:
    """Notes every call that shows a respondent something, and injected faults."""

    def __init__(self, faults: float, seed: int = 12) -> None:
        self.faults = faults
        self.random = random.Random(seed)
        self.shown: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.polls = 0
        self.injected: dict[str, int] = defaultdict(int)

    async def fault(self, method: str, fields: Mapping[str, Any]) -> tuple[int, dict] | None:
        if method == "getUpdates":
            self.polls += 1
            return None
        roll = self.random.random() / self.faults if self.faults else 1.0
        if roll < 4 / 11:
            self.injected["502"] += 1
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if roll < 7 / 11:
            self.injected["500"] += 1
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        if roll < 9 / 11:
            self.injected["429"] += 1
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
            }
            return 429, {**body, "parameters": {"retry_after": 1}}
        if roll < 1:
            self.injected["slow"] += 1
            await asyncio.sleep(self.random.uniform(2, 5))
        return None

    async def see(self, method: str, fields: Mapping[str, Any]) -> None:
        chat = fields.get("chat_id")
        if chat is not None and method != "getUpdates":
            self.shown[int(chat)].set()


class Tracebacks(logging.Handler):
    """Counts log records at WARNING and above, and those with a traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings += record.levelno >= logging.WARNING
        self.count += bool(record.exc_info)


async def journey(bot: BotHarness, watch: Watch, user: FakeUser, latencies: list[float]) -> None:
    api = bot.api
    for kind, value in JOURNEY:
        watch.shown[user.id].clear()
        began = time.perf_counter()
        if kind == "start":
            api.push(api.updates.command(user, "start", value))
        elif kind == "type":
            api.push(api.updates.message(user, value))
        else:
            api.push(await tappable(bot, user, value))
        await watch.shown[user.id].wait()
        latencies.append(time.perf_counter() - began)


async def tappable(bot: BotHarness, user: FakeUser, label: str) -> dict[str, Any]:
    """The press of `label`, once a message shows it (the reply may still be on its way)."""
    while True:
        try:
            return bot.api.tap(user, label)
        except LookupError:
            await asyncio.sleep(0.005)


def make_poller(bot: BotHarness) -> Any:
    """The poller as shipped, its flood gate on the real clock."""
    bot.gate.clock = time.monotonic
    return bot.poller()


async def run(scenario: str, people: int, seconds: float) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="consultbot-pressure-"))
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'pressure.sqlite3'}")
    await upgrade_database(engine)
    consultation = load_consultation(default_consultation_path())
    bot = await make_harness(engine, consultation, FrozenClock())
    watch = Watch(0.11 if scenario == "flaky" else 0.0)
    bot.api.intercept(watch.fault)
    bot.api.intercept(watch.see)
    tracebacks = Tracebacks()
    logging.getLogger().addHandler(tracebacks)
    respondents = [bot.person(f"P{n}") for n in range(people)]
    flooder = bot.person("Flooder")
    latencies: list[float] = []
    finished_at: list[float] = []
    stop = asyncio.Event()
    poller = asyncio.create_task(make_poller(bot).run(stop))
    began = time.perf_counter()

    async def one(user: FakeUser) -> None:
        await journey(bot, watch, user, latencies)
        finished_at.append(time.perf_counter() - began)

    if scenario == "flooder":
        for n in range(FLOOD):
            bot.api.push(bot.api.updates.message(flooder, f"spam {n}"))
    tasks = [asyncio.create_task(one(user)) for user in respondents]
    await asyncio.wait(tasks, timeout=seconds)
    elapsed = time.perf_counter() - began
    for task in tasks:
        task.cancel()
    stop.set()
    try:
        async with asyncio.timeout(30):
            await poller
    except TimeoutError:
        poller.cancel()
    await bot.close()
    await engine.dispose()
    logging.getLogger().removeHandler(tracebacks)
    ordered = sorted(latencies)
    return {
        "scenario": scenario,
        "people finished": f"{len(finished_at)} of {people}",
        "all finished after s": round(max(finished_at), 1) if len(finished_at) == people else None,
        "seconds run": round(elapsed, 1),
        "moves answered": len(latencies),
        "latency p50 ms": round(statistics.median(ordered) * 1000) if ordered else None,
        "latency p99 ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000) if ordered else None,
        "latency max ms": round(ordered[-1] * 1000) if ordered else None,
        "messages to the flooder": len(bot.api.sent_to(flooder.id)),
        "getUpdates calls": watch.polls,
        "faults injected": dict(watch.injected),
        "log records at WARNING or above": tracebacks.warnings,
        "log records with a traceback": tracebacks.count,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["flooder", "flaky"])
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=60.0)
    arguments = parser.parse_args(argv)
    people = arguments.people or (20 if arguments.scenario == "flooder" else 50)
    logging.getLogger().setLevel(logging.INFO)  # counted by Tracebacks, not printed
    result = asyncio.run(run(arguments.scenario, people, arguments.seconds))
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
