"""Answers as an Excel workbook staff can open and read, written in constant memory.

Sheets, in order:
- "Summary": who took part, and a block per question with a column per audience (see
  `reports.xlsx_summary`);
- "Who has answered", when the export is made with the moment it counts at: progress towards
  the consultation's targets, people per audience and source, and where people stopped (see
  `reports.xlsx_who`);
- one sheet per area, a row per respondent who answered anything there and a column per
  question, headed by the question's words. Where audiences were asked an area's questions in
  different words, the area gets a sheet per audience ("Being included, Young person"), each
  headed by that audience's words. Anyone whose audience the consultation does not name gets
  a sheet of their own, added the first time one appears;
- one sheet per typed question: every answer with its audience, area and the words asked,
  and an empty "Theme" column for staff coding themes;
- "All answers": one row per answer, continued on "All answers (2)" and so on past Excel's
  1,048,576 rows. Answers to questions the layout does not name appear only here.

Staff read labels, never keys: audiences by name, areas by title, questions by their words.
Text is written as text: a cell holding "=HYPERLINK(...)" shows exactly what was typed and never
runs (the formula guard belongs to CSV, which has no cell types).

XlsxWriter's `constant_memory` mode flushes each row once the next one starts, so every sheet is
written top to bottom: a respondent's rows are written when their answers arrive (rows come
grouped by respondent), and the summary, counted along the way, is written at the end into the
sheet that was added first. The worksheets' temporary files hold answers, so they live in a
private folder that is removed whatever happens.
"""

import tempfile
from collections.abc import Sequence
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.cells import ExcelTimes
from reports.grouping import Respondents
from reports.layout import AreaLayout, ExportLayout, QuestionLayout
from reports.sheet_names import SheetNames
from reports.stats import StatsCollector
from reports.targets import WhoAnswered
from reports.wording import StaffWords, staff_words
from reports.xlsx_summary import write_summary
from reports.xlsx_who import write_who_answered
from storage.rows import ExportRow

EXCEL_MAX_ROWS = 1_048_576
TYPED_WIDTHS = (11, 16, 24, 36, 60, 24)
"""Typed answer sheets: respondent, audience, area, question, answer and theme, in characters."""


