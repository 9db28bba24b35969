"""Respondents: finding or creating them, recording what happened to them, erasing them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal, TypedDict, Unpack

from sqlalchemy import Boolean, Update, bindparam, case, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.audit import AuditAction, add_audit
from storage.errors import RespondentNotFound, StorageError
from storage.models import Answer, Progress, Respondent
from storage.rows import FoundRespondent
from storage.upsert import insert_for

_respondents = Respondent.__table__


class RespondentFields(TypedDict, total=False):
    """What `update_respondent` may change. Times must be timezone-aware."""

    chat_id: int | None
    audience: str | None
    language: str | None
    source: str | None
    consent_at: datetime | None
    finished_at: datetime | None
    unreachable_at: datetime | None
    wants_reminder: bool | None
    wants_outcome: bool | None
    reminded_at: datetime | None
    told_closed_at: datetime | None


async def get_or_create_respondent(
    session: AsyncSession,
    *,
    consultation_id: str,
    pseudonym: str,
    chat_id: int | None,
    now: datetime,
) -> Respondent:
    """The respondent with this pseudonym in this consultation, created on first contact.

    Safe when two updates from one new person arrive at once: the insert does nothing if the row
    exists (or is being inserted: PostgreSQL waits for that transaction), and the row is then
    read. Someone writing to us is reachable at `chat_id`, so a changed chat id is stored and an
    earlier "unreachable" mark is cleared.
    """
    await session.execute(
        insert_for(session, Respondent.__table__)
        .values(
            consultation_id=consultation_id, pseudonym=pseudonym, chat_id=chat_id, created_at=now
        )
        .on_conflict_do_nothing(index_elements=["consultation_id", "pseudonym"])
    )
    respondent = (
        await session.execute(
            select(Respondent)
            .where(Respondent.consultation_id == consultation_id, Respondent.pseudonym == pseudonym)
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    if chat_id is not None and (
        respondent.chat_id != chat_id or respondent.unreachable_at is not None
    ):
        respondent.chat_id = chat_id
        respondent.unreachable_at = None
        await session.flush()
    return respondent


_FIND = select(  # built once: each call only binds its values
    _respondents.c.id, _respondents.c.chat_id, _respondents.c.unreachable_at
).where(
    _respondents.c.consultation_id == bindparam("b_consultation"),
    _respondents.c.pseudonym == bindparam("b_pseudonym"),
)


async def find_respondent(
    session: AsyncSession, *, consultation_id: str, pseudonym: str
) -> FoundRespondent | None:
    """The respondent with this pseudonym, or None; never creates one."""
    await _flush_pending(session)
    row = (
        await session.execute(_FIND, {"b_consultation": consultation_id, "b_pseudonym": pseudonym})
    ).one_or_none()
    return None if row is None else FoundRespondent(*row)


async def get_respondent(session: AsyncSession, *, respondent_id: int) -> Respondent | None:
    """The respondent with this id, or None."""
    return await session.get(Respondent, respondent_id)


async def update_respondent(
    session: AsyncSession, *, respondent_id: int, **fields: Unpack[RespondentFields]
) -> None:
    """Set the given fields (audience, consent_at, finished_at, wants_reminder, ...).

    Raises StorageError for a field not in `RespondentFields`, RespondentNotFound if there is no
    such respondent. A loaded `Respondent` object in the session is updated too.
    """
    _check_fields(fields)
    if not fields:
        return
    await _flush_pending(session)
    values: dict[str, Any] = {f"b_{name}": value for name, value in fields.items()}
    values["b_id"] = respondent_id
    updated = await session.execute(_update_statement(frozenset(fields)), values)
    if updated.scalar_one_or_none() is None:
        raise RespondentNotFound(respondent_id)
    _sync_loaded(session, respondent_id, fields)


@dataclass(frozen=True, slots=True)
class RespondentChange:
    """Fields to set on one respondent, to be stored with others' in one statement."""

    respondent_id: int
    fields: Mapping[str, Any]
    """Names and values as `RespondentFields` allows them."""


