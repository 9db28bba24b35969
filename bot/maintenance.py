"""Command-line work on the stored responses: export, upgrade the database, purge."""

import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.export_request import in_zone
from bot.service import current_window
from bot.startup import database_name, prepare_database
from conversations.errors import ConsultbotError
from conversations.loader import load_consultation
from reports.consultation import export_responses
from reports.write import ExportFormat, ExportSummary
from storage.audit import add_audit
from storage.database import session_factory
from storage.dead_letters import dead_letters
from storage.retention import PurgeCounts

WITH_PROFILE = " with the answers about who people are"
"""Added to the audit log's note of an export that includes the profile answers."""

Result = TypeVar("Result")


async def with_database(
    settings: Settings,
    work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[Result]],
    *,
    must_exist: bool = False,
) -> Result:
    """Open (and upgrade) the database, do the work, close it again.

    With `must_exist`, a missing SQLite file is an error instead of a new empty database.
    """
    print(f"Database: {database_name(settings.database_url)}", file=sys.stderr)
    engine = await prepare_database(settings, must_exist=must_exist)
    try:
        return await work(session_factory(engine))
    finally:
        await engine.dispose()


async def export_to_file(
    settings: Settings,
    fmt: ExportFormat,
    output: Path,
    *,
    since: datetime | None,
    finished_only: bool,
    clock: Clock,
    with_profile: bool = False,
) -> ExportSummary:
    """Export every response to `output`, with a progress count on the terminal, audited.

    A `since` that names no time zone is read in the consultation's, as /export reads it."""
    if not output.parent.is_dir():  # found before the database is opened, not as a traceback
        raise ConsultbotError(
            f"{output.parent}: there is no such folder. "
            "Fix: create it, or give --output a file in a folder that exists"
        )
    consultation = load_consultation(settings.consultation_file)
    if since is not None:
        since = in_zone(since, consultation.timezone)  # what staff mean, as /export reads it

    def progress(answers: int) -> None:
        print(f"\r  {answers:,} answers written", end="", file=sys.stderr, flush=True)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> ExportSummary:
        # The count shows from the start and ends on the total, not only at each 10,000th answer,
        # so a small export (or a slow first query) still shows it is working.
        progress(0)
        summary = await export_responses(
            consultation,
            sessions,
            fmt,
            output,
            since=since,
            finished_only=finished_only,
            with_profile=with_profile,
            progress=progress,
            now=clock(),
        )
        progress(summary.answers)
        print(file=sys.stderr)
        async with sessions() as session, session.begin():
            await add_audit(
                session,
                actor="command line",
                action="export",
                detail=f"exported {fmt.value} to a file{WITH_PROFILE if with_profile else ''}",
                rows=summary.answers,
                now=clock(),
            )
        return summary

    return await with_database(settings, work, must_exist=True)


async def purge(settings: Settings, clock: Clock) -> PurgeCounts:
    """Apply the retention rule now (it does nothing before the retention time is over)."""
    from bot.jobs import apply_retention  # the bot's jobs load python-telegram-bot: not on export

    consultation = load_consultation(settings.consultation_file)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> PurgeCounts:
        async with sessions() as session, session.begin():
            window = await current_window(session, consultation)
            return await apply_retention(session, consultation, settings, window, clock())

    return await with_database(settings, work, must_exist=True)


def database_exists(url: str) -> bool:
    """False for a SQLite file not made yet; True for a server's database."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return True
    return bool(parsed.database) and Path(parsed.database).exists()


def set_aside_report(
    scope: str, newest: int = 10
) -> Callable[[async_sessionmaker[AsyncSession]], Awaitable[str]]:
    """Work for `with_database`: what `consultbot check` says about dead letters."""

    async def work(sessions: async_sessionmaker[AsyncSession]) -> str:
        async with sessions() as session:
            total, letters = await dead_letters(session, scope=scope, newest=newest)
        if not total:
            return "Dead letters (updates set aside): none"
        lines = [f"Dead letters (updates set aside, newest first): {total:,}"]
        lines += [
            f"  {at:%Y-%m-%d %H:%M} UTC  update {letter.update_id}  {letter.kind}  "
            f"{letter.attempts} tries  {letter.error}\n    shape: {letter.outline}"
            for at, letter in letters
        ]
        return "\n".join(lines)

    return work