class XlsxExport:
    """Writes the workbook to a binary file as answers come; `close` finishes it.

    `rows_per_sheet` (header included) is Excel's limit; tests lower it to see sheets continue.
    """

    def __init__(
        self,
        out: BinaryIO,
        layout: ExportLayout,
        *,
        rows_per_sheet: int = EXCEL_MAX_ROWS,
        who: WhoAnswered | None = None,
    ) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="consultbot-xlsx-")
        self._book = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "tmpdir": self._folder.name,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self._layout = layout
        self._words = staff_words()
        self._stats = StatsCollector(layout)
        say = self._words.say
        names = SheetNames()
        summary_name = names.claim(say("sheet_summary"))
        long_name = names.claim(say("sheet_all_answers"))
        self._summary = self._book.add_worksheet(summary_name)
        self._who = who
        if who is not None:
            self._who_sheet = self._book.add_worksheet(names.claim(say("sheet_who")))
        self._sheets = _Sheets(self._book, names, self._words, rows_per_sheet)
        self._areas = {area.key: _AreaSheets(self._sheets, layout, area) for area in layout.areas}
        self._typed = {
            (area.key, question.key): _TypedSheet(self._sheets, layout, area, question)
            for area, question in layout.all_questions()
            if question.kind == "text"
        }
        long_header = [
            say(key)
            for key in (
                "column_respondent",
                "column_audience",
                "column_source",
                "column_area",
                "column_question",
                "column_answer",
                "column_answered_at",
                "column_finished",
            )
        ]
        self._long = self._sheets.run(long_name, long_header)
        self._area_titles: dict[str, str] = {}
        for area in layout.areas:
            self._area_titles.setdefault(area.key, area.title)
        self._excel_time = ExcelTimes()

    def add(self, respondents: Respondents) -> None:
        """Write some respondents' answers: long rows, wide rows, typed answers; count them."""
        for answers in respondents:
            self._add_respondent(answers)

    def _add_respondent(self, answers: Sequence[ExportRow]) -> None:
        self._stats.add(answers)
        first = answers[0]
        respondent, audience, source, finished, *_ = first
        audience_name = self._audience(audience)
        about = (respondent, audience_name, source or "")
        done = self._sheets.finished(finished)
        by_area: dict[str, dict[str, str]] = {}
        for _, _, _, _, area, question, text, value, answer, at, _, _ in answers:
            self._write_long(about, area, text, answer, at, done)
            by_area.setdefault(area, {})[question] = answer
            typed = self._typed.get((area, question))
            if typed and value is not None:
                typed.write(respondent, audience_name, text, answer)
        for area, given in by_area.items():
            if area in self._areas:
                self._areas[area].write(first, given, audience_name)

    def close(self) -> None:
        """Write the summary, finish every sheet and the file, and remove the temporary files."""
        try:
            typed_names = {key: typed.run.name for key, typed in self._typed.items()}
            write_summary(
                self._book, self._summary, self._stats.result(), self._layout, typed_names
            )
            if self._who is not None:
                people = self._stats.result(self._who.stopped, self._who.people)
                write_who_answered(self._book, self._who_sheet, self._who, people, self._layout)
            self._sheets.finish()
            self._book.close()
        finally:
            self._folder.cleanup()

    def _audience(self, audience: str | None) -> str:
        return self._layout.audience_label(audience, self._words.say("not_recorded"))

    def _write_long(
        self, about: tuple[str, str, str], area: str, text: str, answer: str, at: str, done: str
    ) -> None:
        sheet, row = self._long.next_row()
        cells = (*about, self._area_titles.get(area, area), text, answer)
        for column, cell in enumerate(cells):
            if cell:
                sheet.write_string(row, column, cell)
        sheet.write_number(row, len(cells), self._excel_time(at), self._sheets.date)
        sheet.write_string(row, len(cells) + 1, done)


class _Sheets:
    """The workbook's sheet runs and shared formats, so every run can be finished at the end."""

    def __init__(
        self, book: Workbook, names: SheetNames, words: StaffWords, rows_per_sheet: int
    ) -> None:
        self.book = book
        self.names = names
        self.words = words
        self.rows_per_sheet = rows_per_sheet
        self.header = book.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.date = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._runs: list[_SheetRun] = []

    def run(self, name: str, header: Sequence[str], widths: Sequence[int] = ()) -> "_SheetRun":
        """A new sheet run with this (already claimed) name and header; `widths` in characters
        for the first columns (the rest are 22 wide)."""
        run = _SheetRun(self, name, header, widths)
        self._runs.append(run)
        return run

    def finished(self, done: bool) -> str:
        return self.words.say("finished_yes" if done else "finished_no")

    def finish(self) -> None:
        for run in self._runs:
            run.finish()


class _SheetRun:
    """A sheet with a header row that carries on in "Name (2)", "Name (3)"... when it is full."""

    def __init__(
        self, sheets: _Sheets, name: str, header: Sequence[str], widths: Sequence[int]
    ) -> None:
        self._sheets = sheets
        self.name = name
        self._header = header
        self._widths = widths
        self._open(name)

    def next_row(self) -> tuple[Worksheet, int]:
        """The sheet and row to write the next record in, moving on to a new sheet when full."""
        if self._row >= self._sheets.rows_per_sheet:
            self.finish()
            self._open(self._sheets.names.claim(self.name))
        self._row += 1
        return self._sheet, self._row - 1

    def finish(self) -> None:
        """Put a filter on the current sheet's columns, over the rows written."""
        self._sheet.autofilter(0, 0, self._row - 1, len(self._header) - 1)

    def _open(self, name: str) -> None:
        self._sheet = self._sheets.book.add_worksheet(name)
        self._sheet.set_column(0, len(self._header) - 1, 22)
        for column, width in enumerate(self._widths):
            self._sheet.set_column(column, column, width, self._sheets.wrap)
        self._sheet.set_row(0, 60)
        header_format: Format = self._sheets.header
        for column, title in enumerate(self._header):
            self._sheet.write_string(0, column, title, header_format)
        self._sheet.freeze_panes(1, 1)
        self._row = 1


