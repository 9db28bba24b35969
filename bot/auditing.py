"""Writing one audit entry in a unit of work of its own, for actions that store nothing else."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.audit import add_audit


async def audit_alone(
    sessions: async_sessionmaker[AsyncSession],
    *,
    actor: str,
    action: str,
    detail: str,
    rows: int | None,
    now: datetime,
) -> None:
    """Record an action (a refusal, a view) that changes nothing else, committed at once."""
    async with sessions() as session, session.begin():
        await add_audit(session, actor=actor, action=action, detail=detail, rows=rows, now=now)
