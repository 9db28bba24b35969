"""The audit log: every administrative and privacy action, who did it, when, and how many rows.

Callers write the entry in the same unit of work as the action, so the log never claims an
action that was rolled back, and never misses one that was committed.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry
from storage.rows import AuditRecord


class AuditAction(StrEnum):
    """Actions storage records itself; the bot may record others (export, stats, close...)."""

    ERASE = "erase"
    PURGE = "purge"
    WINDOW = "window"


async def add_audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    detail: str,
    rows: int | None,
    now: datetime,
) -> None:
    """Add one entry. `actor` is a staff id or a role such as "respondent"; never personal data."""
    await session.execute(
        insert(AuditEntry).values(at=now, actor=actor, action=action, detail=detail, rows=rows)
    )


async def recent_audit(session: AsyncSession, *, limit: int = 100) -> list[AuditRecord]:
    """The latest entries, newest first."""
    result = await session.execute(
        select(
            AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.detail, AuditEntry.rows
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [AuditRecord(*row) for row in result]


async def whole_audit_log(session: AsyncSession) -> list[AuditRecord]:
    """Every entry, oldest first, for the evidence record."""
    result = await session.execute(
        select(
            AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.detail, AuditEntry.rows
        ).order_by(AuditEntry.at, AuditEntry.id)
    )
    return [AuditRecord(*row) for row in result]
