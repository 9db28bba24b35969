"""`python -m bench [--quick]`: every benchmark, one table, bench/results.md.

Run from the project root with the project's virtualenv. See bench/README.md.
"""

import argparse
import asyncio
import logging
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench import aims, machine, postgres
from bench.api_calls import measure_api
from bench.contenders import Contender
from bench.contenders.consultbot import ConsultBot
from bench.contenders.echo import EchoBot
from bench.contenders.memory import MemoryBot
from bench.contenders.stock import StockConversationBot
from bench.exports import run_exports
from bench.plan import FULL, QUICK, Plan
from bench.profile import Profiled, by_package, profiled
from bench.replicas import run_replicas
from bench.report import ECHO, POSTGRES, SQLITE, STOCK, Results, markdown, terminal
from bench.updates import measure
from bench.webhook import run_webhook
from bot.config import Settings

RESULTS = Path(__file__).resolve().parent / "results.md"
PARTS = ("updates", "prototypes", "webhook", "replicas", "api", "profile", "exports")
log = logging.getLogger("bench")


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small and short (about 2 min)")
    parser.add_argument(
        "--only", nargs="+", choices=PARTS, default=PARTS, help="run only these parts"
    )
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL rows")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write results")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("bot", "telegram", "httpx", "aiohttp", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    results = asyncio.run(
        run(QUICK if arguments.quick else FULL, set(arguments.only), arguments.no_postgres)
    )
    if "exports" in arguments.only:
        began = time.perf_counter()
        log.info("exports of %s answers", f"{results.plan.export_respondents * 10:,}")
        results.exports = run_exports(
            results.plan.export_respondents, ("csv", "json", "xlsx"), results.plan.export_timeout
        )
        results.seconds += time.perf_counter() - began
    results.load_after = machine.load_average()
    print()
    print(terminal(results))
    arguments.output.write_text(markdown(results, aims.check(results)))
    print(f"\nwritten to {arguments.output}")


async def run(plan: Plan, parts: set[str], no_postgres: bool) -> Results:
    """The update and webhook benchmarks (exports run afterwards, outside the event loop)."""
    began = time.perf_counter()
    version = None if no_postgres else await postgres.server_version()
    results = Results(plan, machine.describe(version), load_before=machine.load_average())
    with tempfile.TemporaryDirectory(prefix="consultbot-bench-") as scratch:
        folder = Path(scratch)
        sqlite = f"sqlite+aiosqlite:///{folder}/{{}}.sqlite3"

        async def contender(key: str, make: Callable[[], Contender], **options: object) -> None:
            results.contenders[key] = await measure(make(), plan, **options)  # type: ignore[arg-type]

        async def on_postgres(key: str, run_it: Callable[[str], Awaitable[None]]) -> None:
            if version is None:
                return
            async with postgres.scratch_database(key.replace("-", "_")) as url:
                await run_it(url)

        if "updates" in parts:
            await contender(ECHO, EchoBot, rates=plan.rates)
            await contender(STOCK, lambda: StockConversationBot(folder), rates=plan.rates)
            await contender(
                SQLITE,
                lambda: ConsultBot("this bot, SQLite", sqlite.format("bot")),
                rates=plan.rates,
            )
            await on_postgres(
                POSTGRES,
                lambda url: contender(
                    POSTGRES, lambda: ConsultBot("this bot, PostgreSQL", url), rates=plan.rates
                ),
            )
        if "prototypes" in parts:
            await prototypes(plan, folder, contender)
        if "webhook" in parts:
            log.info("webhook")
            results.webhook = await run_webhook(
                folder,
                connections=plan.webhook_connections,
                respondents=plan.webhook_respondents,
                seconds=plan.webhook_seconds,
            )
        if "api" in parts:
            log.info("Bot API calls: what each option saves")
            results.api = await measure_api(plan.api_repeat)
        if "profile" in parts:
            log.info("profile: this bot on SQLite at saturation, under cProfile")
            stats, run = await profiled(SQLITE, plan.profile_respondents)
            results.profile = Profiled("this bot, SQLite", run.handled, by_package(stats))
        if "replicas" in parts and version is not None:
            log.info("replicas on PostgreSQL: one, then two")
            results.replicas = await run_replicas(plan.replica_respondents, plan.replica_seconds)
    results.seconds = time.perf_counter() - began
    if version is None and not no_postgres:
        results.notes.append(
            "No PostgreSQL server answered on 127.0.0.1:5432: its rows are absent."
        )
    return results


async def prototypes(plan: Plan, folder: Path, contender: Callable[..., Awaitable[None]]) -> None:
    """What is left to gain (bench-only variants of the shipped bot), and the shipped 30/s cap."""
    sqlite = f"sqlite+aiosqlite:///{folder}/{{}}.sqlite3"
    await contender(
        "memory",
        lambda: MemoryBot("bench only: this bot without storage", sqlite.format("m")),
        rates=plan.prototype_rates,
    )
    await contender(
        "sqlite-shipped-limit",
        lambda: ConsultBot(
            "this bot, SQLite, capped at Telegram's own limit (30 messages/s, the shipped default)",
            sqlite.format("limited"),
            messages_per_second=Settings().messages_per_second,
        ),
        rates=(),
        respondents=plan.shipped_respondents,
        saturation_seconds=plan.shipped_seconds,
    )


if __name__ == "__main__":
    main()
