"""The webhook load generator, run as its own process so its CPU is not the server's.

`python -m bench.webhook_client URL SECRET --connections 40 --respondents 600 --seconds 15`
posts every respondent's updates in order (the next only after the previous got its answer),
`connections` respondents at a time, as Telegram does over at most `max_connections` (40 by
default) connections to a webhook. It stops starting respondents after `seconds` and prints
one JSON object: updates sent, answered 200, failed, wall seconds and latencies in ms.
"""

import argparse
import asyncio
import json
import math
import sys
import time

import aiohttp

from bench.script import Script

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def load(url: str, secret: str, connections: int, respondents: int, seconds: float) -> dict:
    """Drive the server; the summary printed by main."""
    people = Script(first_user_id=900_000_001, first_update_id=700_000_001).respondents(respondents)
    queue: asyncio.Queue = asyncio.Queue()
    for person in people:
        queue.put_nowait(person)
    latencies: list[float] = []
    counts = {"sent": 0, "ok": 0, "failed": 0}
    headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=60)
    began = time.perf_counter()
    deadline = began + seconds

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:

        async def worker() -> None:
            while not queue.empty() and time.perf_counter() < deadline:
                person = queue.get_nowait()
                for raw in person.updates:
                    counts["sent"] += 1
                    start = time.perf_counter()
                    try:
                        async with client.post(url, data=raw, headers=headers) as response:
                            await response.read()
                            ok = response.status == 200
                    except (aiohttp.ClientError, TimeoutError):
                        ok = False
                    if ok:
                        counts["ok"] += 1
                        latencies.append(time.perf_counter() - start)
                    else:
                        counts["failed"] += 1
                        break  # Telegram would retry; the rest of this person waits

        await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        **counts,
        "seconds": elapsed,
        "p50_ms": _percentile(latencies, 0.5),
        "p99_ms": _percentile(latencies, 0.99),
    }


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return math.nan
    return 1000 * ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    """Parse the arguments, run, print the JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("secret")
    parser.add_argument("--connections", type=int, default=40)
    parser.add_argument("--respondents", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=15)
    arguments = parser.parse_args()
    summary = asyncio.run(
        load(
            arguments.url,
            arguments.secret,
            arguments.connections,
            arguments.respondents,
            arguments.seconds,
        )
    )
    json.dump(summary, sys.stdout)


if __name__ == "__main__":
    main()
