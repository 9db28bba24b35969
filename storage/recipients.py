"""Whom the bot may message, for reminders, the closing notice and the outcome.

Everyone listed has a known chat id and has not been marked unreachable (the bot sets
`unreachable_at` when Telegram says the chat is gone or the bot was blocked). "In progress" means
consent given and not finished. Each helper only reads; the bot marks what it sent with
`update_respondent` (reminded_at, told_closed_at) in the unit of work that records the send.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Progress, Respondent
from storage.rows import Recipient


def _recipients(
    *conditions: ColumnElement[bool],
) -> Select[tuple[int, int, str | None, str | None]]:
    """Reachable respondents matching `conditions`, oldest first."""
    return (
        select(Respondent.id, Respondent.chat_id, Respondent.language, Respondent.audience)
        .where(Respondent.chat_id.is_not(None), Respondent.unreachable_at.is_(None), *conditions)
        .order_by(Respondent.id)
    )


def _in_progress(consultation_id: str) -> ColumnElement[bool]:
    return and_(
        Respondent.consultation_id == consultation_id,
        Respondent.consent_at.is_not(None),
        Respondent.finished_at.is_(None),
    )


async def _fetch(
    session: AsyncSession, query: Select[tuple[int, int, str | None, str | None]]
) -> list[Recipient]:
    return [Recipient(*row) for row in await session.execute(query)]


async def respondents_in_progress(
    session: AsyncSession, *, consultation_id: str
) -> list[Recipient]:
    """Reachable respondents who consented and have not finished."""
    return await _fetch(session, _recipients(_in_progress(consultation_id)))


async def respondents_to_remind(
    session: AsyncSession, *, consultation_id: str, idle_since: datetime
) -> list[Recipient]:
    """In-progress respondents who asked for a reminder, have had none, and are idle.

    Idle means their progress was last saved before `idle_since` (or, with no progress saved,
    they consented before it).
    """
    last_seen = Progress.updated_at
    query = _recipients(
        _in_progress(consultation_id),
        Respondent.wants_reminder.is_(True),
        Respondent.reminded_at.is_(None),
        or_(last_seen < idle_since, and_(last_seen.is_(None), Respondent.consent_at < idle_since)),
    ).outerjoin(Progress, Progress.respondent_id == Respondent.id)
    return await _fetch(session, query)


async def respondents_to_tell_closed(
    session: AsyncSession, *, consultation_id: str
) -> list[Recipient]:
    """In-progress respondents not yet told that the consultation has closed."""
    query = _recipients(_in_progress(consultation_id), Respondent.told_closed_at.is_(None))
    return await _fetch(session, query)


async def respondents_wanting_outcome(
    session: AsyncSession, *, consultation_id: str
) -> list[Recipient]:
    """Reachable respondents who asked to hear what came of the consultation."""
    query = _recipients(
        Respondent.consultation_id == consultation_id, Respondent.wants_outcome.is_(True)
    )
    return await _fetch(session, query)
