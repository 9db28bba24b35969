"""The writer thread: a unit of work run whole on a thread of its own, on the same SQLite file."""

import asyncio
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import BUSY_TIMEOUT_MS, session_factory
from storage.models import Respondent
from storage.respondents import get_or_create_respondent
from storage.writer import Sessions, WriterThread, needs_writer

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
CONSULTATION = "send-strategy-2022"


def writer_on(database: AsyncEngine) -> WriterThread:
    url = needs_writer(session_factory(database))
    assert url is not None
    return WriterThread(url)


async def add(sessions: Sessions, alias: str) -> int:
    """Store one respondent in a unit of work of its own; the thread it ran on."""
    async with sessions() as session, session.begin():
        await get_or_create_respondent(
            session, consultation_id=CONSULTATION, pseudonym=alias, chat_id=1, now=NOW
        )
    return threading.get_ident()


async def stored(database: AsyncEngine) -> list[str]:
    async with session_factory(database)() as session:
        rows = await session.execute(select(Respondent.pseudonym).order_by(Respondent.id))
        return list(rows.scalars())


async def test_only_a_sqlite_file_gets_a_writer_thread(backend, database):
    url = needs_writer(session_factory(database))
    if backend == "sqlite":
        assert url is not None and url.endswith("consultbot.db")
    else:
        assert url is None


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_unit_of_work_runs_on_the_writer_s_thread_and_commits_to_the_same_file(database):
    writer = writer_on(database)
    try:
        ran_on = await writer.run(lambda sessions: add(sessions, "ada"))
    finally:
        await writer.close()

    assert ran_on != threading.get_ident()
    assert await stored(database) == ["ada"]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_writer_s_connection_is_set_up_like_the_bot_s(database):
    async def pragmas(sessions: Sessions) -> list[object]:
        async with sessions() as session:
            return [
                (await session.execute(text(f"PRAGMA {name}"))).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            ]

    writer = writer_on(database)
    try:
        assert await writer.run(pragmas) == ["wal", 1, BUSY_TIMEOUT_MS]
    finally:
        await writer.close()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_event_loop_runs_on_while_the_writer_waits_for_the_write_lock(database):
    writer = writer_on(database)
    try:
        async with session_factory(database)() as holding, holding.begin():
            await get_or_create_respondent(  # this transaction now holds the write lock
                holding, consultation_id=CONSULTATION, pseudonym="first", chat_id=1, now=NOW
            )
            starting = threading.Event()

            async def second(sessions: Sessions) -> int:
                starting.set()  # next: BEGIN IMMEDIATE, which waits for the lock
                return await add(sessions, "second")

            waiting = asyncio.ensure_future(writer.run(second))
            assert await asyncio.to_thread(starting.wait, 10)
            # Were the writer's wait blocking this loop, the lock would never be let go and
            # the writer would fail with "database is locked" after the busy timeout.
            await get_or_create_respondent(
                holding, consultation_id=CONSULTATION, pseudonym="third", chat_id=1, now=NOW
            )
        async with asyncio.timeout(BUSY_TIMEOUT_MS / 1000 / 2):
            await waiting
    finally:
        await writer.close()

    assert await stored(database) == ["first", "third", "second"]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_unit_that_fails_rolls_back_and_its_error_reaches_the_caller(database):
    async def fails(sessions: Sessions) -> None:
        await add(sessions, "kept")
        async with sessions() as session, session.begin():
            await get_or_create_respondent(
                session, consultation_id=CONSULTATION, pseudonym="lost", chat_id=1, now=NOW
            )
            raise LookupError("the unit's own error")

    writer = writer_on(database)
    try:
        with pytest.raises(LookupError, match="the unit's own error"):
            await writer.run(fails)
        assert await writer.run(lambda sessions: add(sessions, "after")) != threading.get_ident()
    finally:
        await writer.close()

    assert await stored(database) == ["kept", "after"]
