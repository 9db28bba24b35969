"""A scratch PostgreSQL database per contender on the local server, dropped afterwards."""

import contextlib
from collections.abc import AsyncIterator

import asyncpg

SERVER = "postgresql://postgres@127.0.0.1:5432"
ADMIN_DATABASE = "test"
PREFIX = "consultbot_bench"


async def server_version() -> str | None:
    """The server's version, or None when no server answers (PostgreSQL rows are skipped)."""
    try:
        connection = await asyncpg.connect(f"{SERVER}/{ADMIN_DATABASE}", timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def scratch_database(suffix: str) -> AsyncIterator[str]:
    """Create an empty database, yield its SQLAlchemy URL, drop it at the end."""
    name = f"{PREFIX}_{suffix}"
    admin = await asyncpg.connect(f"{SERVER}/{ADMIN_DATABASE}")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
