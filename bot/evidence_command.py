"""`consultbot evidence`: the fair-consultation record, written to a folder."""

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.evidence import audit_evidence
from bot.maintenance import with_database
from conversations.loader import load_consultation
from reports.evidence.folder import EvidenceSummary, check_output_folder, write_evidence


async def evidence_to_folder(settings: Settings, output: Path, clock: Clock) -> EvidenceSummary:
    """`consultbot evidence`: write the record into `output`, audited."""
    check_output_folder(output)  # before the database is opened, not after
    consultation = load_consultation(settings.consultation_file)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> EvidenceSummary:
        summary = await write_evidence(consultation, sessions, output, clock())
        await audit_evidence(sessions, "command line", summary, clock())
        return summary

    return await with_database(settings, work)
