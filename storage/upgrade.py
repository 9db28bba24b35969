"""Bring a database's schema to the latest migration; the bot and every command call this first.

Alembic is configured in code (no alembic.ini): the script folder is `storage/migrations`,
shipped inside the package. To write a new migration during development::

    python -c "from storage.upgrade import alembic_config; from alembic import command; \
command.revision(alembic_config('sqlite+aiosqlite:///dev.db'), 'why', autogenerate=True)"

then edit the generated file under `storage/migrations/versions/` by hand: migrations are
frozen history and must not import `storage.models`.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_engine

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
    async with engine_or_url.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(_TAKE_POSTGRES_LOCK, {"key": _POSTGRES_LOCK_KEY})
        await connection.run_sync(_upgrade_on, alembic_config())


def _upgrade_on(connection: Connection, config: Config) -> None:
    """Run Alembic's upgrade on an open connection (env.py picks it up from the attributes)."""
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
