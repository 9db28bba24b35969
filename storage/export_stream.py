"""Answers as export rows, streamed in constant memory however many there are.

One query, ordered by (respondent id, answer id), read through a server-side cursor
`batch_size` rows at a time (asyncpg's cursor on PostgreSQL, `fetchmany` on SQLite). The rows
are the driver's own tuples, in `ExportRow`'s field order: no object is built per answer, and
nothing is converted that a writer does not need. The database does what it does faster than
Python: the respondent's label, and the time as UTC text. Only one batch is held in Python at a
time. The rows form one consistent snapshot, so an answer changed mid-export is either wholly
before or wholly after it.

Why not keyset pages in short transactions: both SQLite and PostgreSQL answered each page by
joining and sorting every matching answer again, which makes a large export quadratic.

Given a session factory, the export reads in a read-only transaction of its own (DEFERRED on
SQLite, so writers are never blocked) that stays open until the iteration ends: iterate to the
end, or wrap the iterator in `contextlib.aclosing` if you may stop early. Given a session, the
rows are read in the caller's transaction (on SQLite a write transaction there would hold the
write lock for the whole export: use `session_factory(engine, read_only=True)`).

Respondents appear as "R" and their row id: stable across exports, meaningless outside the
database, and unlike the pseudonym it cannot be matched against Telegram ids by anyone who knows
the secret.
"""

from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import AsyncExitStack
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Select, String, func, literal, select, type_coerce
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.database import READ_ONLY_OPTION
from storage.models import Answer, Respondent
from storage.rows import ExportRow

RESPONDENT_PREFIX = "R"
"""Exports name a respondent "R" and their row id, built by the query."""


async def stream_export_batches(
    source: AsyncSession | async_sessionmaker[AsyncSession],
    *,
    consultation_id: str,
    since: datetime | None = None,
    finished_only: bool = False,
    leave_out_areas: Collection[str] = (),
    batch_size: int = 2000,
) -> AsyncIterator[Sequence[ExportRow]]:
    """Every stored answer of the consultation, by respondent then by answer, in batches.

    Each row is a tuple in `ExportRow`'s field order (unpack it or index it: these are the
    driver's rows, not `ExportRow` instances). `since` keeps answers given or changed at or after
    that time (for an update to an earlier export); `finished_only` keeps respondents who reached
    the end; `leave_out_areas` drops the answers stored under those area keys (the profile
    answers, unless staff ask for them). A batch may end in the middle of a respondent's answers.
    """
    async with AsyncExitStack() as stack:
        if isinstance(source, AsyncSession):
            connection = await source.connection()
        else:
            session = await stack.enter_async_context(source())
            connection = await session.connection(execution_options={READ_ONLY_OPTION: True})
        query = _export_query(
            consultation_id,
            connection.dialect.name,
            since=since,
            finished_only=finished_only,
            leave_out=leave_out_areas,
        )
        query = query.execution_options(stream_results=True, max_row_buffer=batch_size)
        result = await connection.stream(query)
        stack.push_async_callback(result.close)
        async for batch in result.partitions(batch_size):
            yield cast(Sequence[ExportRow], batch)


def stored_utc_text(column: ColumnElement[datetime], dialect: str) -> ColumnElement[str]:
    """A time column as UTC text, `YYYY-MM-DD HH:MM:SS.ffffff`, straight from the database.

    SQLite already stores it so (storage.columns.UTCDateTime); PostgreSQL formats it. Reading
    text skips building a datetime per row; writers slice it (reports.cells).
    """
    if dialect == "postgresql":
        utc = func.timezone("UTC", column)
        return func.to_char(utc, "YYYY-MM-DD HH24:MI:SS.US", type_=String)
    return type_coerce(column, String)


def _export_query(
    consultation_id: str,
    dialect: str,
    *,
    since: datetime | None,
    finished_only: bool,
    leave_out: Collection[str],
) -> Select:
    label = literal(RESPONDENT_PREFIX, String) + sql_cast(Answer.respondent_id, String)
    query = (
        select(
            label.label("respondent"),
            Respondent.audience,
            Respondent.source,
            Respondent.finished_at.is_not(None).label("finished"),
            Answer.area,
            Answer.question,
            Answer.question_text,
            Answer.value,
            Answer.label.label("answer"),
            stored_utc_text(Answer.last_answered_at, dialect).label("answered_at"),
            Answer.consultation_version.label("version"),
            Answer.language,
        )
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.consultation_id == consultation_id)
        .order_by(Respondent.id, Answer.id)  # Respondent.id is Answer.respondent_id: same order
    )
    if since is not None:
        query = query.where(Answer.last_answered_at >= since)
    if finished_only:
        query = query.where(Respondent.finished_at.is_not(None))
    if leave_out:
        query = query.where(Answer.area.not_in(leave_out))
    return query
