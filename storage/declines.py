"""People who said no to consent, counted by audience and source; nobody is stored.

A decline keeps nothing about the person (see `ConsultationService`); this counter is what lets
the evidence record say how many people were asked and said no.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeclineCount
from storage.rows import DeclineTally
from storage.upsert import insert_for

UNKNOWN = ""
"""Stored for an audience or source not known when the person declined."""


async def count_decline(
    session: AsyncSession, *, consultation_id: str, audience: str | None, source: str | None
) -> None:
    """Add one to the count of declines for this audience and source."""
    table = DeclineCount.__table__
    statement = insert_for(session, table).values(
        consultation_id=consultation_id,
        audience=audience or UNKNOWN,
        source=source or UNKNOWN,
        declines=1,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["consultation_id", "audience", "source"],
        set_={"declines": table.c.declines + 1},
    )
    await session.execute(statement)


async def decline_tallies(session: AsyncSession, *, consultation_id: str) -> list[DeclineTally]:
    """Every count of declines, by audience then source."""
    result = await session.execute(
        select(DeclineCount.audience, DeclineCount.source, DeclineCount.declines)
        .where(DeclineCount.consultation_id == consultation_id)
        .order_by(DeclineCount.audience, DeclineCount.source)
    )
    return [
        DeclineTally(audience or None, source or None, declines)
        for audience, source, declines in result
    ]
