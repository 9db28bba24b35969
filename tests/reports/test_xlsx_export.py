import io
import re
import zipfile
from datetime import datetime

import pytest

from reports.xlsx_export import XlsxExport

from .factories import (
    HOSTILE,
    LAYOUT,
    PRIORITY,
    PRIORITY_FOR_YOUNG_PEOPLE,
    fill,
    hostile_rows,
    sample_rows,
)
from .reading import ALL_ANSWERS_HEADINGS, open_workbook, sheet_rows

AUDIENCE_COLUMNS = (
    "Young person",
    "Young person %",
    "Parent or carer",
    "Parent or carer %",
    "Professional",
    "Professional %",
)
POOLED_COLUMNS = ("All audiences", "All audiences %")
ANYTHING_ELSE = "Is there anything else you want to tell us?"


def export(rows, **options) -> bytes:
    out = io.BytesIO()
    fill(XlsxExport(out, LAYOUT, **options), rows)
    return out.getvalue()


def unescaped(text: str) -> str:
    """Text as Excel shows it: OOXML writes control characters as `_x000D_`, which Excel
    decodes but openpyxl leaves as they are."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda found: chr(int(found[1], 16)), text)


@pytest.fixture(scope="module")
def workbook():
    return open_workbook(export(sample_rows()))


def summary_block(sheet, first_cell: str) -> list[tuple]:
    """The rows of the Summary from the one starting with `first_cell` to the next blank row."""
    rows = sheet_rows(sheet)
    start = next(n for n, row in enumerate(rows) if row[0] == first_cell)
    block = []
    for row in rows[start:]:
        if row[0] is None:
            break
        block.append(row[:3])
    return block


def question_block(sheet, words: str) -> list[tuple]:
    """The Summary's rows for the question whose first wording row reads `words`, from that row
    to the next empty row, every cell of each row."""
    rows = sheet_rows(sheet)
    start = next(n for n, row in enumerate(rows) if row[1] == words)
    block = []
    for row in rows[start:]:
        if all(cell is None for cell in row):
            break
        block.append(row)
    return block


def padded(*cells, width: int = 9) -> tuple:
    return (*cells, *(None,) * (width - len(cells)))


def test_summary_comes_first_then_area_sheets_then_typed_answers_then_all_answers(workbook):
    assert workbook.sheetnames == [
        "Summary",
        "Getting help, Young person",
        "Getting help, Parent or carer",
        "Getting help, Professional",
        "Getting ready for, Young person",
        "Getting ready, Parent or carer",
        "Getting ready for, Professional",
        "Anything else",
        "What would make help come",
        "Is there anything else you want",
        "All answers",
    ]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_summary_counts_who_took_part_with_audiences_named_for_staff(workbook):
    rows = sheet_rows(workbook["Summary"])
    assert rows[0][0] == "Consultation summary"
    assert [row[:2] for row in rows[2:8]] == [
        ("People who started", 4),
        ("Finished", 2),
        ("Not finished", 2),
        ("People who answered at least one question", 4),
        ("Answers", 13),
        ("Questions skipped", 2),
    ]
    assert summary_block(workbook["Summary"], "Audience") == [
        ("Audience", "Started", "Finished"),
        ("Young person", 2, 1),
        ("Parent or carer", 1, 1),
        ("Professional", 1, 0),
    ]


def test_different_words_get_a_column_per_audience_and_no_pooled_figure(workbook):
    assert question_block(workbook["Summary"], PRIORITY_FOR_YOUNG_PEOPLE) == [
        padded("Young person", PRIORITY_FOR_YOUNG_PEOPLE),
        padded("Parent or carer", PRIORITY),
        padded("Professional", PRIORITY),
        padded("Option", *AUDIENCE_COLUMNS),
        padded("Agree strongly", 2, 1, 0, 0, 0, 0),
        padded("Agree", 0, 0, 1, 1, 0, 0),
        padded("Not sure", 0, 0, 0, 0, 0, 0),
        padded("Disagree", 0, 0, 0, 0, 0, 0),
        padded("Disagree strongly", 0, 0, 0, 0, 0, 0),
        padded("Answered", 2, None, 1, None, 0),
        padded("Skipped", 0, None, 0, None, 0),
    ]


def test_the_same_words_for_everyone_also_get_the_pooled_figure(workbook):
    assert question_block(workbook["Summary"], "Were you asked what help you wanted?") == [
        padded("Everyone", "Were you asked what help you wanted?"),
        padded("Option", *AUDIENCE_COLUMNS, *POOLED_COLUMNS),
        padded("Yes", 1, 1, 0, 0, 0, 0, 1, 0.5),
        padded("No", 0, 0, 1, 1, 0, 0, 1, 0.5),
        padded("Answered", 1, None, 1, None, 0, None, 2),
        padded("Skipped", 1, None, 0, None, 0, None, 1),
        padded('"All audiences" pools everyone: every audience saw the same words.'),
    ]


def test_a_comparable_question_is_pooled_and_says_why(workbook):
    block = question_block(workbook["Summary"], "Where do you get help now?")
    assert block[:4] == [
        padded("Young person", "Where do you get help now?"),
        padded("Parent or carer", "Where does your child get help now?"),
        padded("Professional", "Where do you get help now?"),
        padded("Option", *AUDIENCE_COLUMNS, *POOLED_COLUMNS),
    ]
    assert block[4] == padded("School or college", 1, 0.5, 0, 0, 1, 1, 2, pytest.approx(2 / 3))
    assert block[-2:] == [
        padded("People could choose more than one, so shares add up to more than 100%."),
        padded(
            '"All audiences" pools everyone: the consultation file marks this question comparable.'
        ),
    ]


def counted(rows, area, question, option, audiences):
    """How many of these rows from these audiences chose this option: the truth to check
    each Summary cell against."""
    return sum(
        1
        for row in rows
        if (row.area, row.question) == (area, question)
        and row.audience in audiences
        and row.value is not None
        and option in row.value.split(",")
    )


def test_every_count_in_the_summary_counts_one_audience_unless_the_words_allow_pooling(workbook):
    """Cell by cell: each count under an audience's column is that audience's alone, and a
    pooled column appears exactly for questions asked in the same words or marked comparable."""
    audiences = LAYOUT.audience_keys
    checked = 0
    for area, question in LAYOUT.all_questions():
        if not question.counted:
            continue
        block = question_block(workbook["Summary"], question.wording(audiences[0]).text)
        header = next(row for row in block if row[0] == "Option")
        assert (header[7:9] == POOLED_COLUMNS) == question.pooled(audiences)
        start = block.index(header) + 1
        for key, label in question.choices:
            row = next(row for row in block[start:] if row[0] == label)
            for index, audience in enumerate(audiences):
                expected = counted(sample_rows(), area.key, question.key, key, {audience})
                assert row[1 + 2 * index] == expected, (question.key, key, audience)
                checked += 1
            if question.pooled(audiences):
                assert row[7] == counted(sample_rows(), area.key, question.key, key, audiences)
            else:
                assert row[7:] == (None, None)
    assert checked == 3 * (5 + 2 + 3 + 3)


def test_shares_are_numbers_formatted_as_percentages(workbook):
    sheet = workbook["Summary"]
    share = next(row[2] for row in sheet.iter_rows() if row[0].value == "Agree strongly")
    assert share.number_format == "0%"


def test_typed_questions_count_answers_per_audience_and_name_their_sheet(workbook):
    block = question_block(workbook["Summary"], "What would make help come sooner?")
    assert block == [
        padded("Young person", "What would make help come sooner?"),
        padded("Parent or carer", "What would get your child help sooner?"),
        padded("Professional", "What would make help come sooner?"),
        padded(None, *AUDIENCE_COLUMNS),
        padded("Answered", 1, None, 0, None, 0),
        padded("Skipped", 0, None, 1, None, 0),
        padded('Every typed answer is on the sheet "What would make help come".'),
    ]


def chart_xml(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = sorted(
            (name for name in book.namelist() if re.match(r"xl/charts/chart\d+\.xml$", name)),
            key=lambda name: int(re.findall(r"\d+", name)[0]),
        )
        return [book.read(name).decode() for name in names]


def test_each_audience_that_answered_gets_a_native_chart_titled_with_its_words():
    charts = chart_xml(export(sample_rows()))
    titles = [re.search(r"<a:t>(.*?)</a:t>", chart)[1] for chart in charts]
    assert titles == [
        f"{PRIORITY_FOR_YOUNG_PEOPLE} (Young person)",
        f"{PRIORITY} (Parent or carer)",
        "Were you asked what help you wanted? (Young person)",
        "Were you asked what help you wanted? (Parent or carer)",
        "Were you asked what help you wanted? (All audiences)",
        "Where do you get help now? (Young person)",
        "Where do you get help now? (Professional)",
        "Where do you get help now? (All audiences)",
        "Which matters most? (Young person)",
        "Which matters most? (Professional)",
        "Which matters most? (All audiences)",
    ]
    assert all("<c:barChart>" in chart for chart in charts)


def test_chart_bars_are_labelled_with_their_values_only():
    """LibreOffice shows every label part that is not switched off ("Agree; Column B; 2")."""
    for chart in chart_xml(export(sample_rows())):
        labels = re.search(r"<c:dLbls>(.*?)</c:dLbls>", chart)[1]
        assert '<c:showVal val="1"/>' in labels
        for part in ("LegendKey", "CatName", "SerName", "Percent", "BubbleSize"):
            assert f'<c:show{part} val="0"/>' in labels


def test_an_area_asked_in_different_words_gets_a_sheet_per_audience_headed_by_its_words(
    workbook,
):
    assert sheet_rows(workbook["Getting help, Young person"]) == [
        (
            "Respondent",
            "Audience",
            "Source",
            "Finished",
            PRIORITY_FOR_YOUNG_PEOPLE,
            "Were you asked what help you wanted?",
            "What would make help come sooner?",
        ),
        (
            "K7Q2",
            "Young person",
            "poster",
            "Yes",
            "Agree strongly",
            "Yes",
            "Ask me first, at the café 😀",
        ),
        ("Z9B1", "Young person", "school", "No", "Agree strongly", "Skipped", None),
    ]
    assert sheet_rows(workbook["Getting help, Parent or carer"]) == [
        (
            "Respondent",
            "Audience",
            "Source",
            "Finished",
            PRIORITY,
            "Were you asked what help you wanted?",
            "What would get your child help sooner?",
        ),
        ("M4T8", "Parent or carer", "school", "Yes", "Agree", "No", "Skipped"),
    ]


def test_an_area_asked_in_the_same_words_keeps_one_sheet_with_an_audience_column(workbook):
    assert sheet_rows(workbook["Anything else"]) == [
        (
            "Respondent",
            "Audience",
            "Source",
            "Finished",
            "Is there anything else you want to tell us?",
        ),
        ("K7Q2", "Young person", "poster", "Yes", "Two lines,\nwith a comma"),
        ("M4T8", "Parent or carer", "school", "Yes", "Thank you"),
    ]


def test_someone_whose_audience_is_not_named_gets_a_sheet_of_their_own():
    rows = [*sample_rows(), answer_without_audience()]
    book = open_workbook(export(rows))
    assert book.sheetnames[-1] == "Getting help, Not recorded"
    assert sheet_rows(book["Getting help, Not recorded"])[1][:5] == (
        "N0NE",
        "Not recorded",
        "school",
        "Yes",
        "Agree",
    )


def answer_without_audience():
    from .factories import answer

    return answer("N0NE", "early_help", "agree", "agree", audience=None)


def test_a_typed_question_has_a_sheet_of_every_answer_with_a_theme_column(workbook):
    assert sheet_rows(workbook["Is there anything else you want"]) == [
        ("Respondent", "Audience", "Area", "Question", "Answer", "Theme"),
        (
            "K7Q2",
            "Young person",
            "Anything else",
            "Is there anything else you want to tell us?",
            "Two lines,\nwith a comma",
            None,
        ),
        (
            "M4T8",
            "Parent or carer",
            "Anything else",
            "Is there anything else you want to tell us?",
            "Thank you",
            None,
        ),
    ]


def test_all_answers_sheet_holds_every_answer_with_labels_and_a_real_date(workbook):
    rows = sheet_rows(workbook["All answers"])
    assert rows[0] == ALL_ANSWERS_HEADINGS
    assert len(rows) == 1 + len(sample_rows())
    assert rows[1] == (
        "K7Q2",
        "Young person",
        "poster",
        "Getting help early",
        PRIORITY_FOR_YOUNG_PEOPLE,
        "Agree strongly",
        datetime(2025, 3, 1, 9, 31),
        "Yes",
    )
    assert rows[7][1:5] == ("Parent or carer", "school", "Getting help early", PRIORITY)


def test_staff_never_see_internal_keys(workbook):
    keys = {"young_person", "parent_carer", "professional", "early_help", "agree_strongly"}
    cells = {
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    }
    assert not cells & keys


def test_all_answers_continue_on_a_numbered_sheet_when_one_is_full():
    book = open_workbook(export(sample_rows(), rows_per_sheet=6))
    assert book.sheetnames[-3:] == ["All answers", "All answers (2)", "All answers (3)"]
    long_rows = [row for name in book.sheetnames[-3:] for row in sheet_rows(book[name])[1:]]
    assert [sheet.max_row for sheet in (book[name] for name in book.sheetnames[-3:])] == [6, 6, 6]
    assert [row[0] for row in long_rows] == [row.respondent for row in sample_rows()]


def test_hostile_answers_come_back_exactly_as_typed_as_text_in_every_sheet():
    """Text cells never run, so the XLSX keeps what people wrote (the CSV keeps its guard)."""
    book = open_workbook(export(hostile_rows()))
    typed = list(HOSTILE)
    assert [
        unescaped(row[6]) for row in sheet_rows(book["Getting help, Young person"])[1:]
    ] == typed
    assert [unescaped(row[4]) for row in sheet_rows(book["What would make help come"])[1:]] == typed
    assert [unescaped(row[5]) for row in sheet_rows(book["All answers"])[1:]] == typed
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert {cell.data_type for cell in cells if cell.value in HOSTILE} == {"s"}