class _AreaSheets:
    """One area in wide format: a row per respondent, a column per question in layout order.

    One sheet when every audience saw the area's questions in the same words, else one per
    audience, each headed by that audience's words.
    """

    def __init__(self, sheets: _Sheets, layout: ExportLayout, area: AreaLayout) -> None:
        self._sheets = sheets
        self._layout = layout
        self._area = area
        say = sheets.words.say
        self._about = [
            say(key)
            for key in ("column_respondent", "column_audience", "column_source", "column_finished")
        ]
        first = len(self._about)
        self._columns = {question.key: first + n for n, question in enumerate(area.questions)}
        audiences = layout.audience_keys
        self._shared = all(question.same_words(audiences) for question in area.questions)
        self._runs: dict[str | None, _SheetRun] = {}
        if self._shared:
            self._runs[None] = self._new_run(audiences[0] if audiences else None, "")
        else:
            for audience in audiences:
                self._runs[audience] = self._new_run(audience, self._suffix(audience))

    def write(self, first: ExportRow, given: dict[str, str], audience_name: str) -> None:
        """One respondent's row (`first` is any of their answers); questions they did not reach
        stay empty."""
        respondent, audience, source, finished, *_ = first
        sheet, row = self._run_for(audience).next_row()
        about = (respondent, audience_name, source or "", self._sheets.finished(finished))
        for column, text in enumerate(about):
            if text:
                sheet.write_string(row, column, text)
        for question, answer in given.items():
            if question in self._columns and answer:
                sheet.write_string(row, self._columns[question], answer)

    def _run_for(self, audience: str | None) -> _SheetRun:
        if self._shared:
            return self._runs[None]
        if audience not in self._layout.audience_keys:
            audience = None  # not named by the consultation: they saw the shared words
        if audience not in self._runs:
            self._runs[audience] = self._new_run(audience, self._suffix(audience))
        return self._runs[audience]

    def _suffix(self, audience: str | None) -> str:
        name = self._layout.audience_label(audience, self._sheets.words.say("not_recorded"))
        return self._sheets.words.say("area_sheet_suffix", audience=name)

    def _new_run(self, audience: str | None, suffix: str) -> _SheetRun:
        name = self._sheets.names.claim(self._area.title, suffix)
        header = [*self._about, *(q.wording(audience).text for q in self._area.questions)]
        return self._sheets.run(name, header)


class _TypedSheet:
    """Every typed answer to one question, with who answered and the words they were asked."""

    def __init__(
        self, sheets: _Sheets, layout: ExportLayout, area: AreaLayout, question: QuestionLayout
    ) -> None:
        say = sheets.words.say
        header = [
            say(key)
            for key in (
                "column_respondent",
                "column_audience",
                "column_area",
                "column_question",
                "column_answer",
                "column_theme",
            )
        ]
        audiences = layout.audience_keys
        title = question.wording(audiences[0] if audiences else None).text
        name = sheets.names.claim(say("typed_sheet", question=title))
        self.run = sheets.run(name, header, TYPED_WIDTHS)
        self._area_title = area.title

    def write(self, respondent: str, audience_name: str, text: str, answer: str) -> None:
        sheet, row = self.run.next_row()
        cells = (respondent, audience_name, self._area_title, text, answer)
        for column, cell in enumerate(cells):
            if cell:
                sheet.write_string(row, column, cell)
