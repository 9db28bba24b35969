import io
import re
import zipfile

import pytest

from reports.xlsx_export import XlsxExport

from .factories import HOSTILE, LAYOUT, fill, hostile_rows, sample_rows
from .reading import ALL_ANSWERS_HEADINGS, open_workbook, sheet_rows


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


def test_summary_comes_first_then_one_sheet_per_area_then_all_answers(workbook):
    assert workbook.sheetnames == [
        "Summary",
        "Getting help early",
        "Getting ready for your future,",
        "Anything else",
        "All answers",
    ]


def test_summary_counts_who_took_part(workbook):
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
        ("young_person", 2, 1),
        ("parent_carer", 1, 1),
        ("professional", 1, 0),
    ]


def test_summary_gives_counts_and_shares_for_a_scale_question(workbook):
    assert summary_block(workbook["Summary"], "Do you agree this should be a priority?") == [
        ("Do you agree this should be a priority?", None, None),
        ("Option", "Count", "Share"),
        ("Agree strongly", 2, pytest.approx(2 / 3)),
        ("Agree", 1, pytest.approx(1 / 3)),
        ("Not sure", 0, 0),
        ("Disagree", 0, 0),
        ("Disagree strongly", 0, 0),
        ("Answered", 3, None),
        ("Skipped", 0, None),
    ]


def test_summary_shares_are_numbers_formatted_as_percentages(workbook):
    sheet = workbook["Summary"]
    share = next(row[2] for row in sheet.iter_rows() if row[0].value == "Agree strongly")
    assert share.number_format == "0%"


def test_summary_counts_each_option_of_a_multiple_choice_answer(workbook):
    block = summary_block(workbook["Summary"], "Where do you get help now?")
    assert block[2:7] == [
        ("School or college", 2, pytest.approx(2 / 3)),
        ("Family", 1, pytest.approx(1 / 3)),
        ("Online", 1, pytest.approx(1 / 3)),
        ("Answered", 3, None),
        ("Skipped", 0, None),
    ]


def test_summary_has_a_native_excel_chart_per_counted_question():
    with zipfile.ZipFile(io.BytesIO(export(sample_rows()))) as book:
        charts = [name for name in book.namelist() if name.startswith("xl/charts/chart")]
        assert "xl/charts/chart1.xml" in charts
        assert "<c:barChart>" in book.read("xl/charts/chart1.xml").decode()
    assert len(charts) == 4


def test_area_sheet_has_a_row_per_respondent_who_answered_there(workbook):
    assert sheet_rows(workbook["Getting help early"]) == [
        (
            "Respondent",
            "Audience",
            "Source",
            "Finished",
            "Do you agree this should be a priority?",
            "Were you asked what help you wanted?",
            "What would make help come sooner?",
        ),
        (
            "K7Q2",
            "young_person",
            "poster",
            "yes",
            "Agree strongly",
            "Yes",
            "Ask me first, at the café 😀",
        ),
        ("M4T8", "parent_carer", "school", "yes", "Agree", "No", "Skipped"),
        ("Z9B1", "young_person", "school", "no", "Agree strongly", "Skipped", None),
    ]


def test_area_sheet_leaves_out_respondents_who_never_reached_the_area(workbook):
    respondents = [row[0] for row in sheet_rows(workbook["Getting ready for your future,"])[1:]]
    assert respondents == ["K7Q2", "Z9B1", "A2C5"]
    assert sheet_rows(workbook["Getting ready for your future,"])[3][4:] == (
        "School or college",
        "Homes",
    )


def test_all_answers_sheet_holds_every_answer_with_a_real_date(workbook):
    rows = sheet_rows(workbook["All answers"])
    assert rows[0][:8] == ALL_ANSWERS_HEADINGS
    assert len(rows) == 1 + len(sample_rows())
    first = sample_rows()[0]
    assert rows[1][7] == first.answered_at.replace(tzinfo=None)
    assert rows[1][6] == "Agree strongly" and rows[1][8] == "agree_strongly"


def test_all_answers_continue_on_a_numbered_sheet_when_one_is_full():
    book = open_workbook(export(sample_rows(), rows_per_sheet=6))
    assert book.sheetnames[-3:] == ["All answers", "All answers (2)", "All answers (3)"]
    long_rows = [row for name in book.sheetnames[-3:] for row in sheet_rows(book[name])[1:]]
    assert [sheet.max_row for sheet in (book[name] for name in book.sheetnames[-3:])] == [6, 6, 6]
    assert [row[0] for row in long_rows] == [row.respondent for row in sample_rows()]


def test_hostile_answers_come_back_as_quoted_text_in_every_sheet():
    book = open_workbook(export(hostile_rows()))
    quoted = ["'" + text for text in HOSTILE]
    assert [unescaped(row[6]) for row in sheet_rows(book["Getting help early"])[1:]] == quoted
    assert [unescaped(row[6]) for row in sheet_rows(book["All answers"])[1:]] == quoted
    assert [unescaped(row[8]) for row in sheet_rows(book["All answers"])[1:]] == quoted
    assert not any(
        cell.data_type == "f"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    )
