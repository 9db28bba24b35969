"""Once-only jobs (the closing-day notice, say) that must run once even across restarts.

A daily job claims one run a day under its name and the date (`name:2022-09-01`); those claims
are forgotten after a while with `forget_daily_runs`, the once-only ones never."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobRun
from storage.upsert import insert_for

_runs = JobRun.__table__


async def claim_job(
    session: AsyncSession, *, name: str, consultation_id: str, now: datetime
) -> bool:
    """Claim the job `name` for this consultation; False if it was already claimed.

    Claim it in the unit of work that records the job's effects, or commit the claim before
    doing work that cannot be undone (sending messages): a job that crashes after committing its
    claim will not run again, one that crashes before will.
    """
    claimed = await session.execute(
        insert_for(session, _runs)
        .values(name=name, consultation_id=consultation_id, ran_at=now)
        .on_conflict_do_nothing(index_elements=["name", "consultation_id"])
        .returning(_runs.c.name)
    )
    return claimed.scalar_one_or_none() is not None


async def job_claimed(session: AsyncSession, *, name: str, consultation_id: str) -> bool:
    """Whether the job `name` was claimed for this consultation already (a cheap look before
    preparing the job's work; only `claim_job` decides who does it)."""
    found = await session.execute(
        select(_runs.c.name).where(_runs.c.name == name, _runs.c.consultation_id == consultation_id)
    )
    return found.first() is not None


async def forget_daily_runs(
    session: AsyncSession, *, name: str, consultation_id: str, before: datetime
) -> int:
    """Delete the daily job `name`'s claims (`name:<date>`) made before `before`; how many.

    A past day's claim is never asked for again, so forgetting it cannot make a job run twice.
    """
    deleted = await session.execute(
        delete(_runs).where(
            _runs.c.name.startswith(f"{name}:", autoescape=True),
            _runs.c.consultation_id == consultation_id,
            _runs.c.ran_at < before,
        )
    )
    return deleted.rowcount
