"""Shared fixtures: a real, upgraded database on every backend we support.

`database` yields an `AsyncEngine` whose schema is at the latest migration, once on a SQLite
file in the test's tmp_path and once on PostgreSQL. The PostgreSQL run needs
CONSULTBOT_TEST_POSTGRES_URL (say postgresql+asyncpg://postgres@127.0.0.1:5432/test) and is
skipped, with that reason, without it. Each PostgreSQL test gets a fresh database, created
through that URL and dropped afterwards, so tests never see each other's rows and the engine is
built exactly as in production: from a URL alone.
"""

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as plain_async_engine
from sqlalchemy.pool import NullPool

from storage.database import create_engine, session_factory
from storage.upgrade import upgrade_database

POSTGRES_URL_VARIABLE = "CONSULTBOT_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test; PostgreSQL is skipped when no server is configured."""
    if request.param == "postgresql" and not os.environ.get(POSTGRES_URL_VARIABLE):
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} (a postgresql+asyncpg URL)")
    return request.param


@pytest.fixture
async def database_url(backend: str, tmp_path) -> AsyncIterator[str]:
    """A URL to an empty database of `backend`, gone after the test."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'data' / 'consultbot.db'}"
        return
    server_url = make_url(os.environ[POSTGRES_URL_VARIABLE])
    name = f"consultbot_test_{uuid.uuid4().hex[:16]}"
    admin = plain_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server_url.set(database=name).render_as_string(hide_password=False)
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


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
