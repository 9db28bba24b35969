"""The evidence record for the chat (/evidence) and the audit entry every record leaves."""

import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.model import Consultation
from reports.evidence.folder import EvidenceSummary, write_evidence, zip_folder
from storage.audit import add_audit


async def evidence_zip(
    consultation: Consultation,
    sessions: async_sessionmaker[AsyncSession],
    workspace: Path,
    now: datetime,
) -> tuple[Path, EvidenceSummary]:
    """The record as one zip in `workspace`, for sending as a document."""
    local = now.astimezone(consultation.timezone)
    name = f"{consultation.id}-evidence-{local:%Y%m%d-%H%M}"
    summary = await write_evidence(consultation, sessions, workspace / name, now)
    return zip_folder(summary.folder, workspace / f"{name}.zip"), summary


async def audit_evidence(
    sessions: async_sessionmaker[AsyncSession], actor: str, summary: EvidenceSummary, now: datetime
) -> None:
    """Write to the audit log that the record was made (with how many answers it holds)."""
    async with sessions() as session, session.begin():
        await add_audit(
            session,
            actor=actor,
            action="evidence",
            detail="wrote the evidence record",
            rows=summary.answers,
            now=now,
        )


def temporary_workspace() -> tempfile.TemporaryDirectory[str]:
    """A private folder for a record made in the chat, removed once it is sent."""
    return tempfile.TemporaryDirectory(prefix="consultbot-evidence-")