async def update_many_respondents(
    session: AsyncSession, changes: Sequence[RespondentChange]
) -> None:
    """As `update_respondent` for each of `changes` (different respondents, each known to exist
    in this transaction), in one statement: an executemany of one UPDATE that sets, on each row,
    only the fields its change names (`CASE WHEN :set THEN :value ELSE column END`).

    Unlike `update_respondent` it does not look for a missing respondent: the hot path changes
    only people it has just read or created, under their progress row's compare-and-set.
    """
    for change in changes:
        _check_fields(change.fields)
    changes = [change for change in changes if change.fields]
    if not changes:
        return
    await _flush_pending(session)
    names = frozenset(name for change in changes for name in change.fields)
    rows: list[dict[str, Any]] = []
    for change in changes:
        row: dict[str, Any] = {"b_id": change.respondent_id}
        for name in names:
            row[f"b_set_{name}"] = name in change.fields
            row[f"b_{name}"] = change.fields.get(name)
        rows.append(row)
    await session.execute(_many_statement(names), rows[0] if len(rows) == 1 else rows)
    for change in changes:
        _sync_loaded(session, change.respondent_id, change.fields)


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - RespondentFields.__optional_keys__
    if unknown:
        raise StorageError(f"update_respondent cannot set {', '.join(sorted(unknown))}")


def _sync_loaded(session: AsyncSession, respondent_id: int, fields: Mapping[str, Any]) -> None:
    """Give a loaded `Respondent` object in the session the values just stored."""
    loaded = session.identity_map.get(
        Respondent.__mapper__.identity_key_from_primary_key((respondent_id,))
    )
    if loaded is not None:
        for name, value in fields.items():
            set_committed_value(loaded, name, value)


async def mark_chat_unreachable(session: AsyncSession, *, chat_id: int, now: datetime) -> int:
    """Telegram refused a message to `chat_id` for good (the person blocked the bot): mark every
    respondent at that chat unreachable, so reminders and news skip them; returns how many."""
    marked = await session.execute(
        update(_respondents)
        .where(_respondents.c.chat_id == chat_id, _respondents.c.unreachable_at.is_(None))
        .values(unreachable_at=now)
    )
    return marked.rowcount


@cache  # one statement per set of fields, built on first use
def _update_statement(names: frozenset[str]) -> Update:
    """update_respondent's UPDATE of `names`, returning the id (None: no such respondent)."""
    return (
        update(_respondents)
        .where(_respondents.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in sorted(names)})
        .returning(_respondents.c.id)
    )


@cache  # one statement per set of fields, built on first use
def _many_statement(names: frozenset[str]) -> Update:
    """update_many_respondents's UPDATE: each of `names` set only where its b_set_ flag is."""
    return (
        update(_respondents)
        .where(_respondents.c.id == bindparam("b_id"))
        .values(
            {
                name: case(
                    (
                        bindparam(f"b_set_{name}", type_=Boolean),
                        bindparam(f"b_{name}", type_=_respondents.c[name].type),
                    ),
                    else_=_respondents.c[name],
                )
                for name in sorted(names)
            }
        )
    )


async def _flush_pending(session: AsyncSession) -> None:
    """Flush unsaved ORM changes first, as an ORM statement's autoflush would."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        await session.flush()


async def erase_respondent(
    session: AsyncSession, *, respondent_id: int, now: datetime, actor: str = "respondent"
) -> int:
    """Delete the respondent, their answers and their progress; return how many answers went.

    The chat id goes with the row. The audit entry says that a respondent of the consultation was
    erased and how many answers, by `actor` ("respondent" when they asked themselves, else a
    staff id), and nothing that could identify whom. Raises RespondentNotFound if already gone.
    """
    consultation_id = (
        await session.execute(
            select(Respondent.consultation_id).where(Respondent.id == respondent_id)
        )
    ).scalar_one_or_none()
    if consultation_id is None:
        raise RespondentNotFound(respondent_id)
    answers = await session.execute(delete(Answer).where(Answer.respondent_id == respondent_id))
    await session.execute(delete(Progress).where(Progress.respondent_id == respondent_id))
    await session.execute(delete(Respondent).where(Respondent.id == respondent_id))
    await add_audit(
        session,
        actor=actor,
        action=AuditAction.ERASE,
        detail=f"erased one respondent of {consultation_id}: answers, progress and chat id",
        rows=answers.rowcount,
        now=now,
    )
    return answers.rowcount


MarkColumn = Literal["reminded_at", "told_closed_at"]
"""The once-only marks: a message that must reach each person at most once."""


async def mark_once(
    session: AsyncSession, *, respondent_id: int, column: MarkColumn, now: datetime
) -> bool:
    """Set the respondent's `column` to `now` unless it is set already; True if this set it.

    One compare-and-set statement: of two transactions marking the same person, PostgreSQL
    makes the second wait and then finds the column set; SQLite runs them one after the other.
    The caller commits, as with every helper here.
    """
    marked = getattr(Respondent, column)
    result = await session.execute(
        update(Respondent)
        .where(Respondent.id == respondent_id, marked.is_(None))
        .values({marked: now})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
