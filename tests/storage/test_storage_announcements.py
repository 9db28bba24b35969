"""Announcements: prepared for a preview, the same words recognised however they are typed,
and claimed to be sent exactly once, even when two confirmations race."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.announcements import (
    announcement_hash,
    announcement_sent_at,
    claim_announcement,
    prepare_announcement,
    record_delivered,
)
from storage.models import Announcement

NOW = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
CONSULTATION = "send-strategy-2022"
WORDS = "We listened.\nThere will be more clubs."


async def prepare(sessions: async_sessionmaker[AsyncSession], text: str, now: datetime = NOW):
    async with sessions() as session, session.begin():
        return await prepare_announcement(
            session, consultation_id=CONSULTATION, text=text, actor="staff:1", now=now
        )


async def claim(sessions: async_sessionmaker[AsyncSession], text_hash: str) -> str | None:
    async with sessions() as session, session.begin():
        return await claim_announcement(
            session, consultation_id=CONSULTATION, text_hash=text_hash, actor="staff:2", now=NOW
        )


def test_the_same_words_in_another_case_or_spacing_are_the_same_announcement():
    same = announcement_hash(WORDS)
    assert announcement_hash("  we listened.   THERE will be\tmore clubs. ") == same
    assert announcement_hash("We listened. There will be more clubs!") != same
    assert len(same) == 32 and len(f"staff:announce#{same}") <= 64  # rides on a button


async def test_an_announcement_is_claimed_once_and_then_known_as_sent(
    sessions: async_sessionmaker[AsyncSession],
):
    prepared = await prepare(sessions, WORDS)
    assert prepared.sent_at is None
    assert (await prepare(sessions, WORDS.upper())).text_hash == prepared.text_hash

    assert await claim(sessions, prepared.text_hash) == WORDS.upper()  # the latest words
    assert await claim(sessions, prepared.text_hash) is None
    again = await prepare(sessions, WORDS, now=NOW + timedelta(days=3))
    assert again.sent_at == NOW
    async with sessions() as session, session.begin():
        await record_delivered(
            session, consultation_id=CONSULTATION, text_hash=prepared.text_hash, delivered=7
        )
    async with sessions() as session:
        rows = (await session.execute(select(Announcement))).scalars().all()
    assert [(row.text, row.sent_by, row.delivered, row.sent_at) for row in rows] == [
        (WORDS.upper(), "staff:2", 7, NOW)  # the sent words stay as they were sent
    ]


async def test_two_confirmations_racing_send_it_once(sessions: async_sessionmaker[AsyncSession]):
    prepared = await prepare(sessions, WORDS)

    won = await asyncio.gather(*(claim(sessions, prepared.text_hash) for _ in range(4)))

    assert sorted(won, key=str) == [None, None, None, WORDS]


async def test_unknown_or_other_consultations_announcements_are_not_claimed(
    sessions: async_sessionmaker[AsyncSession],
):
    prepared = await prepare(sessions, WORDS)
    assert await claim(sessions, announcement_hash("something never prepared")) is None
    async with sessions() as session, session.begin():
        other = await claim_announcement(
            session, consultation_id="other", text_hash=prepared.text_hash, actor="x", now=NOW
        )
        unknown = await announcement_sent_at(
            session, consultation_id="other", text_hash=prepared.text_hash
        )
        count = await session.scalar(select(func.count()).select_from(Announcement))
    assert (other, unknown, count) == (None, None, 1)
