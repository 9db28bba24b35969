"""INSERT ... ON CONFLICT for whichever database the session is on.

Both SQLite and PostgreSQL understand `ON CONFLICT (...) DO NOTHING / DO UPDATE`, but SQLAlchemy
builds it through each dialect's own `insert`. Using it instead of catching IntegrityError keeps
a PostgreSQL transaction usable: a failed INSERT would abort the whole unit of work.
"""

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

DialectInsert = postgresql.Insert | sqlite.Insert


def insert_for(session: AsyncSession, table: Table) -> DialectInsert:
    """An INSERT into `table` that supports `on_conflict_do_*` on the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
