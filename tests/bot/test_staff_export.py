"""/export through the real bot: the file staff get holds, cell by cell, what people answered;
no Telegram identifier is in it; typed formulas stay text; big files come zipped or in parts."""

import io
import json
import zipfile
from datetime import datetime

import pytest

from bot.admin import StaffHandlers
from storage.audit import recent_audit
from storage.rows import AuditRecord
from tests.bot.harness import STAFF_ID, BotHarness
from tests.bot.test_staff_scenario import (
    ANSWERS,
    EVERY_ANSWER,
    FINISHED,
    PROFILE_ANSWERS,
    SOURCE,
    ada_finishes,
    assert_no_identifiers,
    cal_finishes,
    csv_answers,
    meet,
    person_of,
    settle,
    staff_member,
    three_respondents,
    type_into_every_text_question,
    xlsx_answers,
    xlsx_expected,
)
from tests.reports.reading import (
    ALL_ANSWERS_HEADINGS,
    CSV_COLUMNS,
    csv_cells,
    csv_records,
    open_workbook,
    sheet_rows,
)
from tests.telegram_fakes.core import ApiCall

ANSWERED_AT = "2022-09-01T12:00:00+00:00"  # the harness clock
FILE_STEM = "medway-send-strategy-2022-responses-20220901-1300"  # the clock in Medway's time
HOSTILE = ('=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=1+1")
ADA_IDEA = "More clubs after school 🎨"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


async def export(harness: BotHarness, *arguments: str) -> list[ApiCall]:
    """Ask for an export as staff; the documents the bot sent, in order."""
    staff = staff_member(harness)
    before = len(harness.api.calls_of("sendDocument"))
    await harness.command(staff, "export", " ".join(arguments))
    await settle(harness)
    assert harness.api.failed_calls() == []
    return harness.api.calls_of("sendDocument", chat_id=STAFF_ID)[before:]


async def staff_audit(harness: BotHarness) -> list[AuditRecord]:
    async with harness.service.sessions() as session:
        return await recent_audit(session)


def content(call: ApiCall) -> bytes:
    return call.files["document"].content


def staff_handlers(harness: BotHarness) -> StaffHandlers:
    """The staff handlers the application was built with."""
    for handlers in harness.application.handlers.values():
        for handler in handlers:
            owner = getattr(handler.callback, "__self__", None)
            if isinstance(owner, StaffHandlers):
                return owner
    raise LookupError("no staff handlers are registered")


async def test_csv_export_holds_every_answer_cell_by_cell_as_people_gave_it(
    harness: BotHarness,
):
    people = await three_respondents(harness)

    (document,) = await export(harness, "csv")

    assert document.params["caption"] == "Here are the responses so far.\nPeople: 3. Answers: 13."
    assert document.files["document"].filename == f"{FILE_STEM}.csv"
    data = content(document)
    assert_no_identifiers(data, people)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    header, rows = csv_records(data)
    assert header[:8] == CSV_COLUMNS[:8]
    assert len({row["respondent"] for row in rows}) == 3
    assert csv_answers(rows) == EVERY_ANSWER
    for row in rows:
        person = person_of(row["audience"])
        assert row["source"] == (SOURCE[person] or "")
        assert row["answered_at"] == ANSWERED_AT
        assert row["finished"] == ("yes" if FINISHED[person] else "no")
        assert row["respondent"].startswith("R")
    async with harness.service.sessions() as session:
        (entry,) = await recent_audit(session)
    assert (entry.actor, entry.action, entry.detail, entry.rows) == (
        f"staff:{STAFF_ID}",
        "export",
        "exported csv",
        13,
    )


async def test_xlsx_export_has_a_summary_a_wide_sheet_per_area_and_every_answer(
    harness: BotHarness,
):
    people = await three_respondents(harness)

    (document,) = await export(harness)  # xlsx unless asked otherwise

    assert document.files["document"].filename == f"{FILE_STEM}.xlsx"
    assert_no_identifiers(content(document), people)  # in every part of the XLSX zip
    book = open_workbook(content(document))
    assert book.sheetnames == [
        "Summary",
        "Who has answered",
        "Being included, Young person",
        "Being included, Parent or carer",
        "Being included, Professional",
        "Getting ready for, Young person",
        "Getting ready, Parent or carer",
        "Getting ready for, Professional",
        "Working with you, Young person",
        "Working with, Parent or carer",
        "Working with you, Professional",
        "The right help at, Young person",
        "The right help, Parent or carer",
        "The right help at, Professional",
        "Getting back on, Young person",
        "Getting back, Parent or carer",
        "Getting back on, Professional",
        "Our vision and, Young person",
        "Our vision and, Parent or carer",
        "Our vision and, Professional",
        "Anything else, Young person",
        "Anything else, Parent or carer",
        "Anything else, Professional",
        "What would help you feel more",
        "Is there anything else that",
        "How could we work better with",
        "What would make it easier to",
        "What would help you get back on",
        "What would show you that things",
        "Is there anything else you want",
        "All answers",
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["People who started"] == 3
    assert summary["Finished"] == 2
    assert summary["Not finished"] == 1
    assert summary["Answers"] == 10
    assert summary["Questions skipped"] == 3

    young = sheet_rows(book["Being included, Young person"])
    assert young == [
        (
            "Respondent",
            "Audience",
            "Source",
            "Finished",
            "Being included is important to me.",
            "I feel included at school or college.",
            "What would help you feel more included?",
        ),
        (young[1][0], "Young person", "library_poster", "Yes", "Agree a lot", "Not sure", ADA_IDEA),
    ]
    professionals = sheet_rows(book["Being included, Professional"])
    assert [row[1:] for row in professionals] == [
        (
            "Audience",
            "Source",
            "Finished",
            "This ambition is the right priority for 2022 to 2025.",
            "Children with SEND are included well where I work.",
            "What would most improve inclusion and taking part?",
        ),
        ("Professional", None, "Yes", "Agree", "(skipped)", "(skipped)"),
    ]
    future = sheet_rows(book["Getting ready, Parent or carer"])
    assert [row[1:] for row in future[1:]] == [
        (
            "Parent or carer",
            "school_newsletter",
            "No",
            "Agree",
            "No",
            "Money, Health",
            'One "key worker", who knows us,\nnot a leaflet',
        )
    ]

    long = sheet_rows(book["All answers"])
    assert long[0] == ALL_ANSWERS_HEADINGS
    assert xlsx_answers(long[1:]) == xlsx_expected("Ada", "Bea", "Cal")
    assert {row[6] for row in long[1:]} == {datetime(2022, 9, 1, 12, 0)}


async def test_json_export_has_one_object_per_person_with_all_their_answers(
    harness: BotHarness,
):
    people = await three_respondents(harness)

    (document,) = await export(harness, "json")

    assert document.files["document"].filename == f"{FILE_STEM}.jsonl"
    assert_no_identifiers(content(document), people)
    lines = content(document).decode("utf-8").splitlines()
    people = [json.loads(line) for line in lines]
    assert len(people) == 3
    for record in people:
        person = person_of(record["audience"])
        assert record["source"] == SOURCE[person]
        assert record["finished"] is FINISHED[person]
        assert [
            (a["area"], a["question"], a["question_text"], a["answer"], a["value"])
            for a in record["answers"]
        ] == [
            (a.area, a.question, a.question_text, a.answer, a.value)
            for a in ANSWERS
            if a.person == person
        ]
        assert {a["answered_at"] for a in record["answers"]} == {ANSWERED_AT}


async def test_formulas_typed_into_the_bot_come_back_as_plain_text_in_csv_and_xlsx(
    harness: BotHarness,
):
    mallory = harness.person("Mallory", username="mallory_hostile_1")
    await type_into_every_text_question(harness, mallory, HOSTILE)
    written = {text.strip() for text in HOSTILE}  # Telegram and the bot trim what is typed

    (csv_file,) = await export(harness, "csv")
    (xlsx_file,) = await export(harness, "xlsx")

    rows = csv_cells(content(csv_file))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
    typed = {row[6] for row in rows[1:] if row[6] != "(skipped)"}
    assert typed == {"'" + text if text.startswith(FORMULA_STARTS) else text for text in written}
    assert {row[8] for row in rows[1:] if row[8]} == typed  # the raw value column too

    # In the XLSX, text cells never run, so what people wrote comes back exactly as written.
    book = open_workbook(content(xlsx_file))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    long = sheet_rows(book["All answers"])[1:]
    assert {row[5] for row in long if row[5] != "(skipped)"} == written
    typed_sheets = [name for name in book.sheetnames if sheet_rows(book[name])[0][-1] == "Theme"]
    assert {row[4] for name in typed_sheets for row in sheet_rows(book[name])[1:]} == written


EXPORT_USAGE = """Please write /export, then csv, xlsx or json.
You can add finished: only people who finished.
You can add since and a date: only answers since midnight that day, Europe/London time.
You can add with-profile: also the answers about who people are.
For example: /export xlsx finished since 2022-09-01"""


@pytest.mark.parametrize(
    "written", ["pdf", "xlsx csv", "since", "since yesterday", "csv since 01/09/2022", "all"]
)
async def test_export_with_words_it_does_not_know_shows_every_accepted_form(
    harness: BotHarness, written: str
):
    staff = staff_member(harness)
    assert await export(harness, *written.split()) == []
    assert harness.last(staff).text == EXPORT_USAGE
    assert [entry for entry in await staff_audit(harness) if entry.action == "export"] == []


WITH_PROFILE = "With the answers about who people are (age, where they live...)."


async def test_export_with_profile_adds_who_they_are_as_answers_of_their_own_and_says_so(
    harness: BotHarness,
):
    people = await three_respondents(harness)

    (plain,) = await export(harness, "csv")
    (sent,) = await export(harness, "csv", "with-profile")

    assert "profile" not in {row["area"] for row in csv_records(content(plain))[1]}
    _, rows = csv_records(content(sent))
    about_them = [
        (a.person, a.area, a.question, a.question_text, a.answer, a.value) for a in PROFILE_ANSWERS
    ]
    assert csv_answers(rows) == sorted([*EVERY_ANSWER, *about_them])
    answers = len(EVERY_ANSWER) + len(PROFILE_ANSWERS)
    assert sent.params["caption"] == (
        f"Here are the responses so far.\nPeople: 3. Answers: {answers}.\n{WITH_PROFILE}"
    )
    assert_no_identifiers(content(sent), people)
    exports = [entry for entry in await staff_audit(harness) if entry.action == "export"]
    assert [(entry.detail, entry.rows) for entry in exports] == [
        (f"exported csv {WITH_PROFILE}", answers),
        ("exported csv", len(EVERY_ANSWER)),
    ]


async def test_an_xlsx_export_with_profile_shows_who_they_are_in_words_on_sheets_of_their_own(
    harness: BotHarness,
):
    await three_respondents(harness)

    (plain,) = await export(harness, "xlsx")
    (sent,) = await export(harness, "xlsx", "finished", "with-profile")

    assert not [name for name in open_workbook(content(plain)).sheetnames if "Who they" in name]
    book = open_workbook(content(sent))
    young = sheet_rows(book["Who they are, Young person"])
    assert young[0][4:] == (
        "How old are you?",
        "Which part of Medway do you live in?",
        "Do you have an EHC plan? This is an education, health and care plan.",
    )
    assert young[1][1:] == (
        "Young person",
        "library_poster",
        "Yes",
        "11 to 15 years",
        "Chatham",
        "Yes",
    )
    professional = sheet_rows(book["Who they are, Professional"])
    assert professional[0][4:] == (
        "Which age group do you work with most?",
        "Which part of Medway do you work in most?",
        "(not asked of this group)",  # the EHC plan question, for young people and parents
    )
    assert professional[1][4:] == ("Prefer not to say", "Prefer not to say", None)
    assert len(sheet_rows(book["Who they are, Parent or carer"])) == 1, "Bea did not finish"
    summary_rows = sheet_rows(book["Summary"])
    assert ("Professional", "(not asked of this group)") in [row[:2] for row in summary_rows]
    summary = {cell for row in summary_rows for cell in row if cell}
    assert {"Who they are", "Chatham", "Hoo Peninsula", "Prefer not to say"} <= summary
    assert not {"profile", "prefer_not_to_say", "chatham"} & summary, "labels, never keys"
    assert sent.params["caption"].endswith(f"Only people who finished.\n{WITH_PROFILE}")


async def test_export_finished_keeps_only_people_who_finished_and_says_so(harness: BotHarness):
    people = await three_respondents(harness)

    (sent,) = await export(harness, "csv", "finished")

    _, rows = csv_records(content(sent))
    finished = [answer for answer in EVERY_ANSWER if FINISHED[answer[0]]]
    assert csv_answers(rows) == finished
    assert sent.params["caption"] == (
        f"Here are the responses so far.\nPeople: 2. Answers: {len(finished)}.\n"
        "Only people who finished."
    )
    assert_no_identifiers(content(sent), people)


async def test_export_since_a_date_keeps_answers_from_then_in_the_consultations_time(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)  # 1 September, 1pm in Medway
    harness.clock.now = datetime.fromisoformat("2022-09-09T23:30:00+00:00")  # 10 Sept, 00:30 BST
    await cal_finishes(harness, people.cal)

    (sent,) = await export(harness, "since", "2022-09-10", "xlsx")

    long = sheet_rows(open_workbook(content(sent))["All answers"])[1:]
    cal = xlsx_expected("Cal")
    assert xlsx_answers(long) == cal
    assert sent.params["caption"].endswith(
        "\nOnly answers given or changed since Saturday 10 September 2022 at 12:00am."
    )
    (entry,) = [entry for entry in await staff_audit(harness) if entry.action == "export"]
    assert entry.detail == (
        "exported xlsx Only answers given or changed since Saturday 10 September 2022 at 12:00am."
    )
    assert entry.rows == len(cal)


async def test_an_export_over_the_upload_limit_arrives_zipped(harness: BotHarness):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    (whole,) = await export(harness, "csv")
    staff_handlers(harness).upload_limit = len(content(whole)) - 1

    (zipped,) = await export(harness, "csv")

    assert zipped.files["document"].filename == f"{FILE_STEM}.csv.zip"
    assert len(content(zipped)) <= len(content(whole)) - 1
    with zipfile.ZipFile(io.BytesIO(content(zipped))) as archive:
        assert archive.namelist() == [f"{FILE_STEM}.csv"]
        assert archive.read(f"{FILE_STEM}.csv") == content(whole)
    assert zipped.params["caption"] == "Here are the responses so far.\nPeople: 1. Answers: 4."
    assert_no_identifiers(content(zipped), people)


async def test_an_export_still_too_big_once_zipped_arrives_in_parts_that_join_up(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    limit = 2_000  # an XLSX file hardly shrinks when zipped
    staff_handlers(harness).upload_limit = limit

    parts = await export(harness, "xlsx")

    names = [part.files["document"].filename for part in parts]
    assert len(parts) > 1
    assert names == [f"{FILE_STEM}.xlsx.zip.{n:03d}" for n in range(1, len(parts) + 1)]
    assert all(len(content(part)) <= limit for part in parts)
    staff_said = [text or "" for text in harness.api.texts(STAFF_ID)]
    assert (
        f"The file was too big for Telegram, so it is zipped in {len(parts)} parts. "
        "Put them in one folder and open the first."
    ) in staff_said
    joined = b"".join(content(part) for part in parts)
    assert_no_identifiers(joined, people)
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        book = open_workbook(archive.read(f"{FILE_STEM}.xlsx"))
    answers = sheet_rows(book["All answers"])[1:]
    assert [row[5] for row in answers] == [
        "Agree a lot",
        "Not sure",
        "More clubs after school 🎨",
        "(skipped)",
    ]
