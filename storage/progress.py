"""The respondent's place in the flow, saved with compare-and-set so racing handlers can't both win.

The state is the engine's serialisable dict, stored as JSON text. Each save names the version
it loaded; the stored version then goes up by one. A save from a stale load raises StaleProgress
without touching the row, on SQLite and on PostgreSQL alike, and leaves the transaction usable.
"""

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import StaleProgress
from storage.models import Progress, Respondent
from storage.rows import FoundRespondent
from storage.upsert import PerDialect

_progress = Progress.__table__
_respondents = Respondent.__table__

# Built once: each call only binds its values (see storage.upsert.PerDialect).
_LOAD = select(_progress.c.state, _progress.c.version).where(
    _progress.c.respondent_id == bindparam("b_respondent")
)
_LOAD_PEOPLE = (
    select(
        _respondents.c.pseudonym,
        _respondents.c.id,
        _respondents.c.chat_id,
        _respondents.c.unreachable_at,
        _progress.c.state,
        _progress.c.version,
    )
    .select_from(_respondents.outerjoin(_progress))
    .where(
        _respondents.c.consultation_id == bindparam("b_consultation"),
        _respondents.c.pseudonym.in_(bindparam("b_pseudonyms", expanding=True)),
    )
)
_FIRST_SAVE = PerDialect(
    lambda insert: (
        insert(_progress)
        .on_conflict_do_nothing(index_elements=["respondent_id"])
        .returning(_progress.c.version)
    )
)
_SAVE = (
    update(_progress)
    .where(
        _progress.c.respondent_id == bindparam("b_respondent"),
        _progress.c.version == bindparam("b_expected"),
    )
    .values(
        state=bindparam("b_state"), version=bindparam("b_version"), updated_at=bindparam("b_now")
    )
    .returning(_progress.c.version)
)


async def load_progress(
    session: AsyncSession, *, respondent_id: int
) -> tuple[dict[str, Any] | None, int]:
    """The stored state and its version; (None, 0) when nothing is stored yet."""
    row = (await session.execute(_LOAD, {"b_respondent": respondent_id})).one_or_none()
    if row is None:
        return None, 0
    return json.loads(row.state), row.version


@dataclass(frozen=True, slots=True)
class Loaded:
    """A respondent found by pseudonym, with their stored state (None if none) and its version."""

    respondent: FoundRespondent
    state: dict[str, Any] | None
    version: int


async def load_people(
    session: AsyncSession, *, consultation_id: str, pseudonyms: Collection[str]
) -> dict[str, Loaded]:
    """Each stored respondent among `pseudonyms`, with their progress, in one statement; the
    people not stored yet are absent. As `find_respondent` then `load_progress`, for a batch."""
    if not pseudonyms:
        return {}
    rows = await session.execute(
        _LOAD_PEOPLE, {"b_consultation": consultation_id, "b_pseudonyms": list(pseudonyms)}
    )
    return {
        alias: Loaded(
            FoundRespondent(respondent_id, chat_id, unreachable_at),
            None if state is None else json.loads(state),
            version or 0,
        )
        for alias, respondent_id, chat_id, unreachable_at, state, version in rows
    }


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
        saved = await session.execute(
            _FIRST_SAVE.get(session),
            {
                "respondent_id": respondent_id,
                "state": encoded,
                "version": new_version,
                "updated_at": now,
            },
        )
    else:
        saved = await session.execute(
            _SAVE,
            {
                "b_respondent": respondent_id,
                "b_expected": expected_version,
                "b_state": encoded,
                "b_version": new_version,
                "b_now": now,
            },
        )
    if saved.scalar_one_or_none() is None:
        raise StaleProgress(respondent_id, expected_version)
    return new_version
