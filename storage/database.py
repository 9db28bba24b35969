"""The engine (one per process) and the sessions (one per unit of work).

SQLite and PostgreSQL are chosen by the URL alone:

- `sqlite+aiosqlite:///path/to/consultbot.db`: a file in WAL mode (readers never block the
  writer), foreign keys enforced, a 30 s busy timeout, and write transactions opened with
  `BEGIN IMMEDIATE`. That last point is the seam that makes concurrent writers queue instead of
  failing: a plain `BEGIN` starts as a reader and fails at once with "database is locked" when it
  later tries to write while another connection writes, whatever the busy timeout. Taking the
  write lock up front makes SQLite's busy handler wait for it instead.
- `postgresql+asyncpg://user@host/db`: nothing special; the default READ COMMITTED isolation is
  what the query helpers are written for (compare-and-set updates, ON CONFLICT inserts).

A unit of work looks like::

    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        ...  # helpers from storage.queries; commit on leaving the block, rollback on error

Read-only work (exports, statistics) should use `session_factory(engine, read_only=True)`, whose
transactions on SQLite begin DEFERRED and so never hold the write lock; writing in one fails.

The hot path on a SQLite file writes through `create_thread_engine` instead, on a thread of its
own (storage.writer): the same file, pragmas and BEGIN IMMEDIATE, with sqlite3 called directly.
"""

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

READ_ONLY_OPTION = "consultbot_read_only"
"""Execution option that marks a connection's transactions as read-only (DEFERRED on SQLite)."""

_BEGIN_WRITE = "BEGIN IMMEDIATE"
_BEGIN_READ = "BEGIN DEFERRED"
BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for the write lock before "database is locked"."""
_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
)


def create_engine(url: str) -> AsyncEngine:
    """Build the process's engine for `url`, tuned for SQLite when the URL is SQLite.

    For a SQLite file, the folder that holds it is created if missing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _create_async_engine(url, pool_pre_ping=True)
    path = sqlite_path(parsed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return _tuned_for_sqlite(_create_async_engine(url))


def sqlite_path(url: URL | str) -> Path | None:
    """The file a SQLite URL names; None for PostgreSQL, an in-memory SQLite or a `file:` URI."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else Path(database).expanduser()


def sqlite_file(engine: AsyncEngine) -> str | None:
    """The URL of the SQLite file `engine` is on; None for PostgreSQL or an in-memory SQLite."""
    if sqlite_path(engine.url) is None:
        return None
    return engine.url.render_as_string(hide_password=False)


def _tuned_for_sqlite(engine: AsyncEngine) -> AsyncEngine:
    """`engine` with the pragmas on every new connection and BEGIN IMMEDIATE for writes."""
    event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    event.listen(engine.sync_engine, "begin", _begin_sqlite_transaction)
    return engine


def create_thread_engine(url: str) -> AsyncEngine:
    """An engine on the SQLite file at `url` whose sqlite3 calls run at once, on the caller's
    thread, instead of each making a round trip to aiosqlite's thread.

    A call blocks its thread for as long as SQLite takes, an fsync or a wait for the write lock
    included: use it only from a thread of its own (storage.writer.WriterThread), never from
    the bot's event loop. The file, pragmas and BEGIN IMMEDIATE are those of `create_engine`.
    """
    database = make_url(url).set(drivername=f"sqlite+{_INLINE_DRIVER}")
    engine = _create_async_engine(
        database, poolclass=AsyncAdaptedQueuePool, connect_args={"factory": _InlineConnection}
    )
    return _tuned_for_sqlite(engine)


class _InlineCursor(sqlite3.Cursor):
    """A sqlite3 cursor, with the one method SQLAlchemy's asyncio layer calls on a cursor after
    a statement (its own adapted cursors fetch the rows there; sqlite3 already has them)."""

    async def _async_soft_close(self) -> None:
        return


class _InlineConnection(sqlite3.Connection):
    """A sqlite3 connection whose cursors are `_InlineCursor`s."""

    def cursor(self, factory: Any = _InlineCursor) -> Any:
        """A new cursor (an `_InlineCursor` unless told otherwise)."""
        return super().cursor(factory)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    """The standard sqlite3 dialect, usable through SQLAlchemy's asyncio API: nothing it does
    ever waits on an event loop, so each statement simply runs when called."""

    is_async = True
    supports_statement_cache = True


_INLINE_DRIVER = "consultbot_inline"
registry.register(f"sqlite.{_INLINE_DRIVER}", __name__, InlineSQLiteDialect.__name__)


def session_factory(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions for units of work on `engine`; objects stay usable after commit.

    With `read_only`, SQLite transactions begin DEFERRED so that long reads (an export) never
    hold the write lock; on PostgreSQL the flag changes nothing.
    """
    bind = engine.execution_options(**{READ_ONLY_OPTION: True}) if read_only else engine
    return async_sessionmaker(bind, expire_on_commit=False)


def _configure_sqlite_connection(dbapi_connection: Any, _record: object) -> None:
    """Take over BEGIN from the driver and set the per-connection pragmas."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    """Open every transaction ourselves: IMMEDIATE for writers, DEFERRED for readers."""
    read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
    connection.exec_driver_sql(_BEGIN_READ if read_only else _BEGIN_WRITE)
