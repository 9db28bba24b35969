"""Updates set aside because they could not be read or handled, and flood events.

Both exist so that one bad update or one flooding sender cannot stop the bot, and so that
staff can see that it happened. Neither holds a Telegram id, a name or anything typed.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeadLetter, FloodEvent


@dataclass(frozen=True)
class SetAside:
    """One dead letter: which update, what kind, from whom (a pseudonym), and why."""

    update_id: int | None
    kind: str
    pseudonym: str | None
    error: str
    outline: str
    attempts: int


async def store_dead_letter(
    session: AsyncSession, *, scope: str, letter: SetAside, now: datetime
) -> None:
    """Keep `letter` under `scope` (the bot's consultation)."""
    await session.execute(
        insert(DeadLetter).values(
            scope=scope,
            update_id=letter.update_id,
            kind=letter.kind,
            pseudonym=letter.pseudonym,
            error=letter.error,
            outline=letter.outline,
            attempts=letter.attempts,
            at=now,
        )
    )


async def seen_before(session: AsyncSession, *, scope: str, kind: str, error: str) -> bool:
    """Whether a dead letter of this kind with this error is already kept."""
    found = await session.scalar(
        select(DeadLetter.id)
        .where(DeadLetter.scope == scope, DeadLetter.kind == kind, DeadLetter.error == error)
        .limit(1)
    )
    return found is not None


async def dead_letters(
    session: AsyncSession, *, scope: str | None = None, newest: int = 10
) -> tuple[int, list[tuple[datetime, SetAside]]]:
    """How many dead letters there are (in `scope`, or all), and the `newest` of them."""
    where = [] if scope is None else [DeadLetter.scope == scope]
    total = await session.scalar(select(func.count()).select_from(DeadLetter).where(*where))
    rows = await session.scalars(
        select(DeadLetter).where(*where).order_by(DeadLetter.id.desc()).limit(newest)
    )
    return total or 0, [
        (
            row.at,
            SetAside(row.update_id, row.kind, row.pseudonym, row.error, row.outline, row.attempts),
        )
        for row in rows
    ]


async def record_flood(session: AsyncSession, *, consultation_id: str, now: datetime) -> None:
    """Someone was asked to slow down."""
    await session.execute(insert(FloodEvent).values(consultation_id=consultation_id, at=now))


async def count_floods(session: AsyncSession, *, consultation_id: str) -> int:
    """How many times anyone was asked to slow down in this consultation."""
    total = await session.scalar(
        select(func.count())
        .select_from(FloodEvent)
        .where(FloodEvent.consultation_id == consultation_id)
    )
    return total or 0
