"""Raw counts for statistics; turning them into tables and charts is the caller's job."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import func

from storage.models import Answer, Progress, Respondent
from storage.rows import AnswerCount, RespondentCount


async def respondent_counts(
    session: AsyncSession, *, consultation_id: str
) -> list[RespondentCount]:
    """How many respondents per audience, deep-link source, consent given and finished."""
    consented = Respondent.consent_at.is_not(None)
    finished = Respondent.finished_at.is_not(None)
    result = await session.execute(
        select(Respondent.audience, Respondent.source, consented, finished, func.count())
        .where(Respondent.consultation_id == consultation_id)
        .group_by(Respondent.audience, Respondent.source, consented, finished)
        .order_by(Respondent.audience, Respondent.source, consented, finished)
    )
    return [
        RespondentCount(audience, source, bool(has_consented), bool(has_finished), count)
        for audience, source, has_consented, has_finished, count in result
    ]


async def answer_counts(
    session: AsyncSession, *, consultation_id: str, area: str
) -> list[AnswerCount]:
    """How many respondents per audience gave each value to each question of one area.

    Meant for small areas of choice questions (the profile questions about who is answering),
    where counting in the database beats streaming every answer.
    """
    result = await session.execute(
        select(Respondent.audience, Answer.question, Answer.value, func.count())
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.consultation_id == consultation_id, Answer.area == area)
        .group_by(Respondent.audience, Answer.question, Answer.value)
        .order_by(Respondent.audience, Answer.question, Answer.value)
    )
    return [
        AnswerCount(audience, question, value, count) for audience, question, value, count in result
    ]


async def progress_positions(
    session: AsyncSession, *, consultation_id: str
) -> list[tuple[str | None, str | None]]:
    """Where each unfinished respondent is, with their audience: (audience, their state's "at").

    One entry per unfinished respondent, such as ("young_person", "q:inclusion/important"); the
    position is None for those with no saved state or no "at", so drop-off statistics can count
    people who never got going as well. The audience is None until they say who they are.
    """
    result = await session.stream(
        select(Respondent.audience, Progress.state)
        .select_from(Respondent)
        .outerjoin(Progress, Progress.respondent_id == Respondent.id)
        .where(Respondent.consultation_id == consultation_id, Respondent.finished_at.is_(None))
        .order_by(Respondent.id)
        .execution_options(yield_per=1000)
    )
    return [(audience, _position(state)) async for audience, state in result]


async def first_contact(session: AsyncSession, *, consultation_id: str) -> datetime | None:
    """When the first respondent first wrote to the bot, or None before anyone has."""
    return (
        await session.execute(
            select(func.min(Respondent.created_at)).where(
                Respondent.consultation_id == consultation_id
            )
        )
    ).scalar_one()


def _position(encoded: str | None) -> str | None:
    state: Any = json.loads(encoded) if encoded else None
    at = state.get("at") if isinstance(state, dict) else None
    return at if isinstance(at, str) else None
