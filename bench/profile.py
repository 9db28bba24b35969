"""`python -m bench.profile [--contender sqlite] [--respondents 200]`: where the time goes.

Runs one contender at saturation under cProfile (after a warm-up) and prints the time spent in
each package's own code (tottime, so nothing is counted twice), then the functions that cost
most. Waiting for the database's thread or the network shows as `select/epoll`. This bot on
SQLite runs its batches on a writer thread (storage/writer.py): that thread is profiled too, and
its own time added in (the event loop's wait for it is in `select/epoll`).
"""

import argparse
import asyncio
import cProfile
import pstats
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.contenders import Contender
from bench.contenders.consultbot import ConsultBot
from bench.contenders.echo import EchoBot
from bench.contenders.memory import MemoryBot
from bench.contenders.stock import StockConversationBot
from bench.load import Run, saturate
from bench.script import STEPS, Script
from bot.group_commit import GroupCommitService
from storage.writer import Sessions

ROOT = Path(__file__).resolve().parent.parent
MARKS = ("site-packages/", "lib/python3.11/", f"{ROOT}/")


def make(name: str, folder: Path) -> Contender:
    """The contender called `name`, on a database in `folder`."""
    url = f"sqlite+aiosqlite:///{folder}/profile.sqlite3"
    return {
        "echo": lambda: EchoBot(),
        "stock": lambda: StockConversationBot(folder),
        "sqlite": lambda: ConsultBot("this bot, SQLite", url),
        "memory": lambda: MemoryBot("no storage", url),
    }[name]()


def package(filename: str, function: str) -> str:
    """Which package a profiled function belongs to."""
    if "epoll" in function or ("select" in function and "built-in" in filename):
        return "select/epoll (waiting)"
    for mark in MARKS:
        if mark in filename:
            return filename.split(mark, 1)[1].split("/", 1)[0].removesuffix(".py")
    return "builtins" if filename == "~" else filename


async def profile(name: str, respondents: int) -> pstats.Stats:
    """Profile `respondents` journeys at saturation; prints the run's rate."""
    stats, run = await profiled(name, respondents)
    print(f"{name}: {run.handled:,} updates, {run.per_second:,.0f}/s under the profiler")
    return stats


async def profiled(name: str, respondents: int) -> tuple[pstats.Stats, Run]:
    """Profile `respondents` journeys at saturation: the profile and the run."""
    with tempfile.TemporaryDirectory() as folder:
        contender = make(name, Path(folder))
        script = Script()
        await contender.start()
        try:
            await saturate(contender.handle, script.respondents(10), 60)
            people = script.respondents(respondents)
            profiler, writer = cProfile.Profile(), cProfile.Profile()
            await on_writer(contender, writer.enable)
            profiler.enable()
            run = await saturate(contender.handle, people, 120)
            profiler.disable()
            await on_writer(contender, writer.disable)
        finally:
            await contender.stop()
    stats = pstats.Stats(profiler)
    if writer.getstats():
        stats.add(writer)
    return stats, run


async def on_writer(contender: Contender, call: Callable[[], None]) -> None:
    """`call()` on the contender's writer thread, if it has one (a profiler's enable applies to
    the thread that calls it)."""
    service = getattr(contender, "service", None)
    if not isinstance(service, GroupCommitService) or service.writer is None:
        return

    async def there(_sessions: Sessions) -> None:
        call()

    await service.writer.run(there)


def by_package(stats: pstats.Stats) -> Counter[str]:
    """Own time (seconds) per package: nothing counted twice."""
    packages: Counter[str] = Counter()
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        packages[package(filename, function)] += own
    return packages


@dataclass(frozen=True)
class Profiled:
    """What `python -m bench` keeps of a profile: own time per package, and the updates."""

    contender: str
    updates: int
    packages: Counter[str]


def profile_rows(profiled: Profiled, top: int = 10) -> tuple[list[str], list[list[str]]]:
    """The packages that cost most, in ms per update and share of the whole."""
    total = sum(profiled.packages.values())
    rows = [
        [name, f"{1000 * seconds / profiled.updates:.3f}", f"{100 * seconds / total:.0f}%"]
        for name, seconds in profiled.packages.most_common(top)
    ]
    return ["package (own time)", "ms/update under the profiler", "share"], rows


def summary(stats: pstats.Stats, updates: int, top: int) -> None:
    """Print time per package and the costliest functions."""
    packages = by_package(stats)
    total = sum(packages.values())
    print(f"\n{'package':28s} {'ms/update':>9s} {'share':>6s}")
    for name, seconds in packages.most_common(15):
        print(f"{name:28s} {1000 * seconds / updates:9.3f} {100 * seconds / total:5.1f}%")
    print()
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    """Parse the options, profile, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument(
        "--contender", default="sqlite", choices=("echo", "stock", "sqlite", "memory")
    )
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args()
    stats = asyncio.run(profile(arguments.contender, arguments.respondents))
    summary(stats, arguments.respondents * STEPS, arguments.top)


if __name__ == "__main__":
    main()
