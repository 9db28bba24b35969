"""Export rows: every answer, in order, read in batches so memory stays flat however many."""

import asyncio
import tracemalloc
from contextlib import aclosing
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import String, cast, event, insert, literal, select, true

from conversations.outputs import Answer
from storage.columns import UTCDateTime
from storage.database import session_factory
from storage.export_stream import stream_export_batches
from storage.models import Answer as AnswerRow
from storage.models import Respondent
from storage.respondents import update_respondent
from storage.rows import ExportRow

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
CONSULTATION = "send-strategy-2022"


async def _answer(
    record_answer, respondent_id: int, question: str, value: str, *, now=NOW, language="en"
) -> None:
    answer = Answer("inclusion", question, f"{question}?", value, value.title(), language)
    await record_answer(respondent_id, answer, now)


async def _all(source, **options) -> list[ExportRow]:
    return [
        ExportRow(*row)
        async for batch in stream_export_batches(source, consultation_id=CONSULTATION, **options)
        for row in batch
    ]


async def _three_respondents(sessions, make_respondent, record_answer) -> list[int]:
    first, second = (await make_respondent(1)).id, (await make_respondent(2)).id
    third = (await make_respondent(3, consultation_id="other")).id
    await _answer(record_answer, second, "q1", "no")
    await _answer(record_answer, first, "q2", "yes", language="pl")
    await _answer(record_answer, first, "q1", "maybe", now=LATER)
    await _answer(record_answer, second, "q2", "yes", now=LATER)
    await _answer(record_answer, third, "q1", "other")
    async with sessions() as session, session.begin():
        await update_respondent(
            session, respondent_id=first, audience="parent_carer", source="x", finished_at=LATER
        )
    return [first, second]


async def test_rows_come_by_respondent_then_answer_with_what_staff_need(
    sessions, make_respondent, record_answer
):
    first, second = await _three_respondents(sessions, make_respondent, record_answer)
    rows = await _all(sessions, batch_size=1)
    assert [(row.respondent, row.question, row.value) for row in rows] == [
        (f"R{first}", "q2", "yes"),
        (f"R{first}", "q1", "maybe"),
        (f"R{second}", "q1", "no"),
        (f"R{second}", "q2", "yes"),
    ]
    assert rows[0] == ExportRow(
        respondent=f"R{first}",
        audience="parent_carer",
        source="x",
        finished=True,
        area="inclusion",
        question="q2",
        question_text="q2?",
        value="yes",
        answer="Yes",
        answered_at="2022-09-01 12:00:00.000000",
        version="v1",
        language="pl",
    )


async def test_times_come_as_utc_text_to_the_microsecond_whatever_zone_they_were_given_in(
    sessions, make_respondent, record_answer
):
    respondent = (await make_respondent(1)).id
    one_hour_east = timezone(timedelta(hours=1))
    await _answer(
        record_answer,
        respondent,
        "q1",
        "yes",
        now=datetime(2022, 9, 1, 13, 0, 5, 250, one_hour_east),
    )
    [row] = await _all(sessions)
    assert row.answered_at == "2022-09-01 12:00:05.000250"


async def test_batches_hold_at_most_the_batch_size_and_every_row_once(
    sessions, make_respondent, record_answer
):
    first, second = await _three_respondents(sessions, make_respondent, record_answer)
    batches = [
        [row[0] for row in batch]
        async for batch in stream_export_batches(
            sessions, consultation_id=CONSULTATION, batch_size=3
        )
    ]
    assert batches == [[f"R{first}"] * 2 + [f"R{second}"], [f"R{second}"]]


async def test_rows_can_be_limited_to_recent_answers_or_finished_respondents(
    sessions, make_respondent, record_answer
):
    first, second = await _three_respondents(sessions, make_respondent, record_answer)
    recent = await _all(sessions, since=LATER)
    finished = await _all(sessions, finished_only=True)
    assert [(row.respondent, row.question) for row in recent] == [
        (f"R{first}", "q1"),
        (f"R{second}", "q2"),
    ]
    assert {row.respondent for row in finished} == {f"R{first}"}


