"""The outbox: claimed once, leased, retried, marked sent without keeping its words."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.models import OutboxMessage
from storage.outbox import (
    claim_due,
    enqueue,
    give_up,
    mark_sent,
    message_payload,
    pending_count,
    retry_later,
)

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def queue(sessions, *texts: str, kind: str = "test", due_at: datetime | None = None):
    async with sessions() as session, session.begin():
        return [
            await enqueue(
                session,
                kind=kind,
                recipient=10 + n,
                payload=message_payload(text, [[("Seen", f"x#{n}")]]),
                now=NOW,
                due_at=due_at,
            )
            for n, text in enumerate(texts)
        ]


async def claim(sessions, now: datetime = NOW, limit: int = 10):
    async with sessions() as session, session.begin():
        return await claim_due(session, now=now, lease=LEASE, limit=limit)


async def test_messages_are_claimed_oldest_first_with_their_payload(sessions):
    first, second = await queue(sessions, "one", "two")

    claimed = await claim(sessions)

    assert [(m.id, m.recipient, m.attempts) for m in claimed] == [(first, 10, 1), (second, 11, 1)]
    assert claimed[0].payload == {
        "text": "one",
        "buttons": [[{"label": "Seen", "data": "x#0"}]],
    }


async def test_a_claimed_message_is_not_claimed_again_until_its_lease_runs_out(sessions):
    await queue(sessions, "one")
    assert len(await claim(sessions)) == 1

    assert await claim(sessions, NOW + LEASE - timedelta(seconds=1)) == []
    again = await claim(sessions, NOW + LEASE)  # its sender died: another takes it
    assert [m.attempts for m in again] == [2]


async def test_a_sent_message_is_never_claimed_again_and_forgets_its_words(sessions):
    [message] = await queue(sessions, "private words")
    await claim(sessions)
    async with sessions() as session, session.begin():
        await mark_sent(session, message_id=message, now=NOW)

    assert await claim(sessions, NOW + timedelta(days=1)) == []
    async with sessions() as session:
        row = (await session.execute(select(OutboxMessage))).scalars().one()
        assert await pending_count(session) == 0
    assert (row.payload, row.sent_at, row.attempts) == ("{}", NOW, 1)


async def test_a_retry_waits_its_delay_and_giving_up_stops_it(sessions):
    retried, refused = await queue(sessions, "later", "never")
    await claim(sessions)
    async with sessions() as session, session.begin():
        await retry_later(
            session, message_id=retried, now=NOW, delay=timedelta(seconds=30), error="timed out"
        )
        await give_up(session, message_id=refused, now=NOW, error="blocked")

    assert await claim(sessions, NOW + timedelta(seconds=29)) == []
    assert [m.id for m in await claim(sessions, NOW + timedelta(days=1))] == [retried]
    async with sessions() as session:
        assert await pending_count(session) == 1
        errors = (await session.execute(select(OutboxMessage.last_error))).scalars().all()
    assert sorted(errors) == ["blocked", "timed out"]


async def test_a_message_due_later_waits_and_counts_by_kind(sessions):
    await queue(sessions, "reminder", kind="reminder", due_at=NOW + timedelta(hours=1))
    await queue(sessions, "alert", kind="alert")

    [alert] = await claim(sessions)
    assert alert.kind == "alert"
    async with sessions() as session, session.begin():
        assert await pending_count(session, kind="reminder") == 1
        assert await pending_count(session, kind="alert") == 1  # claimed, not yet sent
        await mark_sent(session, message_id=alert.id, now=NOW)
    assert [m.kind for m in await claim(sessions, NOW + timedelta(hours=1))] == ["reminder"]


async def test_a_batch_is_at_most_the_limit(sessions):
    await queue(sessions, *(f"m{n}" for n in range(5)))

    assert len(await claim(sessions, limit=3)) == 3
    assert len(await claim(sessions, limit=3)) == 2
