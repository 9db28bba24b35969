"""Alembic environment: runs on a connection handed in by `storage.upgrade`, or on its own.

`upgrade_database` passes an open connection in `config.attributes["connection"]` and owns the
transaction. The Alembic command line (with `sqlalchemy.url` set) gets an async engine of its
own. SQLite migrations use batch mode so that later ALTERs work there too.
"""

import asyncio

from alembic import context
from sqlalchemy import Connection

from storage.database import create_engine
from storage.models import Base

target_metadata = Base.metadata


def run_migrations_offline():
    """Print the SQL instead of running it (`alembic upgrade --sql`)."""
    url = context.config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url is not None and url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_on(connection: Connection):
    """Run the pending migrations on a synchronous connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online():
    """Open an engine from the configured URL and migrate through it."""
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_migrations_on)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
elif (shared := context.config.attributes.get("connection")) is not None:
    run_migrations_on(shared)
else:
    asyncio.run(run_migrations_online())