async def test_rows_can_be_read_in_the_callers_own_transaction(
    sessions, make_respondent, record_answer
):
    await _three_respondents(sessions, make_respondent, record_answer)
    async with sessions() as session, session.begin():
        assert await _all(session, batch_size=3) == await _all(sessions, batch_size=3)


async def test_a_read_only_session_factory_works_too(
    database, make_respondent, sessions, record_answer
):
    await _three_respondents(sessions, make_respondent, record_answer)
    assert len(await _all(session_factory(database, read_only=True))) == 4


async def test_respondents_can_answer_while_an_export_is_being_read(
    sessions, make_respondent, record_answer
):
    first, _ = await _three_respondents(sessions, make_respondent, record_answer)
    async with aclosing(stream_export_batches(sessions, consultation_id=CONSULTATION)) as rows:
        await anext(rows)
        async with asyncio.timeout(5):
            await _answer(record_answer, first, "q3", "written meanwhile")
    assert len(await _all(sessions)) == 5


async def test_an_empty_consultation_exports_nothing(sessions):
    assert await _all(sessions) == []


RESPONDENTS = 1_000
QUESTIONS = 100


async def _many_answers(sessions) -> None:
    """RESPONDENTS x QUESTIONS answers, generated by the database itself to keep setup quick."""
    counter = select(literal(100).label("n")).cte("counter", recursive=True)
    counter = counter.union_all(select(counter.c.n + 1).where(counter.c.n < 99 + QUESTIONS))
    question = literal("q") + cast(counter.c.n, String)
    number = cast(Respondent.id, String)
    async with sessions() as session, session.begin():
        await session.execute(
            insert(Respondent),
            [
                {"id": n, "consultation_id": CONSULTATION, "pseudonym": f"p{n}", "created_at": NOW}
                for n in range(1, RESPONDENTS + 1)
            ],
        )
        await session.execute(
            insert(AnswerRow).from_select(
                [
                    "respondent_id",
                    "area",
                    "question",
                    "question_text",
                    "value",
                    "label",
                    "consultation_version",
                    "first_answered_at",
                    "last_answered_at",
                ],
                select(
                    Respondent.id,
                    literal("area"),
                    question,
                    literal("How much does this matter to your family, and why? " * 2),
                    literal("value ") + number + " " + question,
                    literal("What respondent ") + number + " said to " + question,
                    literal("v1"),
                    literal(NOW, UTCDateTime()),
                    literal(NOW, UTCDateTime()),
                )
                .select_from(Respondent)
                .join(counter, true())
                .order_by(counter.c.n, Respondent.id),
            )
        )


@pytest.mark.slow
async def test_a_hundred_thousand_answers_stream_in_bounded_memory_from_one_query(
    sessions, database
):
    """Holding all 100,000 rows would take about 60 MB; one 2,000-row batch takes a few MB.

    The rows come from one query read in batches: an export that re-read or re-sorted the table
    per batch would send one per batch.
    """
    await _many_answers(sessions)
    statements: list[str] = []

    def record(conn, cursor, statement: str, *args) -> None:
        statements.append(statement)

    event.listen(database.sync_engine, "before_cursor_execute", record)
    count, previous = 0, (0, "")
    tracemalloc.start()
    try:
        async for batch in stream_export_batches(
            sessions, consultation_id=CONSULTATION, batch_size=2000
        ):
            for respondent, *_, question, _, _, _, _, _, _ in batch:
                key = (int(respondent[1:]), question)
                assert key > previous
                count, previous = count + 1, key
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        event.remove(database.sync_engine, "before_cursor_execute", record)

    assert count == RESPONDENTS * QUESTIONS
    assert peak < 8_000_000, f"peak {peak / 1e6:.1f} MB"
    assert len([s for s in statements if "FROM answers" in s]) == 1, statements
