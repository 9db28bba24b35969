"""Bring a database's schema to the latest migration; the bot and every command call this first.

Alembic is configured in code (no alembic.ini): the script folder is `storage/migrations`,
shipped inside the package. To write a new migration during development::

    python -c "from storage.upgrade import alembic_config; from alembic import command; \
command.revision(alembic_config('sqlite+aiosqlite:///dev.db'), 'why', autogenerate=True)"

then edit the generated file under `storage/migrations/versions/` by hand: migrations are
frozen history and must not import `storage.models`.
"""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.database import create_engine
from storage.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")

_POSTGRES_LOCK_KEY = 0x636F6E73756C74  # "consult": one upgrade at a time per database
_TAKE_POSTGRES_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations (and `url`, if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade_database(engine_or_url: AsyncEngine | str) -> None:
    """Apply every migration not yet applied, in one transaction; safe to call on every start.

    Given a URL, a short-lived engine is made and disposed of. Processes starting together
    queue: SQLite through its write lock, PostgreSQL through an advisory lock.
    """
    if isinstance(engine_or_url, str):
        engine = create_engine(engine_or_url)
        try:
            await upgrade_database(engine)
        finally:
            await engine.dispose()
        return
    async with engine_or_url.connect() as connection:
        if connection.dialect.name == "sqlite":
            await _upgrade_sqlite(connection)
            return
        async with connection.begin():
            await connection.execute(_TAKE_POSTGRES_LOCK, {"key": _POSTGRES_LOCK_KEY})
            await connection.run_sync(_upgrade_on, alembic_config())


async def _upgrade_sqlite(connection: AsyncConnection) -> None:
    """Migrate with foreign keys off, then check them, as SQLite asks for table rebuilds.

    SQLite alters most things by copying a table and dropping the old one (Alembic's batch
    mode). With foreign keys enforced, dropping `respondents` would cascade and delete every
    answer. The pragma only works outside a transaction, so it is set on the driver connection
    before ours begins, and set back whatever happens.
    """
    driver = (await connection.get_raw_connection()).driver_connection
    await _run_on_driver(driver, "PRAGMA foreign_keys = OFF")
    try:
        async with connection.begin():
            await connection.run_sync(_upgrade_on, alembic_config())
            broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if broken:
                raise StorageError(f"a migration left rows that refer to nothing: {broken[:5]}")
    finally:
        await _run_on_driver(driver, "PRAGMA foreign_keys = ON")


async def _run_on_driver(driver: Any, statement: str) -> None:
    """Run one statement on the aiosqlite connection itself, outside SQLAlchemy's transaction."""
    cursor = await driver.execute(statement)
    await cursor.close()


def _upgrade_on(connection: Connection, config: Config) -> None:
    """Run Alembic's upgrade on an open connection (env.py picks it up from the attributes)."""
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
