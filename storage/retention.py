"""Keeping personal data no longer than promised once a consultation has closed."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import AuditAction, add_audit
from storage.models import Answer, OutboxMessage, Progress, Respondent
from storage.rows import PurgeCounts


async def purge_expired(
    session: AsyncSession,
    *,
    consultation_id: str,
    closes_at: datetime,
    retention_days: int,
    delete_responses: bool,
    now: datetime,
    actor: str = "retention",
) -> PurgeCounts:
    """From `closes_at + retention_days` on, forget how to reach this consultation's respondents.

    Every chat id is set to NULL, and the outbox messages to those chats (sent or not) are
    deleted; with `delete_responses`, respondents, answers and progress are deleted too. Before
    the deadline nothing happens. Safe to run daily: a run that changes nothing writes no audit
    entry. Runs as bulk statements, so `Respondent` objects already loaded in the same session
    are not refreshed: purge in a unit of work of its own.
    """
    if now < closes_at + timedelta(days=retention_days):
        return PurgeCounts()
    of_consultation = Respondent.consultation_id == consultation_id
    await session.execute(  # the outbox's record of whom it wrote to (reminders, news...) too
        delete(OutboxMessage)
        .where(
            OutboxMessage.recipient.in_(
                select(Respondent.chat_id).where(of_consultation, Respondent.chat_id.is_not(None))
            )
        )
        .execution_options(synchronize_session=False)
    )
    cleared = await session.execute(
        update(Respondent)
        .where(of_consultation, Respondent.chat_id.is_not(None))
        .values(chat_id=None)
        .execution_options(synchronize_session=False)
    )
    counts = PurgeCounts(chat_ids_cleared=cleared.rowcount)
    if delete_responses:
        respondent_ids = select(Respondent.id).where(of_consultation).scalar_subquery()
        answers = await session.execute(
            delete(Answer)
            .where(Answer.respondent_id.in_(respondent_ids))
            .execution_options(synchronize_session=False)
        )
        progress = await session.execute(
            delete(Progress)
            .where(Progress.respondent_id.in_(respondent_ids))
            .execution_options(synchronize_session=False)
        )
        respondents = await session.execute(
            delete(Respondent).where(of_consultation).execution_options(synchronize_session=False)
        )
        counts = PurgeCounts(
            chat_ids_cleared=cleared.rowcount,
            respondents_deleted=respondents.rowcount,
            answers_deleted=answers.rowcount,
            progress_deleted=progress.rowcount,
        )
    if counts.total:
        await add_audit(
            session,
            actor=actor,
            action=AuditAction.PURGE,
            detail=(
                f"{consultation_id}: retention of {retention_days} days after closing ended; "
                f"{counts.chat_ids_cleared} chat ids cleared, "
                f"{counts.respondents_deleted} respondents, {counts.answers_deleted} answers and "
                f"{counts.progress_deleted} progress rows deleted"
            ),
            rows=counts.total,
            now=now,
        )
    return counts
