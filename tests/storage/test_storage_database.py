"""The engine: SQLite set up for concurrent writers, aware times, one URL for either backend."""

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from conversations.outputs import Answer
from storage.answers import record_answers
from storage.database import create_engine, session_factory
from storage.identity import pseudonym
from storage.models import Respondent
from storage.progress import load_progress, save_progress
from storage.respondents import get_or_create_respondent, update_respondent
from storage.updates import claim_update
from storage.upgrade import upgrade_database

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
CONSULTATION = "send-strategy-2022"


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_sqlite_files_use_wal_foreign_keys_and_a_busy_timeout(database):
    async with database.connect() as connection:
        journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
        foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        timeout = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
    assert (journal, foreign_keys, timeout) == ("wal", 1, 30000)


async def test_the_folder_of_a_new_sqlite_file_is_created(tmp_path):
    path = tmp_path / "not" / "yet" / "there.db"
    await upgrade_database(f"sqlite+aiosqlite:///{path}")
    assert path.exists()


async def test_fifty_concurrent_writers_all_succeed_without_database_is_locked(database):
    sessions = session_factory(database)

    async def respondent_answers(person: int) -> None:
        for step in range(3):
            async with sessions() as session, session.begin():
                assert await claim_update(
                    session, scope="bot", update_id=person * 10 + step, now=NOW
                )
                respondent = await get_or_create_respondent(
                    session,
                    consultation_id=CONSULTATION,
                    pseudonym=pseudonym(b"secret", person),
                    chat_id=person,
                    now=NOW,
                )
                state, version = await load_progress(session, respondent_id=respondent.id)
                await save_progress(
                    session,
                    respondent_id=respondent.id,
                    state={"at": f"q:{step}", "seen": (state or {}).get("seen", 0) + 1},
                    expected_version=version,
                    now=NOW,
                )
                await record_answers(
                    session,
                    respondent_id=respondent.id,
                    answers=[Answer("inclusion", f"q{step}", "Is it right?", "yes", "Yes")],
                    consultation_version="v1",
                    now=NOW,
                )

    await asyncio.gather(*(respondent_answers(person) for person in range(50)))

    async with sessions() as session:
        respondents = (await session.execute(select(Respondent.id))).scalars().all()
        assert len(respondents) == 50
        for respondent_id in respondents:
            state, version = await load_progress(session, respondent_id=respondent_id)
            assert (state, version) == ({"at": "q:2", "seen": 3}, 3)


async def test_a_long_read_only_transaction_does_not_block_writers(database):
    writer = session_factory(database)
    reader = session_factory(database, read_only=True)
    async with reader() as reading, reading.begin():
        await reading.execute(select(Respondent.id))
        async with asyncio.timeout(5), writer() as session, session.begin():
            await get_or_create_respondent(
                session, consultation_id=CONSULTATION, pseudonym="p", chat_id=1, now=NOW
            )


async def test_times_come_back_as_the_same_instant_in_utc(sessions, make_respondent):
    london = datetime(2022, 7, 1, 9, 30, 15, 123456, tzinfo=ZoneInfo("Europe/London"))
    respondent = await make_respondent(7)
    async with sessions() as session, session.begin():
        await update_respondent(session, respondent_id=respondent.id, consent_at=london)

    async with sessions() as session:
        consent_at = (
            await session.execute(
                select(Respondent.consent_at).where(Respondent.id == respondent.id)
            )
        ).scalar_one()
    assert consent_at == london
    assert consent_at.utcoffset() == timedelta(0)
    assert consent_at.tzinfo is UTC


async def test_times_compare_as_instants_in_queries(sessions, make_respondent):
    respondent = await make_respondent(7)
    async with sessions() as session, session.begin():
        await update_respondent(
            session,
            respondent_id=respondent.id,
            finished_at=datetime(2022, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/London")),
        )
    async with sessions() as session:
        eleven_utc = datetime(2022, 7, 1, 11, 0, tzinfo=UTC)
        found = await session.execute(
            select(Respondent.id).where(Respondent.finished_at == eleven_utc)
        )
        assert found.scalar_one() == respondent.id


async def test_naive_times_are_refused(sessions, make_respondent):
    respondent = await make_respondent(7)
    async with sessions() as session:
        with pytest.raises(StatementError, match="timezone-aware"):
            await update_respondent(
                session, respondent_id=respondent.id, consent_at=datetime(2022, 7, 1, 9, 30)
            )


async def test_either_backend_is_reached_through_its_url_alone(backend, database_url):
    engine = create_engine(database_url)
    try:
        await upgrade_database(engine)
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT 1"))).scalar() == 1
        assert engine.dialect.name == backend
    finally:
        await engine.dispose()
