"""Answers about who is answering: counted per audience, left out of statistics and exports
unless asked for, and then shown apart under "Who they are"; all from a real database."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conversations.loader import load_consultation
from conversations.model import PREFER_NOT
from conversations.outputs import Answer
from conversations.state import State
from reports.consultation import consultation_stats, export_responses
from reports.profile import profile_counts, tally_profile
from reports.write import ExportFormat
from storage.answers import record_answers
from storage.identity import pseudonym
from storage.progress import save_progress
from storage.respondents import get_or_create_respondent, update_respondent
from storage.rows import AnswerCount
from tests.conversations.chatkit import PROFILE, SMALL
from tests.reports.reading import csv_records, open_workbook, sheet_rows

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)


async def _person(sessions, user_id: int, audience: str, *answers: Answer) -> None:
    async with sessions() as session, session.begin():
        respondent = await get_or_create_respondent(
            session,
            consultation_id="small",
            pseudonym=pseudonym(b"secret", user_id),
            chat_id=user_id,
            now=NOW,
        )
        await update_respondent(session, respondent_id=respondent.id, audience=audience)
        await record_answers(
            session, respondent_id=respondent.id, answers=answers, consultation_version="v", now=NOW
        )


def _age(value: str | None) -> Answer:
    return Answer("profile", "age", "How old are you?", value, "")


@pytest.fixture
def profiled(tmp_path: Path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL + PROFILE, encoding="utf-8")
    return load_consultation(path)


async def test_profile_answers_are_counted_per_audience_and_for_everyone(sessions, profiled):
    consultation = profiled
    await _person(sessions, 1, "young_person", _age("under_11"))
    await _person(sessions, 2, "young_person", _age("from_11"))
    await _person(sessions, 3, "young_person", _age(PREFER_NOT))
    await _person(
        sessions, 4, "parent_carer", _age("under_11"), Answer("school", "bus", "", "yes", "")
    )
    await _person(sessions, 5, "parent_carer", _age(None))

    counts = await profile_counts(consultation, sessions)

    young = counts.of("age", "young_person")
    assert (young.people, young.skipped) == (3, 0)
    assert (young.chose("under_11"), young.chose("from_11"), young.chose(PREFER_NOT)) == (1, 1, 1)
    parents = counts.of("age", "parent_carer")
    assert (parents.people, parents.skipped, parents.chose("under_11")) == (1, 1, 1)
    everyone = counts.everyone("age")
    assert (everyone.people, everyone.skipped, everyone.chose("under_11")) == (4, 1, 2)
    assert counts.of("plan", "young_person").people == 0, "nobody answered it yet"
    assert counts.of("bus", "parent_carer").people == 0, "a consultation answer is not profile"


def test_a_tick_list_answer_counts_the_person_once_and_each_option_ticked():
    counts = tally_profile(
        [
            AnswerCount("parent_carer", "needs", "autism,hearing", 2),
            AnswerCount("parent_carer", "needs", "hearing", 1),
        ],
        multi=frozenset({"needs"}),
    )

    needs = counts.of("needs", "parent_carer")
    assert needs.people == 3
    assert (needs.chose("autism"), needs.chose("hearing")) == (2, 3)


def _plan(value: str | None, label: str) -> Answer:
    return Answer("profile", "plan", "Is there an EHC plan?", value, label)


async def two_people(sessions) -> None:
    """Ada answers both profile questions and one on the bus; Ben prefers not to say his age,
    skips the plan question and answers one on the bus."""
    bus = Answer("school", "bus", "Do you go by bus?", "yes", "Yes")
    await _person(
        sessions,
        1,
        "young_person",
        Answer("profile", "age", "How old are you?", "under_11", "Under 11"),
        _plan("yes", "Yes"),
        bus,
    )
    await _person(
        sessions,
        2,
        "parent_carer",
        Answer("profile", "age", "How old is your child?", PREFER_NOT, "Prefer not to say"),
        _plan(None, "(skipped)"),
        bus,
    )


async def test_statistics_leave_the_profile_answers_out(sessions, profiled):
    await two_people(sessions)
    async with sessions() as session, session.begin():
        await save_progress(
            session,
            respondent_id=2,
            state=State(at="q:profile/plan").to_dict(),
            expected_version=0,
            now=NOW,
        )

    stats = await consultation_stats(profiled, sessions)

    assert [area.area for area in stats.areas] == ["school", "home", "final"]
    assert (stats.respondents, stats.answered, stats.skipped) == (2, 2, 0)
    assert [(stop.position, stop.count) for stop in stats.stopped] == [("profile", 1)]


@pytest.mark.parametrize("with_profile", [False, True])
async def test_a_csv_export_has_the_profile_answers_only_when_asked(
    sessions, profiled, tmp_path, with_profile
):
    await two_people(sessions)
    path = tmp_path / "out.csv"

    summary = await export_responses(
        profiled, sessions, ExportFormat.CSV, path, with_profile=with_profile
    )

    _, rows = csv_records(path.read_bytes())
    given = [(r["respondent"], r["area"], r["question"], r["value"], r["answer"]) for r in rows]
    profile = [
        ("R1", "profile", "age", "under_11", "Under 11"),
        ("R1", "profile", "plan", "yes", "Yes"),
    ]
    ben = [
        ("R2", "profile", "age", PREFER_NOT, "Prefer not to say"),
        ("R2", "profile", "plan", "", "(skipped)"),
    ]
    bus = [("school", "bus", "yes", "Yes")]
    if with_profile:
        assert given == [*profile, ("R1", *bus[0]), *ben, ("R2", *bus[0])]
    else:
        assert given == [("R1", *bus[0]), ("R2", *bus[0])]
    assert summary.answers == len(given)


async def test_a_jsonl_export_keeps_the_profile_answers_apart_unless_asked(
    sessions, profiled, tmp_path
):
    await two_people(sessions)
    plain, profiled_path = tmp_path / "plain.jsonl", tmp_path / "profile.jsonl"

    await export_responses(profiled, sessions, ExportFormat.JSON, plain)
    await export_responses(profiled, sessions, ExportFormat.JSON, profiled_path, with_profile=True)

    def areas(path: Path) -> list[list[str]]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [[a["area"] for a in json.loads(line)["answers"]] for line in lines]

    assert areas(plain) == [["school"], ["school"]]
    assert areas(profiled_path) == [["profile", "profile", "school"]] * 2


async def test_an_xlsx_export_shows_who_they_are_on_sheets_of_their_own_only_when_asked(
    sessions, profiled, tmp_path
):
    await two_people(sessions)
    plain, with_profile = tmp_path / "plain.xlsx", tmp_path / "profile.xlsx"

    await export_responses(profiled, sessions, ExportFormat.XLSX, plain)
    await export_responses(profiled, sessions, ExportFormat.XLSX, with_profile, with_profile=True)

    left_out = open_workbook(plain.read_bytes())
    assert not [name for name in left_out.sheetnames if name.startswith("Who they")]
    everything = "\n".join(
        str(cell) for sheet in left_out for row in sheet_rows(sheet) for cell in row if cell
    )
    assert "EHC plan" not in everything and "Under 11" not in everything
    book = open_workbook(with_profile.read_bytes())
    # a sheet per audience, as they were asked in words of their own (names cut to fit Excel)
    assert book.sheetnames[1:3] == [
        "Who they, I'm a young person",
        "Who they, I'm a parent or carer",
    ]
    young = sheet_rows(book["Who they, I'm a young person"])
    assert young[0][-2:] == ("How old are you?", "Is there an EHC plan?")
    assert young[1][0] == "R1" and young[1][-2:] == ("Under 11", "Yes")
    parents = sheet_rows(book["Who they, I'm a parent or carer"])
    assert parents[0][-2:] == ("How old is your child?", "Is there an EHC plan?")
    assert parents[1][0] == "R2" and parents[1][-2:] == ("Prefer not to say", "(skipped)")
    summary = [cell for row in sheet_rows(book["Summary"]) for cell in row if cell]
    assert "Who they are" in summary and "Prefer not to say" in summary
    assert "profile" not in summary and PREFER_NOT not in summary, "labels, never keys"
    long = sheet_rows(book["All answers"])
    assert [row[3] for row in long[1:]] == ["Who they are", "Who they are", "School"] * 2
