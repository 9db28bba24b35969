"""The respondent's place in the flow, saved with compare-and-set so racing handlers can't both win.

The state is the engine's serialisable dict, stored as JSON text. Each save names the version
it loaded; the stored version then goes up by one. A save from a stale load raises StaleProgress
without touching the row, on SQLite and on PostgreSQL alike, and leaves the transaction usable.
"""

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Text, Update, and_, bindparam, case, or_, select, update
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
        .returning(_progress.c.respondent_id)
    )
)


@cache  # one statement per count of saves, built on first use
def _saves_statement(count: int) -> Update:
    """The compare-and-set of `count` saves in one statement: UPDATE progress SET state = CASE
    respondent_id WHEN .. THEN .. END, version = version + 1 WHERE (respondent_id = r0 AND
    version = v0) OR ... RETURNING respondent_id."""
    ids = [bindparam(f"b_respondent_{n}") for n in range(count)]
    return (
        update(_progress)
        .where(
            or_(
                *(
                    and_(
                        _progress.c.respondent_id == ids[n],
                        _progress.c.version == bindparam(f"b_expected_{n}"),
                    )
                    for n in range(count)
                )
            )
        )
        .values(
            state=case(
                *(
                    (_progress.c.respondent_id == ids[n], bindparam(f"b_state_{n}", type_=Text))
                    for n in range(count)
                )
            ),
            version=_progress.c.version + 1,
            updated_at=bindparam("b_now"),
        )
        .returning(_progress.c.respondent_id)
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
class ProgressSave:
    """One respondent's new state, to be stored if their stored version is still `expected`."""

    respondent_id: int
    state: Mapping[str, Any]
    expected_version: int


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
    await save_many_progress(
        session, saves=[ProgressSave(respondent_id, state, expected_version)], now=now
    )
    return expected_version + 1


async def save_many_progress(
    session: AsyncSession, *, saves: Sequence[ProgressSave], now: datetime
) -> None:
    """As `save_progress` for each of `saves` (different respondents), in at most two statements:
    one for the first saves, one compare-and-set for the rest. Raises StaleProgress, naming the
    first save refused, if any was: the caller rolls back, so none of them is kept."""
    first = [save for save in saves if save.expected_version == 0]
    later = [save for save in saves if save.expected_version != 0]
    stored: set[int] = set()
    if first:
        rows = [
            {
                "respondent_id": save.respondent_id,
                "state": _encode(save.state),
                "version": 1,
                "updated_at": now,
            }
            for save in first
        ]
        stored |= set((await session.execute(_FIRST_SAVE.get(session), rows)).scalars())
    if later:
        values: dict[str, Any] = {"b_now": now}
        for n, save in enumerate(later):
            values[f"b_respondent_{n}"] = save.respondent_id
            values[f"b_expected_{n}"] = save.expected_version
            values[f"b_state_{n}"] = _encode(save.state)
        stored |= set((await session.execute(_saves_statement(len(later)), values)).scalars())
    for save in saves:
        if save.respondent_id not in stored:
            raise StaleProgress(save.respondent_id, save.expected_version)


def _encode(state: Mapping[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))
