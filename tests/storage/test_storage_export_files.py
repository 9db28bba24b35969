"""The CSV and JSON Lines files, byte for byte, from answers stored in a real database.

The expected files below are written out by hand from what was stored (not produced by the
export code), so a faster export path that changes one byte — a quote, a time, a line ending,
the formula guard — fails here, on SQLite and on PostgreSQL alike.
"""

import json
from datetime import UTC, datetime, timedelta, timezone

from conversations.outputs import Answer
from reports.layout import ExportLayout
from reports.write import ExportFormat, write_export
from storage.database import session_factory
from storage.export_stream import stream_export_batches
from storage.respondents import update_respondent

CONSULTATION = "send-strategy-2022"
NOON = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
ONE_HOUR_EAST = timezone(timedelta(hours=1))

EXPECTED_CSV = (
    "\ufeff"
    "respondent,audience,source,area,question,question_text,answer,answered_at,value,finished,"
    "consultation_version,language\r\n"
    'ADA,young_person,poster,inclusion,fair,"Is it fair, really?",Yes,'
    "2022-09-01T12:00:00+00:00,yes,yes,v1,en\r\n"
    'ADA,young_person,poster,inclusion,ideas,Your ideas?,"\'=HYPERLINK(""x"")",'
    '2022-09-01T12:00:59+00:00,"\'=HYPERLINK(""x"")",yes,v1,en\r\n'
    "ADA,young_person,poster,inclusion,skip,Anything?,Skipped,"
    "2022-09-01T12:02:00+00:00,,yes,v1,en\r\n"
    'BO,,,final,else,Else?,"Say ""hi"",\nthen go 😀",2022-09-01T12:03:00+00:00,'
    '"Say ""hi"",\nthen go 😀",no,v1,pl\r\n'
)
"""Quoted where a cell holds a comma, a quote or a line break; a leading `'` on a formula; an
empty cell for a skipped value or an unknown audience; times cut to the second, in UTC. ADA and
BO stand for the respondents' labels."""

EXPECTED_JSONL = (
    '{"respondent": "ADA", "audience": "young_person", "source": "poster", "finished": true, '
    '"answers": ['
    '{"area": "inclusion", "question": "fair", "question_text": "Is it fair, really?", '
    '"value": "yes", "answer": "Yes", "answered_at": "2022-09-01T12:00:00+00:00", '
    '"consultation_version": "v1", "language": "en"}, '
    '{"area": "inclusion", "question": "ideas", "question_text": "Your ideas?", '
    r'"value": "=HYPERLINK(\"x\")", "answer": "=HYPERLINK(\"x\")", '
    '"answered_at": "2022-09-01T12:00:59+00:00", "consultation_version": "v1", "language": "en"}, '
    '{"area": "inclusion", "question": "skip", "question_text": "Anything?", '
    '"value": null, "answer": "Skipped", "answered_at": "2022-09-01T12:02:00+00:00", '
    '"consultation_version": "v1", "language": "en"}]}\n'
    '{"respondent": "BO", "audience": null, "source": null, "finished": false, '
    '"answers": ['
    '{"area": "final", "question": "else", "question_text": "Else?", '
    r'"value": "Say \"hi\",\nthen go 😀", "answer": "Say \"hi\",\nthen go 😀", '
    '"answered_at": "2022-09-01T12:03:00+00:00", "consultation_version": "v1", '
    '"language": "pl"}]}\n'
)
"""One line per respondent, answers in the order given; raw text (no formula guard: these files
are for programs), JSON's own escapes, UTF-8 rather than \\u escapes."""


async def _two_respondents(sessions, make_respondent, record_answer) -> tuple[int, int]:
    ada, bo = (await make_respondent(1)).id, (await make_respondent(2)).id
    formula = '=HYPERLINK("x")'
    said = 'Say "hi",\nthen go 😀'
    await record_answer(
        ada,
        Answer("inclusion", "fair", "Is it fair, really?", "yes", "Yes", "en"),
        NOON + timedelta(microseconds=999_999),
    )
    await record_answer(
        ada,
        Answer("inclusion", "ideas", "Your ideas?", formula, formula, "en"),
        datetime(2022, 9, 1, 13, 0, 59, tzinfo=ONE_HOUR_EAST),
    )
    await record_answer(
        ada,
        Answer("inclusion", "skip", "Anything?", None, "Skipped", "en"),
        NOON + timedelta(minutes=2),
    )
    await record_answer(
        bo,
        Answer("final", "else", "Else?", said, said, "pl"),
        NOON + timedelta(minutes=3),
    )
    async with sessions() as session, session.begin():
        await update_respondent(
            session, respondent_id=ada, audience="young_person", source="poster", finished_at=NOON
        )
    return ada, bo


async def _export(database, fmt: ExportFormat, path) -> bytes:
    batches = stream_export_batches(
        session_factory(database, read_only=True), consultation_id=CONSULTATION, batch_size=2
    )
    await write_export(batches, ExportLayout(()), fmt, path)
    return path.read_bytes()


def _labelled(expected: str, ada: int, bo: int) -> bytes:
    return expected.replace("ADA", f"R{ada}").replace("BO", f"R{bo}").encode()


async def test_the_csv_file_is_exactly_what_was_stored(
    database, sessions, make_respondent, record_answer, tmp_path
):
    ada, bo = await _two_respondents(sessions, make_respondent, record_answer)
    written = await _export(database, ExportFormat.CSV, tmp_path / "out.csv")
    assert written == _labelled(EXPECTED_CSV, ada, bo)


async def test_the_json_lines_file_is_exactly_what_was_stored(
    database, sessions, make_respondent, record_answer, tmp_path
):
    ada, bo = await _two_respondents(sessions, make_respondent, record_answer)
    written = await _export(database, ExportFormat.JSON, tmp_path / "out.jsonl")
    assert written == _labelled(EXPECTED_JSONL, ada, bo)
    assert [len(json.loads(line)["answers"]) for line in written.splitlines()] == [3, 1]
