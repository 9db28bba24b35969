"""Respondents: pseudonymous, created once however many updates race, updated and erased."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from conversations.outputs import Answer
from storage.answers import record_answers
from storage.audit import recent_audit
from storage.errors import RespondentNotFound, StorageError
from storage.identity import pseudonym
from storage.models import Answer as AnswerRow
from storage.models import AuditEntry, Progress, Respondent
from storage.progress import load_progress, save_progress
from storage.respondents import (
    RespondentChange,
    erase_respondent,
    find_respondent,
    get_or_create_respondent,
    get_respondent,
    update_many_respondents,
    update_respondent,
)

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2022, 9, 2, 12, 0, tzinfo=UTC)
CONSULTATION = "send-strategy-2022"


def test_a_pseudonym_is_stable_keyed_and_never_the_user_id():
    first = pseudonym(b"secret", 123456789)
    assert first == pseudonym(b"secret", 123456789)
    assert first != pseudonym(b"other secret", 123456789)
    assert first != pseudonym(b"secret", 123456780)
    assert "123456789" not in first
    assert len(first) == 64


def test_a_pseudonym_needs_a_secret():
    with pytest.raises(StorageError, match="secret"):
        pseudonym(b"", 1)


async def _get_or_create(sessions, *, chat_id: int | None = 1, now: datetime = NOW) -> Respondent:
    async with sessions() as session, session.begin():
        return await get_or_create_respondent(
            session, consultation_id=CONSULTATION, pseudonym="p1", chat_id=chat_id, now=now
        )


async def test_the_same_person_is_the_same_respondent_next_time(sessions):
    first = await _get_or_create(sessions)
    again = await _get_or_create(sessions, now=LATER)
    assert again.id == first.id
    assert again.created_at == NOW


async def test_many_first_messages_at_once_create_one_respondent(sessions):
    created = await asyncio.gather(*(_get_or_create(sessions) for _ in range(20)))
    assert len({respondent.id for respondent in created}) == 1
    async with sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Respondent))).scalar() == 1


async def test_the_same_person_in_another_consultation_is_another_respondent(sessions):
    first = await _get_or_create(sessions)
    async with sessions() as session, session.begin():
        other = await get_or_create_respondent(
            session, consultation_id="another", pseudonym="p1", chat_id=1, now=NOW
        )
    assert other.id != first.id


async def test_writing_again_updates_the_chat_id_and_clears_unreachable(sessions):
    respondent = await _get_or_create(sessions, chat_id=1)
    async with sessions() as session, session.begin():
        await update_respondent(session, respondent_id=respondent.id, unreachable_at=NOW)
    again = await _get_or_create(sessions, chat_id=2)
    assert (again.chat_id, again.unreachable_at) == (2, None)


async def test_updating_a_respondent_sets_only_the_fields_given(sessions):
    respondent = await _get_or_create(sessions)
    async with sessions() as session, session.begin():
        await update_respondent(
            session,
            respondent_id=respondent.id,
            audience="young_person",
            source="school-poster",
            consent_at=NOW,
            wants_reminder=True,
        )
        await update_respondent(session, respondent_id=respondent.id, finished_at=LATER)
    async with sessions() as session:
        stored = await get_respondent(session, respondent_id=respondent.id)
    assert (stored.audience, stored.source, stored.consent_at, stored.finished_at) == (
        "young_person",
        "school-poster",
        NOW,
        LATER,
    )
    assert (stored.wants_reminder, stored.wants_outcome, stored.chat_id) == (True, None, 1)


async def test_updating_refreshes_a_respondent_already_loaded_in_the_session(sessions):
    async with sessions() as session, session.begin():
        respondent = await get_or_create_respondent(
            session, consultation_id=CONSULTATION, pseudonym="p1", chat_id=1, now=NOW
        )
        await update_respondent(session, respondent_id=respondent.id, audience="parent_carer")
        assert respondent.audience == "parent_carer"


async def test_updating_an_unknown_field_or_respondent_is_refused(sessions):
    respondent = await _get_or_create(sessions)
    async with sessions() as session, session.begin():
        with pytest.raises(StorageError, match="pseudonym"):
            await update_respondent(session, respondent_id=respondent.id, pseudonym="x")
        with pytest.raises(RespondentNotFound):
            await update_respondent(session, respondent_id=respondent.id + 1, audience="x")


async def test_updating_many_sets_on_each_only_the_fields_its_change_names(sessions):
    async with sessions() as session, session.begin():
        ids = [
            (
                await get_or_create_respondent(
                    session, consultation_id=CONSULTATION, pseudonym=f"p{n}", chat_id=n, now=NOW
                )
            ).id
            for n in range(3)
        ]
        await update_respondent(session, respondent_id=ids[1], audience="young_person")
    async with sessions() as session, session.begin():
        await update_many_respondents(
            session,
            [
                RespondentChange(ids[0], {"audience": "parent_carer", "consent_at": NOW}),
                RespondentChange(ids[1], {"finished_at": LATER, "wants_reminder": False}),
            ],
        )
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    Respondent.audience,
                    Respondent.consent_at,
                    Respondent.finished_at,
                    Respondent.wants_reminder,
                )
                .where(Respondent.id.in_(ids))
                .order_by(Respondent.id)
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("parent_carer", NOW, None, None),
        ("young_person", None, LATER, False),
        (None, None, None, None),
    ]


async def test_updating_many_refuses_an_unknown_field_before_writing_any(sessions):
    respondent = await _get_or_create(sessions)
    async with sessions() as session, session.begin():
        with pytest.raises(StorageError, match="pseudonym"):
            await update_many_respondents(
                session,
                [
                    RespondentChange(respondent.id, {"audience": "x"}),
                    RespondentChange(respondent.id + 1, {"pseudonym": "x"}),
                ],
            )
        assert (await get_respondent(session, respondent_id=respondent.id)).audience is None


async def test_finding_a_respondent_never_creates_one(sessions):
    async with sessions() as session:
        assert await find_respondent(session, consultation_id=CONSULTATION, pseudonym="p1") is None
    respondent = await _get_or_create(sessions)
    async with sessions() as session:
        found = await find_respondent(session, consultation_id=CONSULTATION, pseudonym="p1")
    assert found.id == respondent.id


async def _with_answers_and_progress(sessions, user_id: int) -> Respondent:
    async with sessions() as session, session.begin():
        respondent = await get_or_create_respondent(
            session,
            consultation_id=CONSULTATION,
            pseudonym=pseudonym(b"secret", user_id),
            chat_id=user_id,
            now=NOW,
        )
        await save_progress(
            session, respondent_id=respondent.id, state={"at": "q:x"}, expected_version=0, now=NOW
        )
        await record_answers(
            session,
            respondent_id=respondent.id,
            answers=[
                Answer("inclusion", "important", "Important?", "yes", "Yes"),
                Answer("inclusion", "why", "Why?", "My son waited two years", "My son waited"),
            ],
            consultation_version="v1",
            now=NOW,
        )
    return respondent


async def _count(session, model, **where) -> int:
    query = select(func.count()).select_from(model).filter_by(**where)
    return (await session.execute(query)).scalar_one()


async def test_erasure_removes_answers_progress_and_chat_id(sessions):
    erased = await _with_answers_and_progress(sessions, 5550001)
    kept = await _with_answers_and_progress(sessions, 5550002)

    async with sessions() as session, session.begin():
        assert await erase_respondent(session, respondent_id=erased.id, now=LATER) == 2

    async with sessions() as session:
        assert await get_respondent(session, respondent_id=erased.id) is None
        assert await _count(session, AnswerRow, respondent_id=erased.id) == 0
        assert await _count(session, Progress, respondent_id=erased.id) == 0
        assert await _count(session, Respondent, chat_id=5550001) == 0
        assert await _count(session, AnswerRow, respondent_id=kept.id) == 2
        assert await load_progress(session, respondent_id=kept.id) == ({"at": "q:x"}, 1)


async def test_erasure_is_audited_without_saying_whose(sessions):
    erased = await _with_answers_and_progress(sessions, 5550001)
    async with sessions() as session, session.begin():
        await erase_respondent(session, respondent_id=erased.id, now=LATER)

    async with sessions() as session:
        [entry] = await recent_audit(session)
        stored = " ".join(
            str(value)
            for row in await session.execute(select(AuditEntry.__table__))
            for value in row
        )
    assert (entry.action, entry.actor, entry.rows, entry.at) == ("erase", "respondent", 2, LATER)
    for personal in ("5550001", erased.pseudonym, f"R{erased.id}", "My son"):
        assert personal not in stored


async def test_erasure_in_the_unit_of_work_that_loaded_the_respondent(sessions):
    erased = await _with_answers_and_progress(sessions, 5550001)
    async with sessions() as session, session.begin():
        respondent = await get_or_create_respondent(
            session,
            consultation_id=CONSULTATION,
            pseudonym=erased.pseudonym,
            chat_id=5550001,
            now=NOW,
        )
        await erase_respondent(session, respondent_id=respondent.id, now=LATER)
    async with sessions() as session:
        assert await get_respondent(session, respondent_id=erased.id) is None


async def test_erasing_twice_says_the_respondent_is_gone(sessions):
    erased = await _with_answers_and_progress(sessions, 5550001)
    async with sessions() as session, session.begin():
        await erase_respondent(session, respondent_id=erased.id, now=LATER)
        with pytest.raises(RespondentNotFound):
            await erase_respondent(session, respondent_id=erased.id, now=LATER)
