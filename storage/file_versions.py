"""Every version of the consultation file the bot ran with: its hash and its full text.

The bot remembers its file when it starts; each answer already carries the hash it was given
under, so the evidence record can show which words every answer was given to.
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, ConsultationVersion, Respondent
from storage.rows import FileVersion
from storage.upsert import insert_for


async def remember_version(
    session: AsyncSession, *, consultation_id: str, version: str, text: str, now: datetime
) -> None:
    """Keep this version's text, once: running the same file again changes nothing."""
    statement = insert_for(session, ConsultationVersion.__table__).values(
        consultation_id=consultation_id, version=version, text=text, first_used_at=now
    )
    await session.execute(statement.on_conflict_do_nothing())


async def file_versions(
    session: AsyncSession, *, consultation_id: str, leave_out_areas: Collection[str] = ()
) -> list[FileVersion]:
    """Every version, oldest first, with its answers; a hash found only on answers (given
    before versions were kept) is listed too, with empty text. Answers stored under
    `leave_out_areas` are not counted (as in an export that leaves them out)."""
    counted = (
        select(Answer.consultation_version, func.count().label("answers"))
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(Respondent.consultation_id == consultation_id, Answer.area.not_in(leave_out_areas))
        .group_by(Answer.consultation_version)
    )
    answers = {version: count for version, count in await session.execute(counted)}
    kept = await session.execute(
        select(
            ConsultationVersion.version, ConsultationVersion.text, ConsultationVersion.first_used_at
        )
        .where(ConsultationVersion.consultation_id == consultation_id)
        .order_by(ConsultationVersion.first_used_at, ConsultationVersion.version)
    )
    versions = [
        FileVersion(version, text, first_used_at, answers.pop(version, 0))
        for version, text, first_used_at in kept
    ]
    unknown = await session.execute(
        select(Answer.consultation_version, func.min(Answer.first_answered_at))
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(
            Respondent.consultation_id == consultation_id,
            Answer.consultation_version.in_(list(answers)),
        )
        .group_by(Answer.consultation_version)
    )
    versions += [FileVersion(version, "", first, answers[version]) for version, first in unknown]
    return versions
