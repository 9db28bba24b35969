"""A prototype SQLite engine whose statements run on the event loop's thread, not aiosqlite's.

aiosqlite runs each sqlite3 call in a thread of its own and hands the result back through the
event loop; SQLAlchemy's adapter makes about four such calls per statement (cursor, execute,
fetch, close). On this machine a round trip costs more CPU than the statement: a primary-key
SELECT takes ~15 µs in sqlite3, ~60 µs through synchronous SQLAlchemy, ~110 µs through the
async engine with the calls made inline, and ~400 µs through aiosqlite's thread.

Running sqlite3 inline blocks the loop for the statement's duration: microseconds for this
bot's point reads and writes, plus the commit's fsync (amortised by group commit). It would also
block while another process holds SQLite's write lock (busy_timeout), which is why this stays a
prototype measured here, on the real group commit (bot/group_commit.py): its single writer is
what keeps two inline writers on one loop from deadlocking until the busy timeout.
"""

import sqlite3
from collections.abc import Callable
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.contenders.consultbot import ConsultBot
from storage.database import _begin_sqlite_transaction, _configure_sqlite_connection


class _RunNow:
    """Stands in for aiosqlite's queue to its thread: runs each queued call at once."""

    def put_nowait(self, item: tuple[Any, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:
            if future is not None:
                future.set_exception(error)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection API, each call made directly instead of in its thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunNow()  # type: ignore[assignment]  # SQLAlchemy queues some calls itself

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    async def _connect(self) -> "InlineConnection":
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Any:
        return self._connect().__await__()

    async def close(self) -> None:
        """Close the sqlite3 connection (there is no thread to stop)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def create_inline_engine(url: str) -> AsyncEngine:
    """Like storage.database.create_engine for a SQLite file, with inline sqlite3 calls."""
    path = make_url(url).database
    assert path, "a SQLite file is needed"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, check_same_thread=False, isolation_level=None)

    async def creator() -> InlineConnection:
        return await InlineConnection(connect)

    engine = create_async_engine(url, async_creator=creator)
    event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    event.listen(engine.sync_engine, "begin", _begin_sqlite_transaction)
    return engine


class InlineSqliteBot(ConsultBot):
    """This bot, exactly as shipped, on an engine whose sqlite3 calls run on the event loop."""

    note = (
        ConsultBot.note + "; sqlite3 called on the event loop, not aiosqlite's thread "
        "(safe only because group commit has a single writer)"
    )

    def create_engine(self) -> AsyncEngine:
        """The inline engine instead of storage.database.create_engine's."""
        return create_inline_engine(self.url)
