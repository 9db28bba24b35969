"""INSERT ... ON CONFLICT for whichever database the session is on.

Both SQLite and PostgreSQL understand `ON CONFLICT (...) DO NOTHING / DO UPDATE`, but SQLAlchemy
builds it through each dialect's own `insert`. Using it instead of catching IntegrityError keeps
a PostgreSQL transaction usable: a failed INSERT would abort the whole unit of work.
"""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

DialectInsert = postgresql.Insert | sqlite.Insert
Statement = TypeVar("Statement")


def insert_for(session: AsyncSession, table: Table) -> DialectInsert:
    """An INSERT into `table` that supports `on_conflict_do_*` on the session's database."""
    return postgresql.insert(table) if _on_postgresql(session) else sqlite.insert(table)


def _on_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


class PerDialect(Generic[Statement]):
    """One statement built once for each database, picked by the session it runs on.

    Building a statement (and SQLAlchemy's cache key for it) costs more CPU than running it, so
    the hot helpers build theirs at import time and only bind values on each call.
    """

    def __init__(self, build: Callable[[Callable[[Table], Any]], Statement]) -> None:
        self.postgresql = build(postgresql.insert)
        self.sqlite = build(sqlite.insert)

    def get(self, session: AsyncSession) -> Statement:
        """The statement for the session's database."""
        return self.postgresql if _on_postgresql(session) else self.sqlite
