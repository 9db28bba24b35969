"""The respondent's place in the flow, saved with compare-and-set so racing handlers can't both win.

The state is the engine's serialisable dict, stored as JSON text. Each save names the version
it loaded; the stored version then goes up by one. A save from a stale load raises StaleProgress
without touching the row, on SQLite and on PostgreSQL alike, and leaves the transaction usable.
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import StaleProgress
from storage.models import Progress
from storage.upsert import insert_for

_progress = Progress.__table__


async def load_progress(
    session: AsyncSession, *, respondent_id: int
) -> tuple[dict[str, Any] | None, int]:
    """The stored state and its version; (None, 0) when nothing is stored yet."""
    row = (
        await session.execute(
            select(_progress.c.state, _progress.c.version).where(
                _progress.c.respondent_id == respondent_id
            )
        )
    ).one_or_none()
    if row is None:
        return None, 0
    return json.loads(row.state), row.version


async def save_progress(
    session: AsyncSession,
    *,
    respondent_id: int,
    state: Mapping[str, Any],
    expected_version: int,
    now: datetime,
) -> int:
    """Store `state` if the stored version is still `expected_version`; return the new version.

    `expected_version` is what `load_progress` returned (0 for "nothing stored yet"). Raises
    StaleProgress if another unit of work saved in between; the caller should roll back and
    handle its input again from a fresh load.
    """
    encoded = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    new_version = expected_version + 1
    if expected_version == 0:
        statement = (
            insert_for(session, _progress)
            .values(respondent_id=respondent_id, state=encoded, version=new_version, updated_at=now)
            .on_conflict_do_nothing(index_elements=["respondent_id"])
            .returning(_progress.c.version)
        )
    else:
        statement = (
            update(_progress)
            .where(
                _progress.c.respondent_id == respondent_id,
                _progress.c.version == expected_version,
            )
            .values(state=encoded, version=new_version, updated_at=now)
            .returning(_progress.c.version)
        )
    if (await session.execute(statement)).scalar_one_or_none() is None:
        raise StaleProgress(respondent_id, expected_version)
    return new_version
