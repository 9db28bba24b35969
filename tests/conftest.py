"""Shared fixtures: a real, upgraded database on every backend we support.

`database` yields an `AsyncEngine` whose schema is at the latest migration, once on a SQLite
file in the test's tmp_path and once on PostgreSQL. The PostgreSQL run needs
CONSULTBOT_TEST_POSTGRES_URL (say postgresql+asyncpg://postgres@127.0.0.1:5432/test) and is
skipped, with that reason, without it. A test run creates one database of its own on that
server (so runs started side by side never meet) and drops it at the end; each test starts from
an empty `public` schema in it. The engine is built exactly as in production: from a URL alone.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as plain_async_engine
from sqlalchemy.pool import NullPool

import bot  # noqa: F401  # opts in to python-telegram-bot's timedelta durations, as the bot does
from storage.database import create_engine, session_factory
from storage.upgrade import upgrade_database

POSTGRES_URL_VARIABLE = "CONSULTBOT_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
pytest_plugins = ["tests.handler_errors"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test; PostgreSQL is skipped when no server is configured."""
    if request.param == "postgresql" and not os.environ.get(POSTGRES_URL_VARIABLE):
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} (a postgresql+asyncpg URL)")
    return request.param


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A PostgreSQL database private to this test run, dropped when the run ends."""
    server_url = make_url(os.environ[POSTGRES_URL_VARIABLE])
    name = f"consultbot_test_{uuid.uuid4().hex[:16]}"
    server = server_url.render_as_string(hide_password=False)
    _run_in_own_loop(_run_as_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        _run_in_own_loop(_run_as_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def database_url(
    backend: str, tmp_path, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """A URL to an empty database of `backend`."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'data' / 'consultbot.db'}"
        return
    url = request.getfixturevalue("postgres_database_url")
    await _run_as_admin(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    yield url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database upgraded to the latest migration."""
    engine = create_engine(database_url)
    try:
        await upgrade_database(engine)
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(database: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for units of work on `database`."""
    return session_factory(database)


def _run_in_own_loop(work: Coroutine[None, None, None]) -> None:
    """Run `work` to the end on a thread of its own, whether or not a test loop is running."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, work).result()


async def _run_as_admin(url: str, *statements: str) -> None:
    """Run statements outside any transaction (CREATE DATABASE refuses to run inside one)."""
    admin = plain_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await admin.dispose()
