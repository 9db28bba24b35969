"""Announcements ("you said, we did"): prepared with a preview, sent at most once.

Staff write an announcement, see a preview, and confirm. The words are identified by a hash
with case and spacing evened out, so asking for the same announcement again, from a second
preview, a second phone or a second staff member, finds the one already sent and is refused.
The claim to send is one conditional UPDATE, so two confirmations racing (even on two replicas)
cannot both win. As with every helper here, the caller owns the transaction.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Announcement
from storage.upsert import insert_for

HASH_LENGTH = 32
"""Hex digits of SHA-256 kept: 128 bits, and short enough to ride on a Telegram button."""

_announcements = Announcement.__table__


@dataclass(frozen=True)
class PreparedAnnouncement:
    """An announcement waiting for confirmation, or (`sent_at` set) one sent already."""

    text_hash: str
    sent_at: datetime | None


def announcement_hash(text: str) -> str:
    """What identifies an announcement: its words, ignoring case and spacing."""
    words = " ".join(text.split()).casefold()
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:HASH_LENGTH]


async def prepare_announcement(
    session: AsyncSession, *, consultation_id: str, text: str, actor: str, now: datetime
) -> PreparedAnnouncement:
    """Keep the announcement for confirmation; an unsent one is replaced by the newer words."""
    text_hash = announcement_hash(text)
    statement = insert_for(session, _announcements).values(
        consultation_id=consultation_id,
        text_hash=text_hash,
        text=text,
        prepared_at=now,
        prepared_by=actor,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["consultation_id", "text_hash"],
        set_={name: statement.excluded[name] for name in ("text", "prepared_at", "prepared_by")},
        where=_announcements.c.sent_at.is_(None),
    )
    await session.execute(statement)
    sent_at = await announcement_sent_at(
        session, consultation_id=consultation_id, text_hash=text_hash
    )
    return PreparedAnnouncement(text_hash, sent_at)


async def claim_announcement(
    session: AsyncSession, *, consultation_id: str, text_hash: str, actor: str, now: datetime
) -> str | None:
    """Mark the announcement sent and return its words; None if it was sent already (or never
    prepared). Commit the claim before sending, so that it is never sent twice."""
    claimed = await session.execute(
        update(_announcements)
        .where(
            _announcements.c.consultation_id == consultation_id,
            _announcements.c.text_hash == text_hash,
            _announcements.c.sent_at.is_(None),
        )
        .values(sent_at=now, sent_by=actor)
        .returning(_announcements.c.text)
    )
    return claimed.scalar_one_or_none()


async def announcement_sent_at(
    session: AsyncSession, *, consultation_id: str, text_hash: str
) -> datetime | None:
    """When the announcement was sent, or None if it has not been (or is unknown)."""
    return await session.scalar(
        select(_announcements.c.sent_at).where(
            _announcements.c.consultation_id == consultation_id,
            _announcements.c.text_hash == text_hash,
        )
    )


async def record_delivered(
    session: AsyncSession, *, consultation_id: str, text_hash: str, delivered: int
) -> None:
    """Note how many people the announcement was queued for (the `delivered` column)."""
    await session.execute(
        update(_announcements)
        .where(
            _announcements.c.consultation_id == consultation_id,
            _announcements.c.text_hash == text_hash,
        )
        .values(delivered=delivered)
    )
