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
from bench.contenders import Contender
from bench.contenders.consultbot import ConsultBot
from bench.contenders.echo import EchoBot
from bench.contenders.memory import MemoryBot
from bench.contenders.stock import StockConversationBot
from bench.exports import run_exports
from bench.plan import FULL, QUICK, Plan
from bench.report import ECHO, SQLITE, STOCK, Results, markdown, terminal
from bench.updates import measure
from bench.webhook import run_webhook

RESULTS = Path(__file__).resolve().parent / "results.md"
PARTS = ("updates", "prototypes", "webhook", "exports")
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
            results.plan.export_respondents, ("csv", "xlsx"), results.plan.export_timeout
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
                "postgres",
                lambda url: contender(
                    "postgres", lambda: ConsultBot("this bot, PostgreSQL", url), rates=plan.rates
                ),
            )
        if "prototypes" in parts:
            await prototypes(plan, results, folder, contender, on_postgres)
        if "webhook" in parts:
            log.info("webhook")
            results.webhook = await run_webhook(
                folder,
                connections=plan.webhook_connections,
                respondents=plan.webhook_respondents,
                seconds=plan.webhook_seconds,
            )
    results.seconds = time.perf_counter() - began
    if version is None and not no_postgres:
        results.notes.append(
            "No PostgreSQL server answered on 127.0.0.1:5432: its rows are absent."
        )
    return results


async def prototypes(
    plan: Plan,
    results: Results,
    folder: Path,
    contender: Callable[..., Awaitable[None]],
    on_postgres: Callable[[str, Callable[[str], Awaitable[None]]], Awaitable[None]],
) -> None:
    """The bench-only variants that quantify the recommended changes, and the shipped limiter."""
    sqlite = f"sqlite+aiosqlite:///{folder}/{{}}.sqlite3"
    rates = plan.prototype_rates
    await contender(
        "sqlite-group",
        lambda: ConsultBot(
            "prototype: SQLite, group commit", sqlite.format("g"), group_commit=True
        ),
        rates=rates,
    )
    await contender(
        "sqlite-group-inline",
        lambda: ConsultBot(
            "prototype: SQLite, group commit, sqlite3 inline",
            sqlite.format("gi"),
            group_commit=True,
            inline=True,
        ),
        rates=rates,
    )
    await contender(
        "sqlite-prebuilt",
        lambda: ConsultBot(
            "prototype: SQLite, statements built once", sqlite.format("p"), prebuilt=True
        ),
        rates=rates,
    )
    await contender(
        "sqlite-group-inline-prebuilt",
        lambda: ConsultBot(
            "prototype: SQLite, group commit, sqlite3 inline, statements built once",
            sqlite.format("gip"),
            group_commit=True,
            inline=True,
            prebuilt=True,
        ),
        rates=rates,
    )
    await on_postgres(
        "postgres-group-prebuilt",
        lambda url: contender(
            "postgres-group-prebuilt",
            lambda: ConsultBot(
                "prototype: PostgreSQL, group commit, statements built once",
                url,
                group_commit=True,
                prebuilt=True,
            ),
            rates=rates,
        ),
    )
    await contender(
        "memory",
        lambda: MemoryBot("prototype: this bot without storage", sqlite.format("m")),
        rates=rates,
    )
    await contender(
        "sqlite-shipped-limiter",
        lambda: ConsultBot(
            "this bot, SQLite, with the shipped AIORateLimiter (30 msg/s)",
            sqlite.format("limited"),
            throttled=True,
        ),
        rates=(),
        respondents=plan.shipped_respondents,
        saturation_seconds=plan.shipped_seconds,
    )


if __name__ == "__main__":
    main()
