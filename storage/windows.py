"""Staff overrides of a consultation's opening and closing times (close, reopen, extend).

The consultation file holds the planned dates; an override, when set, wins. "Closed" stays a
rule over the clock: callers compare now with the effective closing time on every message.
"""

from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import AuditAction, add_audit
from storage.models import ConsultationWindow, WindowChange
from storage.rows import WindowChangeRecord, WindowOverride
from storage.upsert import insert_for

_windows = ConsultationWindow.__table__
_GET = select(  # built once: each call only binds the consultation id
    _windows.c.consultation_id,
    _windows.c.opens_at,
    _windows.c.closes_at,
    _windows.c.updated_at,
    _windows.c.updated_by,
).where(_windows.c.consultation_id == bindparam("b_consultation"))


async def get_window_override(
    session: AsyncSession, *, consultation_id: str
) -> WindowOverride | None:
    """Staff's dates for the consultation, or None if the file's dates stand."""
    row = (await session.execute(_GET, {"b_consultation": consultation_id})).one_or_none()
    return None if row is None else WindowOverride(*row)


async def set_window_override(
    session: AsyncSession,
    *,
    consultation_id: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    actor: str,
    now: datetime,
    reason: str | None = None,
) -> WindowOverride:
    """Set (or replace) the override; None for either date means "use the file's".

    Audited, and kept in the history of changes with staff's reason, if they gave one.
    """
    statement = insert_for(session, _windows).values(
        consultation_id=consultation_id,
        opens_at=opens_at,
        closes_at=closes_at,
        updated_at=now,
        updated_by=actor,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["consultation_id"],
        set_={
            name: statement.excluded[name]
            for name in ("opens_at", "closes_at", "updated_at", "updated_by")
        },
    )
    await session.execute(statement)
    await session.execute(
        insert(WindowChange).values(
            consultation_id=consultation_id,
            at=now,
            actor=actor,
            opens_at=opens_at,
            closes_at=closes_at,
            reason=reason or None,
        )
    )
    await add_audit(
        session,
        actor=actor,
        action=AuditAction.WINDOW,
        detail=(f"{consultation_id}: opens {_describe(opens_at)}, closes {_describe(closes_at)}"),
        rows=1,
        now=now,
    )
    return WindowOverride(consultation_id, opens_at, closes_at, now, actor)


async def window_changes(
    session: AsyncSession, *, consultation_id: str
) -> list[WindowChangeRecord]:
    """Every change staff made to the dates, oldest first."""
    result = await session.execute(
        select(
            WindowChange.at,
            WindowChange.actor,
            WindowChange.opens_at,
            WindowChange.closes_at,
            WindowChange.reason,
        )
        .where(WindowChange.consultation_id == consultation_id)
        .order_by(WindowChange.at, WindowChange.id)
    )
    return [WindowChangeRecord(*row) for row in result]


def _describe(moment: datetime | None) -> str:
    return "as in the consultation file" if moment is None else moment.isoformat()
