"""Everything the evidence record shows, read through storage in one read-only pass."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service import current_window
from conversations.model import PROFILE_AREA, Consultation
from conversations.window import Window
from storage.audit import whole_audit_log
from storage.declines import decline_tallies
from storage.file_versions import file_versions
from storage.rows import (
    AuditRecord,
    DeclineTally,
    FileVersion,
    RespondentCount,
    WindowChangeRecord,
)
from storage.statistics import respondent_counts
from storage.windows import window_changes


@dataclass(frozen=True)
class Evidence:
    """What the record is made of; the exports are written beside it, not held here."""

    consultation: Consultation
    made_at: datetime
    planned: Window
    in_force: Window
    changes: list[WindowChangeRecord]
    versions: list[FileVersion]
    people: list[RespondentCount]
    declines: list[DeclineTally]
    audit: list[AuditRecord]


async def gather_evidence(
    consultation: Consultation, sessions: async_sessionmaker[AsyncSession], now: datetime
) -> Evidence:
    """Read the dates, their changes, the file versions, the counts and the audit log."""
    async with sessions() as session:
        return Evidence(
            consultation=consultation,
            made_at=now,
            planned=Window(consultation.opens_at, consultation.closes_at),
            in_force=await current_window(session, consultation),
            changes=await window_changes(session, consultation_id=consultation.id),
            versions=await file_versions(
                # counted as in the record's exports, which leave out who people are
                session,
                consultation_id=consultation.id,
                leave_out_areas=(PROFILE_AREA,),
            ),
            people=await respondent_counts(session, consultation_id=consultation.id),
            declines=await decline_tallies(session, consultation_id=consultation.id),
            audit=await whole_audit_log(session),
        )
