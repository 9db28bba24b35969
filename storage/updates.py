"""Telegram updates already handled, so a re-delivered update changes nothing.

The claim is written in the same unit of work as the update's effects: if that rolls back, the
claim goes too and the re-delivery is handled afresh; if it commits, the re-delivery is skipped.
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.upsert import PerDialect

_processed = ProcessedUpdate.__table__
_CLAIM = PerDialect(
    lambda insert: (
        insert(_processed)
        .on_conflict_do_nothing(index_elements=["scope", "update_id"])
        .returning(_processed.c.update_id)
    )
)


async def claim_update(session: AsyncSession, *, scope: str, update_id: int, now: datetime) -> bool:
    """Record the update as processed; False if it already was (then do nothing with it).

    `scope` names the bot (or consultation) whose update ids these are. On PostgreSQL a second
    transaction claiming the same update waits for the first and then gets False.
    """
    return update_id in await claim_updates(session, scope=scope, update_ids=[update_id], now=now)


async def claim_updates(
    session: AsyncSession, *, scope: str, update_ids: Collection[int], now: datetime
) -> set[int]:
    """Record each update as processed, all in one statement; return the ids claimed now (the
    others were handled before: do nothing with them). As `claim_update`, for a batch."""
    if not update_ids:
        return set()
    rows = [
        {"scope": scope, "update_id": update_id, "processed_at": now} for update_id in update_ids
    ]
    claimed = await session.execute(_CLAIM.get(session), rows)
    return set(claimed.scalars())


async def forget_processed_updates(session: AsyncSession, *, before: datetime) -> int:
    """Delete claims older than `before` (Telegram stops re-delivering after a day or so)."""
    deleted = await session.execute(delete(_processed).where(_processed.c.processed_at < before))
    return deleted.rowcount
