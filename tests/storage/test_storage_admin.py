"""Staff's tools: window overrides, once-only jobs, the audit log, counts and recipients."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from storage.audit import add_audit, recent_audit
from storage.jobs import claim_job
from storage.models import Respondent
from storage.progress import save_progress
from storage.recipients import (
    respondents_in_progress,
    respondents_to_remind,
    respondents_to_tell_closed,
    respondents_wanting_outcome,
)
from storage.respondents import update_respondent
from storage.rows import Recipient, RespondentCount, WindowOverride
from storage.statistics import first_contact, progress_positions, respondent_counts
from storage.windows import get_window_override, set_window_override

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
CONSULTATION = "send-strategy-2022"


async def test_without_an_override_the_files_dates_stand(sessions):
    async with sessions() as session:
        assert await get_window_override(session, consultation_id=CONSULTATION) is None


async def test_an_override_is_stored_replaced_and_audited(sessions):
    closes = datetime(2022, 9, 30, 23, 0, tzinfo=UTC)
    async with sessions() as session, session.begin():
        await set_window_override(
            session,
            consultation_id=CONSULTATION,
            opens_at=None,
            closes_at=NOW,
            actor="staff:11",
            now=NOW,
        )
    later = NOW + timedelta(hours=1)
    async with sessions() as session, session.begin():
        returned = await set_window_override(
            session,
            consultation_id=CONSULTATION,
            opens_at=None,
            closes_at=closes,
            actor="staff:12",
            now=later,
        )
    async with sessions() as session:
        stored = await get_window_override(session, consultation_id=CONSULTATION)
        entries = await recent_audit(session)
    assert stored == returned == WindowOverride(CONSULTATION, None, closes, later, "staff:12")
    assert [(entry.actor, entry.action) for entry in entries] == [
        ("staff:12", "window"),
        ("staff:11", "window"),
    ]
    assert closes.isoformat() in entries[0].detail


async def test_a_once_only_job_is_claimed_once_even_when_raced(sessions):
    async def claim() -> bool:
        async with sessions() as session, session.begin():
            return await claim_job(
                session, name="closing-notice", consultation_id=CONSULTATION, now=NOW
            )

    assert sorted(await asyncio.gather(*(claim() for _ in range(5)))) == [False] * 4 + [True]
    assert await claim() is False
    async with sessions() as session, session.begin():
        assert await claim_job(session, name="closing-notice", consultation_id="other", now=NOW)


async def test_the_audit_log_lists_the_latest_entries_first(sessions):
    async with sessions() as session, session.begin():
        for minute in range(3):
            await add_audit(
                session,
                actor="staff:11",
                action="export",
                detail=f"export {minute}",
                rows=minute,
                now=NOW + timedelta(minutes=minute),
            )
    async with sessions() as session:
        assert [entry.detail for entry in await recent_audit(session, limit=2)] == [
            "export 2",
            "export 1",
        ]


async def _people(sessions, make_respondent) -> dict[str, int]:
    """Five respondents at different stages; returns their ids by name."""
    ids = {}
    for user_id, name in enumerate(["browsing", "started", "idle", "finished", "blocked"], 1):
        ids[name] = (await make_respondent(user_id)).id
    async with sessions() as session, session.begin():
        for name in ("started", "idle", "finished", "blocked"):
            await update_respondent(
                session,
                respondent_id=ids[name],
                consent_at=NOW,
                audience="parent_carer" if name != "started" else "young_person",
                source="school",
                wants_reminder=True,
                wants_outcome=True,
            )
        await update_respondent(session, respondent_id=ids["finished"], finished_at=NOW)
        await update_respondent(session, respondent_id=ids["blocked"], unreachable_at=NOW)
        await save_progress(
            session,
            respondent_id=ids["started"],
            state={"at": "q:inclusion/important"},
            expected_version=0,
            now=NOW + timedelta(days=2),
        )
        await save_progress(
            session, respondent_id=ids["idle"], state={"at": "areas"}, expected_version=0, now=NOW
        )
    return ids


def _ids(recipients: list[Recipient]) -> list[int]:
    return [recipient.respondent_id for recipient in recipients]


async def test_recipients_are_reachable_people_at_the_right_stage(sessions, make_respondent):
    ids = await _people(sessions, make_respondent)
    async with sessions() as session:
        in_progress = await respondents_in_progress(session, consultation_id=CONSULTATION)
        to_remind = await respondents_to_remind(
            session, consultation_id=CONSULTATION, idle_since=NOW + timedelta(days=1)
        )
        to_tell = await respondents_to_tell_closed(session, consultation_id=CONSULTATION)
        outcome = await respondents_wanting_outcome(session, consultation_id=CONSULTATION)
    assert _ids(in_progress) == [ids["started"], ids["idle"]]
    assert in_progress[0] == Recipient(ids["started"], 1_000_002, None, "young_person")
    assert _ids(to_remind) == [ids["idle"]]
    assert _ids(to_tell) == [ids["started"], ids["idle"]]
    assert _ids(outcome) == [ids["started"], ids["idle"], ids["finished"]]


async def test_people_reminded_or_told_are_not_listed_again(sessions, make_respondent):
    ids = await _people(sessions, make_respondent)
    async with sessions() as session, session.begin():
        await update_respondent(session, respondent_id=ids["idle"], reminded_at=NOW)
        await update_respondent(session, respondent_id=ids["started"], told_closed_at=NOW)
    async with sessions() as session:
        to_remind = await respondents_to_remind(
            session, consultation_id=CONSULTATION, idle_since=NOW + timedelta(days=1)
        )
        to_tell = await respondents_to_tell_closed(session, consultation_id=CONSULTATION)
    assert (_ids(to_remind), _ids(to_tell)) == ([], [ids["idle"]])


async def test_respondents_are_counted_by_audience_source_and_stage(sessions, make_respondent):
    await _people(sessions, make_respondent)
    async with sessions() as session:
        counts = await respondent_counts(session, consultation_id=CONSULTATION)
    assert sorted(counts, key=repr) == sorted(
        [
            RespondentCount(None, None, consented=False, finished=False, count=1),
            RespondentCount("parent_carer", "school", consented=True, finished=False, count=2),
            RespondentCount("parent_carer", "school", consented=True, finished=True, count=1),
            RespondentCount("young_person", "school", consented=True, finished=False, count=1),
        ],
        key=repr,
    )


async def test_unfinished_respondents_positions_are_listed_for_drop_off(sessions, make_respondent):
    await _people(sessions, make_respondent)
    async with sessions() as session:
        positions = await progress_positions(session, consultation_id=CONSULTATION)
    assert positions == [
        (None, None),
        ("young_person", "q:inclusion/important"),
        ("parent_carer", "areas"),
        ("parent_carer", None),
    ]


async def test_the_first_contact_is_the_earliest_respondent_of_this_consultation(
    sessions, make_respondent
):
    async with sessions() as session:
        assert await first_contact(session, consultation_id=CONSULTATION) is None
    ids = await _people(sessions, make_respondent)
    earlier = NOW - timedelta(days=3, minutes=7)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Respondent).where(Respondent.id == ids["idle"]).values(created_at=earlier)
        )
    await make_respondent(99, consultation_id="another-one")
    async with sessions() as session, session.begin():
        await session.execute(
            update(Respondent)
            .where(Respondent.consultation_id == "another-one")
            .values(created_at=earlier - timedelta(days=30))
        )
    async with sessions() as session:
        first = await first_contact(session, consultation_id=CONSULTATION)
    assert first == earlier
    assert first is not None and first.utcoffset() == timedelta(0)
