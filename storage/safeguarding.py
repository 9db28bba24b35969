"""Safeguarding alerts: what was typed, where, and what staff did about it (seen, handled)."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SafeguardingAlert


class AlertStatus(StrEnum):
    """Where an alert stands: open until someone marks it handled."""

    OPEN = "open"
    SEEN = "seen"
    HANDLED = "handled"


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One alert as staff read it. `respondent` is the respondent's number (R<respondent>)."""

    id: int
    respondent: int
    audience: str | None
    at: str
    question: str
    text: str
    phrases: str
    categories: str
    created_at: datetime
    seen_at: datetime | None
    seen_by: str | None
    handled_at: datetime | None
    handled_by: str | None

    @property
    def status(self) -> AlertStatus:
        """Open, seen or handled."""
        if self.handled_at is not None:
            return AlertStatus.HANDLED
        return AlertStatus.SEEN if self.seen_at is not None else AlertStatus.OPEN


_COLUMNS = (
    SafeguardingAlert.id,
    SafeguardingAlert.respondent_id,
    SafeguardingAlert.audience,
    SafeguardingAlert.at,
    SafeguardingAlert.question,
    SafeguardingAlert.text,
    SafeguardingAlert.phrases,
    SafeguardingAlert.categories,
    SafeguardingAlert.created_at,
    SafeguardingAlert.seen_at,
    SafeguardingAlert.seen_by,
    SafeguardingAlert.handled_at,
    SafeguardingAlert.handled_by,
)


async def add_alert(
    session: AsyncSession,
    *,
    consultation_id: str,
    respondent_id: int,
    audience: str | None,
    at: str,
    question: str,
    text: str,
    phrases: tuple[str, ...],
    categories: tuple[str, ...],
    now: datetime,
) -> int:
    """Record an alert; returns its number."""
    result = await session.execute(
        insert(SafeguardingAlert)
        .values(
            consultation_id=consultation_id,
            respondent_id=respondent_id,
            audience=audience,
            at=at[:200],
            question=question,
            text=text,
            phrases="; ".join(phrases),
            categories=", ".join(categories)[:200],
            created_at=now,
        )
        .returning(SafeguardingAlert.id)
    )
    return int(result.scalar_one())


async def list_alerts(session: AsyncSession, *, consultation_id: str) -> list[AlertRecord]:
    """Every alert of the consultation, oldest first."""
    result = await session.execute(
        select(*_COLUMNS)
        .where(SafeguardingAlert.consultation_id == consultation_id)
        .order_by(SafeguardingAlert.id)
    )
    return [AlertRecord(*row) for row in result]


async def get_alert(
    session: AsyncSession, *, consultation_id: str, alert_id: int
) -> AlertRecord | None:
    """One alert of the consultation, or None."""
    row = (
        await session.execute(
            select(*_COLUMNS).where(
                SafeguardingAlert.consultation_id == consultation_id,
                SafeguardingAlert.id == alert_id,
            )
        )
    ).one_or_none()
    return None if row is None else AlertRecord(*row)


async def mark_alert(
    session: AsyncSession,
    *,
    consultation_id: str,
    alert_id: int,
    status: AlertStatus,
    by: str,
    now: datetime,
) -> bool:
    """Record that staff `by` saw or handled the alert; False if it already was (or is none).

    The first to see it and the first to handle it are kept; handling marks it seen too.
    """
    alert = SafeguardingAlert
    mine = (alert.consultation_id == consultation_id) & (alert.id == alert_id)
    if status is AlertStatus.SEEN:
        changed = await session.execute(
            update(alert).where(mine, alert.seen_at.is_(None)).values(seen_at=now, seen_by=by)
        )
        return changed.rowcount == 1
    changed = await session.execute(
        update(alert).where(mine, alert.handled_at.is_(None)).values(handled_at=now, handled_by=by)
    )
    await session.execute(
        update(alert).where(mine, alert.seen_at.is_(None)).values(seen_at=now, seen_by=by)
    )
    return changed.rowcount == 1


async def count_open_alerts(session: AsyncSession, *, consultation_id: str) -> int:
    """How many alerts nobody has marked handled yet."""
    result = await session.execute(
        select(func.count())
        .select_from(SafeguardingAlert)
        .where(
            SafeguardingAlert.consultation_id == consultation_id,
            SafeguardingAlert.handled_at.is_(None),
        )
    )
    return int(result.scalar_one())
