"""Processed updates: a re-delivered Telegram update is recognised and changes nothing."""

import asyncio
from datetime import UTC, datetime, timedelta

from conversations.outputs import Answer
from storage.answers import list_answers, record_answers
from storage.identity import pseudonym
from storage.respondents import find_respondent, get_or_create_respondent
from storage.updates import claim_update, claim_updates, forget_processed_updates

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
CONSULTATION = "send-strategy-2022"


async def _handle(sessions, update_id: int, value: str) -> bool:
    """What the bot does with one update carrying one answer; False if skipped."""
    async with sessions() as session, session.begin():
        if not await claim_update(session, scope="bot-1", update_id=update_id, now=NOW):
            return False
        respondent = await get_or_create_respondent(
            session,
            consultation_id=CONSULTATION,
            pseudonym=pseudonym(b"secret", 42),
            chat_id=42,
            now=NOW,
        )
        await record_answers(
            session,
            respondent_id=respondent.id,
            answers=[Answer("inclusion", "important", "Is this important?", value, value)],
            consultation_version="v1",
            now=NOW,
        )
        return True


async def _answers(sessions) -> list:
    async with sessions() as session:
        respondent = await find_respondent(
            session, consultation_id=CONSULTATION, pseudonym=pseudonym(b"secret", 42)
        )
        return await list_answers(session, respondent_id=respondent.id)


async def test_an_update_delivered_twice_records_one_answer(sessions):
    assert await _handle(sessions, 1001, "yes") is True
    assert await _handle(sessions, 1001, "no") is False

    answers = await _answers(sessions)
    assert [answer.value for answer in answers] == ["yes"]


async def test_an_update_delivered_twice_at_once_is_handled_once(sessions):
    handled = await asyncio.gather(_handle(sessions, 1001, "yes"), _handle(sessions, 1001, "yes"))

    assert sorted(handled) == [False, True]
    assert len(await _answers(sessions)) == 1


async def test_a_claim_rolled_back_with_its_unit_of_work_can_be_claimed_again(sessions):
    async with sessions() as session, session.begin():
        assert await claim_update(session, scope="bot-1", update_id=7, now=NOW)
        await session.rollback()
    async with sessions() as session, session.begin():
        assert await claim_update(session, scope="bot-1", update_id=7, now=NOW)


async def test_update_ids_of_different_scopes_do_not_collide(sessions):
    async with sessions() as session, session.begin():
        assert await claim_update(session, scope="bot-1", update_id=7, now=NOW)
        assert await claim_update(session, scope="bot-2", update_id=7, now=NOW)
        assert not await claim_update(session, scope="bot-2", update_id=7, now=NOW)


async def test_old_claims_can_be_forgotten(sessions):
    async with sessions() as session, session.begin():
        await claim_update(session, scope="bot-1", update_id=1, now=NOW - timedelta(days=3))
        await claim_update(session, scope="bot-1", update_id=2, now=NOW)
        assert await forget_processed_updates(session, before=NOW - timedelta(days=1)) == 1
        assert await claim_update(session, scope="bot-1", update_id=1, now=NOW)
        assert not await claim_update(session, scope="bot-1", update_id=2, now=NOW)


async def test_a_batch_claims_in_one_go_only_the_updates_not_handled_before(sessions):
    async with sessions() as session, session.begin():
        assert await claim_update(session, scope="bot-1", update_id=7, now=NOW)

    async with sessions() as session, session.begin():
        claimed = await claim_updates(session, scope="bot-1", update_ids=[5, 6, 7, 8], now=NOW)
        other_bot = await claim_updates(session, scope="bot-2", update_ids=[7], now=NOW)

    assert claimed == {5, 6, 8}
    assert other_bot == {7}
    async with sessions() as session, session.begin():
        assert await claim_updates(session, scope="bot-1", update_ids=[5, 8, 9], now=NOW) == {9}
        assert await claim_updates(session, scope="bot-1", update_ids=[], now=NOW) == set()
