"""`consultbot export` from a terminal, on the database the bot wrote while three people answered:
the file holds what they answered, the filters keep what they say, and it shows progress."""

import json
import subprocess
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from conversations.loader import default_consultation_path, load_consultation
from storage.audit import recent_audit
from storage.database import session_factory
from tests.bot.harness import FrozenClock, make_harness
from tests.bot.test_staff_export import export as export_in_the_chat
from tests.bot.test_staff_scenario import (
    ANSWERS,
    EVERY_ANSWER,
    FINISHED,
    PROFILE_ANSWERS,
    SOURCE,
    People,
    ada_finishes,
    assert_no_identifiers,
    bea_stops_half_way,
    cal_finishes,
    csv_answers,
    meet,
    person_of,
    xlsx_answers,
    xlsx_expected,
)
from tests.reports.reading import CSV_COLUMNS, csv_records, open_workbook, sheet_rows

on_the_bots_sqlite_file = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
"""The command reads the SQLite file the bot wrote, as staff run it next to the bot."""
Run = Callable[..., subprocess.CompletedProcess[str]]
CAL_ANSWERS_ON = datetime(2022, 9, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
async def answered(database: AsyncEngine) -> AsyncIterator[People]:
    """Ada and Bea answer through the bot on 1 September, Cal on 10 September."""
    clock = FrozenClock()
    bot = await make_harness(database, load_consultation(default_consultation_path()), clock)
    try:
        people = meet(bot)
        await ada_finishes(bot, people.ada)
        await bea_stops_half_way(bot, people.bea)
        clock.now = CAL_ANSWERS_ON
        await cal_finishes(bot, people.cal)
        yield people
    finally:
        await bot.close()


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Path:
    """A config whose storage is the database the bot wrote to."""
    path = tmp_path / "consultbot.toml"
    path.write_text(f'[storage]\nurl = "{database_url}"\n', encoding="utf-8")
    return path


def export(consultbot: Run, config: Path, output: Path, *options: str) -> str:
    """Run the export; its standard error (where progress goes) once it has succeeded."""
    done = consultbot("export", "--config", str(config), "--output", str(output), *options)
    assert done.returncode == 0, done.stderr
    return done.stderr


def answered_by(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return sorted(
        (person_of(row["audience"]), row["area"], row["question"], row["answer"]) for row in rows
    )


def expected_from(*people: str) -> list[tuple[str, ...]]:
    return sorted((a.person, a.area, a.question, a.answer) for a in ANSWERS if a.person in people)


@on_the_bots_sqlite_file
async def test_export_writes_every_answer_to_a_csv_file_and_shows_progress(
    answered: People, consultbot: Run, config: Path, tmp_path: Path, database: AsyncEngine
):
    output = tmp_path / "responses.csv"

    done = consultbot("export", "--config", str(config), "--format", "csv", "--output", str(output))

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{output}: 3 people, 13 answers"
    assert "0 answers written" in done.stderr and "13 answers written" in done.stderr
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert_no_identifiers(data, answered)
    header, rows = csv_records(data)
    assert header[:8] == CSV_COLUMNS[:8]
    assert csv_answers(rows) == EVERY_ANSWER
    for row in rows:
        person = person_of(row["audience"])
        assert row["source"] == (SOURCE[person] or "")
        assert row["finished"] == ("yes" if FINISHED[person] else "no")
        day = "10" if person == "Cal" else "01"
        assert row["answered_at"] == f"2022-09-{day}T12:00:00+00:00"
    async with session_factory(database)() as session:
        (entry,) = await recent_audit(session)
    assert (entry.actor, entry.action, entry.rows) == ("command line", "export", 13)


@on_the_bots_sqlite_file
async def test_finished_only_and_since_keep_only_what_they_say_in_any_format(
    answered: People, consultbot: Run, config: Path, tmp_path: Path
):
    finished = tmp_path / "finished.csv"
    recent = tmp_path / "recent.xlsx"

    export(consultbot, config, finished, "--format", "csv", "--finished-only")
    progress = export(consultbot, config, recent, "--format", "xlsx", "--since", "2022-09-05")

    _, finished_rows = csv_records(finished.read_bytes())
    assert answered_by(finished_rows) == expected_from("Ada", "Cal")
    assert "4 answers written" in progress
    long = sheet_rows(open_workbook(recent.read_bytes())["All answers"])
    assert xlsx_answers(long[1:]) == xlsx_expected("Cal")
    assert_no_identifiers(recent.read_bytes(), answered)


@on_the_bots_sqlite_file
async def test_since_a_date_means_from_midnight_in_the_consultations_time_here_and_in_the_chat(
    database: AsyncEngine, consultbot: Run, config: Path, tmp_path: Path
):
    """Medway's time is London's: in summer, 23:30 UTC on 31 August is 00:30 on 1 September."""
    clock = FrozenClock(datetime(2022, 8, 31, 22, 30, tzinfo=UTC))  # 23:30 on 31 August
    bot = await make_harness(database, load_consultation(default_consultation_path()), clock)
    try:
        people = meet(bot)
        await ada_finishes(bot, people.ada)
        clock.now = datetime(2022, 8, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 September
        await cal_finishes(bot, people.cal)
        (sent,) = await export_in_the_chat(bot, "csv", "since", "2022-09-01")
    finally:
        await bot.close()
    output = tmp_path / "since.csv"
    export(consultbot, config, output, "--format", "csv", "--since", "2022-09-01")

    _, in_the_chat = csv_records(sent.files["document"].content)
    _, from_the_command = csv_records(output.read_bytes())
    assert answered_by(in_the_chat) == expected_from("Cal")
    assert answered_by(from_the_command) == expected_from("Cal")


@on_the_bots_sqlite_file
async def test_export_writes_json_lines_with_one_person_a_line(
    answered: People, consultbot: Run, config: Path, tmp_path: Path
):
    lines = tmp_path / "responses.jsonl"

    export(consultbot, config, lines, "--format", "json")

    people = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert sorted(person_of(record["audience"]) for record in people) == ["Ada", "Bea", "Cal"]
    assert sorted(
        (person_of(record["audience"]), a["area"], a["question"], a["answer"])
        for record in people
        for a in record["answers"]
    ) == expected_from("Ada", "Bea", "Cal")
    assert_no_identifiers(lines.read_bytes(), answered)


@on_the_bots_sqlite_file
async def test_with_profile_adds_the_answers_about_who_people_are_and_the_audit_says_so(
    answered: People, consultbot: Run, config: Path, tmp_path: Path, database: AsyncEngine
):
    lines = tmp_path / "responses.jsonl"

    progress = export(consultbot, config, lines, "--format", "json", "--with-profile")

    people = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    given = sorted(
        (person_of(record["audience"]), a["area"], a["question"], a["answer"])
        for record in people
        for a in record["answers"]
    )
    about_them = [(a.person, a.area, a.question, a.answer) for a in PROFILE_ANSWERS]
    assert given == sorted([*expected_from("Ada", "Bea", "Cal"), *about_them])
    assert f"{13 + len(PROFILE_ANSWERS)} answers written" in progress
    async with session_factory(database)() as session:
        (entry,) = await recent_audit(session)
    assert entry.detail == "exported json to a file with the answers about who people are"
    assert_no_identifiers(lines.read_bytes(), answered)


def test_export_to_a_folder_that_does_not_exist_says_so_without_a_traceback(
    consultbot: Run, small_config: Path, tmp_path: Path
):
    output = tmp_path / "no such folder" / "responses.csv"

    done = consultbot("export", "--config", str(small_config), "--output", str(output))

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("consultbot: ")
    assert str(output.parent) in done.stderr


def test_json_lines_are_not_written_into_a_json_file(
    consultbot: Run, small_config: Path, tmp_path: Path
):
    output = tmp_path / "responses.json"

    done = consultbot(
        "export", "--config", str(small_config), "--format", "json", "--output", str(output)
    )

    assert done.returncode == 2
    assert done.stderr == (
        f"consultbot: {output}: --format json writes JSON Lines (one JSON object per line, not "
        "one JSON document), which go in a .jsonl file. "
        f"Fix: --output {tmp_path / 'responses.jsonl'}\n"
    )
    assert not output.exists()


def test_an_export_with_nobody_in_it_writes_no_empty_file(
    consultbot: Run, small_config: Path, tmp_path: Path
):
    assert consultbot("db", "upgrade", "--config", str(small_config)).returncode == 0
    output = tmp_path / "responses.jsonl"

    done = consultbot(
        "export", "--config", str(small_config), "--format", "json", "--output", str(output)
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Nobody's answers to export yet, so {output} was not written.\n"
    assert not output.exists()
    assert not list(tmp_path.glob(".*.part"))
