"""Answers as export rows, streamed in constant memory however many there are.

One query, ordered by (respondent id, answer id), read through a server-side cursor
`batch_size` rows at a time (asyncpg's cursor on PostgreSQL, `fetchmany` on SQLite). Only plain
columns are selected, so no ORM object enters the session's identity map, and only one batch is
held in Python at a time. The database does the ordering once; the rows form one consistent
snapshot, so an answer changed mid-export is either wholly before or wholly after it.

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

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.database import READ_ONLY_OPTION
from storage.models import Answer, Respondent
from storage.rows import ExportRow


def respondent_label(respondent_id: int) -> str:
    """How a respondent is named in exports."""
    return f"R{respondent_id}"


async def stream_export_rows(
    source: AsyncSession | async_sessionmaker[AsyncSession],
    *,
    consultation_id: str,
    since: datetime | None = None,
    finished_only: bool = False,
    batch_size: int = 2000,
) -> AsyncIterator[ExportRow]:
    """Every stored answer of the consultation, by respondent then by answer.

    `since` keeps answers given or changed at or after that time (for an update to an earlier
    export); `finished_only` keeps respondents who reached the end. `answered_at` is the time of
    the latest change to the answer.
    """
    query = _export_query(consultation_id, since=since, finished_only=finished_only)
    query = query.execution_options(stream_results=True, max_row_buffer=batch_size)
    async with AsyncExitStack() as stack:
        if isinstance(source, AsyncSession):
            connection = await source.connection()
        else:
            session = await stack.enter_async_context(source())
            connection = await session.connection(execution_options={READ_ONLY_OPTION: True})
        result = await connection.stream(query)
        stack.push_async_callback(result.close)
        label_of: int | None = None
        label = ""
        async for batch in result.partitions(batch_size):
            for (
                respondent_id,
                audience,
                respondent_source,
                finished,
                area,
                question,
                question_text,
                value,
                answer,
                answered_at,
                version,
                language,
            ) in batch:
                if respondent_id != label_of:
                    label_of, label = respondent_id, respondent_label(respondent_id)
                yield ExportRow(
                    respondent=label,
                    audience=audience,
                    source=respondent_source,
                    finished=bool(finished),
                    area=area,
                    question=question,
                    question_text=question_text,
                    value=value,
                    answer=answer,
                    answered_at=answered_at,
                    version=version,
                    language=language,
                )


def _export_query(consultation_id: str, *, since: datetime | None, finished_only: bool) -> Select:
    query = (
        select(
            Answer.respondent_id,
            Respondent.audience,
            Respondent.source,
            Respondent.finished_at.is_not(None).label("finished"),
            Answer.area,
            Answer.question,
            Answer.question_text,
            Answer.value,
            Answer.label,
            Answer.last_answered_at,
            Answer.consultation_version,
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
    return query
