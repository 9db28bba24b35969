"""One replica of this bot for the replicas benchmark, run as its own process.

`python -m bench.replica URL --first-user N --respondents R --seconds S` starts this bot on the
PostgreSQL database at URL (already upgraded), warms up, prints `ready`, waits for a line on
standard input (so every replica starts together), saturates with its own R respondents (user
ids from N, so replicas never share a person) and prints one JSON line: updates handled, wall
seconds and this process's CPU seconds. It stops at the next line on standard input, so its
database connections (whose server CPU is being counted) stay open until the count is taken.
"""

import argparse
import asyncio
import json
import sys

from bench.contenders.consultbot import ConsultBot
from bench.load import saturate
from bench.script import Script

WARMUP = 10


async def run(url: str, first_user: int, respondents: int, seconds: float) -> None:
    """Warm up, say ready, wait for the go, saturate, print the figures, wait for the stop."""
    bot = ConsultBot("replica", url)
    script = Script(first_user_id=first_user, first_update_id=first_user)
    await bot.start()
    try:
        await saturate(bot.handle, script.respondents(WARMUP), 60)
        people = script.respondents(respondents)
        print("ready", flush=True)
        await _line()
        result = await saturate(bot.handle, people, seconds)
        summary = {"handled": result.handled, "seconds": result.seconds, "cpu": result.cpu_seconds}
        print(json.dumps(summary), flush=True)
        await _line()
    finally:
        await bot.stop()


async def _line() -> None:
    """Wait for the parent's next line (without blocking the event loop)."""
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


def main() -> None:
    """Parse the arguments, run, print the JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--first-user", type=int, required=True)
    parser.add_argument("--respondents", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=15)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.url, arguments.first_user, arguments.respondents, arguments.seconds))


if __name__ == "__main__":
    main()
