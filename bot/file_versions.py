"""Keeping each version of the consultation file the bot runs with, for the evidence record."""

from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.loader import file_version
from conversations.model import Consultation
from storage.file_versions import remember_version


async def remember_consultation_file(
    sessions: async_sessionmaker[AsyncSession],
    consultation: Consultation,
    path: Path,
    now: datetime,
) -> None:
    """Keep the text of the file the bot runs with, under the hash its answers will carry."""
    content = path.read_bytes()
    async with sessions() as session, session.begin():
        await remember_version(
            session,
            consultation_id=consultation.id,
            version=file_version(content),
            text=content.decode("utf-8"),
            now=now,
        )
