"""A prototype: the unit of work's query helpers with statements built once, not per call.

The storage helpers build their statement on every call (`select(...).where(...)`,
`insert_for(...).on_conflict_do_...`, an ORM-enabled `update(Respondent)`), and SQLAlchemy then
walks it to compute its cache key. On this machine that costs more CPU than running it: an
`update_respondent` takes ~285 µs, the same UPDATE built once with bind parameters ~50 µs.

`patched()` swaps these equivalents into bot.service's namespace for one contender's run, so
the real, unchanged `ConsultationService.handle` runs with them; they take and return the
same things (find_respondent returns a row with the attributes the service reads).
"""

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

import bot.service
from storage.answers import AnswerLike
from storage.errors import RespondentNotFound, StaleProgress
from storage.models import Answer, ConsultationWindow, ProcessedUpdate, Progress, Respondent
from storage.rows import WindowOverride

_respondents = Respondent.__table__
_progress = Progress.__table__
_answers = Answer.__table__
_claims = ProcessedUpdate.__table__
_windows = ConsultationWindow.__table__
_DIALECTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}

_FIND = select(_respondents.c.id, _respondents.c.chat_id, _respondents.c.unreachable_at).where(
    _respondents.c.consultation_id == bindparam("b_consultation"),
    _respondents.c.pseudonym == bindparam("b_pseudonym"),
)
_LOAD = select(_progress.c.state, _progress.c.version).where(
    _progress.c.respondent_id == bindparam("b_respondent")
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
_WINDOW = select(
    _windows.c.consultation_id,
    _windows.c.opens_at,
    _windows.c.closes_at,
    _windows.c.updated_at,
    _windows.c.updated_by,
).where(_windows.c.consultation_id == bindparam("b_consultation"))


def _per_dialect(build: Any) -> dict[str, Any]:
    return {name: build(insert) for name, insert in _DIALECTS.items()}


_CLAIM = _per_dialect(
    lambda insert: (
        insert(_claims)
        .on_conflict_do_nothing(index_elements=["scope", "update_id"])
        .returning(_claims.c.update_id)
    )
)
_FIRST_SAVE = _per_dialect(
    lambda insert: (
        insert(_progress)
        .on_conflict_do_nothing(index_elements=["respondent_id"])
        .returning(_progress.c.version)
    )
)


def _upsert(insert: Any) -> Any:
    statement = insert(_answers)
    changed = ("question_text", "value", "label", "consultation_version", "last_answered_at")
    return statement.on_conflict_do_update(
        index_elements=["respondent_id", "area", "question"],
        set_={name: statement.excluded[name] for name in changed},
    )


_RECORD = _per_dialect(_upsert)
_UPDATES: dict[frozenset[str], Any] = {}


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def claim_update(session: AsyncSession, *, scope: str, update_id: int, now: datetime) -> bool:
    """As storage.updates.claim_update."""
    row = {"scope": scope, "update_id": update_id, "processed_at": now}
    result = await session.execute(_CLAIM[_dialect(session)], row)
    return result.scalar_one_or_none() is not None


async def find_respondent(session: AsyncSession, *, consultation_id: str, pseudonym: str) -> Any:
    """As storage.respondents.find_respondent: a row with id, chat_id and unreachable_at."""
    found = await session.execute(
        _FIND, {"b_consultation": consultation_id, "b_pseudonym": pseudonym}
    )
    return found.one_or_none()


async def load_progress(
    session: AsyncSession, *, respondent_id: int
) -> tuple[dict[str, Any] | None, int]:
    """As storage.progress.load_progress."""
    row = (await session.execute(_LOAD, {"b_respondent": respondent_id})).one_or_none()
    return (None, 0) if row is None else (json.loads(row.state), row.version)


async def save_progress(
    session: AsyncSession,
    *,
    respondent_id: int,
    state: Mapping[str, Any],
    expected_version: int,
    now: datetime,
) -> int:
    """As storage.progress.save_progress (compare-and-set on the version)."""
    encoded = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    new_version = expected_version + 1
    if expected_version == 0:
        row = {"respondent_id": respondent_id, "state": encoded, "version": 1, "updated_at": now}
        result = await session.execute(_FIRST_SAVE[_dialect(session)], row)
    else:
        values = {"b_respondent": respondent_id, "b_expected": expected_version}
        values |= {"b_state": encoded, "b_version": new_version, "b_now": now}
        result = await session.execute(_SAVE, values)
    if result.scalar_one_or_none() is None:
        raise StaleProgress(respondent_id, expected_version)
    return new_version


async def record_answers(
    session: AsyncSession,
    *,
    respondent_id: int,
    answers: Iterable[AnswerLike],
    consultation_version: str,
    now: datetime,
) -> int:
    """As storage.answers.record_answers."""
    latest = {
        (answer.area, answer.question): {
            "respondent_id": respondent_id,
            "area": answer.area,
            "question": answer.question,
            "question_text": answer.question_text,
            "value": answer.value,
            "label": answer.label,
            "consultation_version": consultation_version,
            "first_answered_at": now,
            "last_answered_at": now,
        }
        for answer in answers
    }
    rows = list(latest.values())
    if rows:
        await session.execute(_RECORD[_dialect(session)], rows[0] if len(rows) == 1 else rows)
    return len(rows)


async def update_respondent(session: AsyncSession, *, respondent_id: int, **fields: Any) -> None:
    """As storage.respondents.update_respondent (one statement per set of fields, kept)."""
    if not fields:
        return
    names = frozenset(fields)
    statement = _UPDATES.get(names)
    if statement is None:
        statement = (
            update(_respondents)
            .where(_respondents.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in sorted(names)})
        )
        _UPDATES[names] = statement
    values = {f"b_{name}": value for name, value in fields.items()}
    result = await session.execute(statement, {"b_id": respondent_id, **values})
    if not result.rowcount:
        raise RespondentNotFound(respondent_id)


async def get_window_override(
    session: AsyncSession, *, consultation_id: str
) -> WindowOverride | None:
    """As storage.windows.get_window_override."""
    row = (await session.execute(_WINDOW, {"b_consultation": consultation_id})).one_or_none()
    return None if row is None else WindowOverride(*row)


_REPLACED = (
    claim_update,
    find_respondent,
    load_progress,
    save_progress,
    record_answers,
    update_respondent,
    get_window_override,
)


@contextlib.contextmanager
def patched() -> Iterator[None]:
    """Use these helpers in bot.service while the block runs."""
    shipped = {helper.__name__: getattr(bot.service, helper.__name__) for helper in _REPLACED}
    for helper in _REPLACED:
        setattr(bot.service, helper.__name__, helper)
    try:
        yield
    finally:
        for name, helper in shipped.items():
            setattr(bot.service, name, helper)
