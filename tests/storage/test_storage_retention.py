"""Retention: after the promised period, chat ids go, and responses too when configured."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from conversations.outputs import Answer
from storage.answers import record_answers
from storage.audit import recent_audit
from storage.models import Answer as AnswerRow
from storage.models import Progress, Respondent
from storage.progress import save_progress
from storage.retention import purge_expired
from storage.rows import PurgeCounts

CLOSES_AT = datetime(2022, 9, 23, 23, 0, tzinfo=UTC)
DEADLINE = CLOSES_AT + timedelta(days=90)


async def _respond(sessions, make_respondent, user_id: int, consultation_id: str) -> None:
    respondent = await make_respondent(user_id, consultation_id=consultation_id)
    async with sessions() as session, session.begin():
        await save_progress(
            session, respondent_id=respondent.id, state={}, expected_version=0, now=CLOSES_AT
        )
        await record_answers(
            session,
            respondent_id=respondent.id,
            answers=[Answer("a", "q1", "Q1?", "yes", "Yes"), Answer("a", "q2", "Q2?", None, "-")],
            consultation_version="v1",
            now=CLOSES_AT,
        )


async def _purge(sessions, *, now: datetime, delete_responses: bool) -> PurgeCounts:
    async with sessions() as session, session.begin():
        return await purge_expired(
            session,
            consultation_id="closing",
            closes_at=CLOSES_AT,
            retention_days=90,
            delete_responses=delete_responses,
            now=now,
        )


async def _count(sessions, query) -> int:
    async with sessions() as session:
        return (await session.execute(query)).scalar_one()


async def _setup(sessions, make_respondent) -> None:
    await _respond(sessions, make_respondent, 1, "closing")
    await _respond(sessions, make_respondent, 2, "closing")
    await _respond(sessions, make_respondent, 3, "still-open")


async def test_nothing_is_purged_before_the_retention_period_ends(sessions, make_respondent):
    await _setup(sessions, make_respondent)
    counts = await _purge(sessions, now=DEADLINE - timedelta(seconds=1), delete_responses=True)
    assert counts == PurgeCounts()
    chat_ids = select(func.count(Respondent.chat_id))
    assert await _count(sessions, chat_ids) == 3
    async with sessions() as session:
        assert await recent_audit(session) == []


async def test_after_the_period_chat_ids_are_cleared_and_answers_kept(sessions, make_respondent):
    await _setup(sessions, make_respondent)
    counts = await _purge(sessions, now=DEADLINE, delete_responses=False)
    assert counts == PurgeCounts(chat_ids_cleared=2)
    closing_chat_ids = select(func.count(Respondent.chat_id)).where(
        Respondent.consultation_id == "closing"
    )
    assert await _count(sessions, closing_chat_ids) == 0
    assert await _count(sessions, select(func.count(Respondent.chat_id))) == 1
    assert await _count(sessions, select(func.count()).select_from(AnswerRow)) == 6


async def test_with_delete_responses_everything_of_the_consultation_goes(sessions, make_respondent):
    await _setup(sessions, make_respondent)
    counts = await _purge(sessions, now=DEADLINE, delete_responses=True)
    assert counts == PurgeCounts(
        chat_ids_cleared=2, respondents_deleted=2, answers_deleted=4, progress_deleted=2
    )
    assert await _count(sessions, select(func.count()).select_from(Respondent)) == 1
    assert await _count(sessions, select(func.count()).select_from(AnswerRow)) == 2
    assert await _count(sessions, select(func.count()).select_from(Progress)) == 1


async def test_a_purge_is_audited_once_however_often_it_runs(sessions, make_respondent):
    await _setup(sessions, make_respondent)
    await _purge(sessions, now=DEADLINE, delete_responses=True)
    again = await _purge(sessions, now=DEADLINE + timedelta(days=1), delete_responses=True)
    assert again == PurgeCounts()
    async with sessions() as session:
        [entry] = await recent_audit(session)
    assert (entry.action, entry.actor, entry.rows, entry.at) == ("purge", "retention", 10, DEADLINE)
    assert "closing" in entry.detail
