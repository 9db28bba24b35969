"""Whether a database's schema is at the latest migration, for the readiness check.

The bot migrates on start, so a running replica normally sees its own head. It stops being
current when another replica, started from a newer release, migrated past it: the old code
should then stop taking traffic until it is replaced.
"""

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import READ_ONLY_OPTION
from storage.upgrade import alembic_config

VERSION_TABLE = "alembic_version"
_APPLIED = text("SELECT version_num FROM alembic_version")


def shipped_heads() -> frozenset[str]:
    """The newest migration(s) this release ships (read from disk: call it once, at start-up)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def applied_heads(engine: AsyncEngine) -> frozenset[str]:
    """The migration(s) the database is at (empty for a database never migrated).

    A read-only connection: on SQLite it never takes the write lock from the bot's writers.
    """
    async with engine.execution_options(**{READ_ONLY_OPTION: True}).connect() as connection:
        return await connection.run_sync(_current_heads)


def _current_heads(connection: Connection) -> frozenset[str]:
    """Read Alembic's own table directly: Alembic's MigrationContext would log at INFO on every
    readiness check."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return frozenset()
    rows = connection.execute(_APPLIED)
    return frozenset(rows.scalars())
