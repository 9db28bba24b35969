"""Answers as an Excel workbook staff can open and read, written in constant memory.

Sheets, in order: "Summary" (counts, shares and a native bar chart per counted question), one
sheet per area in the layout (one row per respondent who answered anything there, one column
per question, headed by the question's text), and "All answers" (the long layout, one row per
answer, continued on "All answers (2)" and so on past Excel's 1,048,576 rows). Answers to
questions the layout does not name appear only in "All answers".

XlsxWriter's `constant_memory` mode flushes each row once the next one starts, so every sheet is
written top to bottom: a respondent's wide rows are written when their answers arrive (rows
come grouped by respondent), and the summary, counted along the way, is written at the end
into the sheet that was added first. The worksheets' temporary files hold answers, so they live
in a private folder that is removed whatever happens.
"""

import tempfile
from collections.abc import Sequence
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.cells import as_utc, safe_text, yes_no
from reports.layout import AreaLayout, ExportLayout
from reports.long_format import ANSWERED_AT, LONG_COLUMNS, long_cells
from reports.sheet_names import SheetNames
from reports.stats import StatsCollector
from reports.xlsx_summary import write_summary
from storage.rows import ExportRow

EXCEL_MAX_ROWS = 1_048_576
RESPONDENT_COLUMNS = ("Respondent", "Audience", "Source", "Finished")


class XlsxExport:
    """Writes the workbook to a binary file as answers come; `close` finishes it.

    `rows_per_sheet` (header included) is Excel's limit; tests lower it to see sheets continue.
    """

    def __init__(
        self, out: BinaryIO, layout: ExportLayout, *, rows_per_sheet: int = EXCEL_MAX_ROWS
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
        self._stats = StatsCollector(layout)
        names = SheetNames()
        summary_name = names.claim("Summary")
        long_name = names.claim("All answers")
        area_names = [names.claim(area.title) for area in layout.areas]
        self._summary = self._book.add_worksheet(summary_name)
        header = self._book.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self._areas = {
            area.key: _AreaSheet(
                _SheetRun(self._book, names, name, _wide_header(area), header, rows_per_sheet), area
            )
            for area, name in zip(layout.areas, area_names, strict=True)
        }
        self._long = _SheetRun(
            self._book, names, long_name, [c.title for c in LONG_COLUMNS], header, rows_per_sheet
        )

    def add(self, answers: Sequence[ExportRow]) -> None:
        """Write one respondent's answers: long rows, one wide row per area, and count them."""
        self._stats.add(answers)
        by_area: dict[str, dict[str, str]] = {}
        for answer in answers:
            self._write_long(answer)
            by_area.setdefault(answer.area, {})[answer.question] = answer.answer
        for area, given in by_area.items():
            if area in self._areas:
                self._areas[area].write(answers[0], given)

    def close(self) -> None:
        """Write the summary, finish every sheet and the file, and remove the temporary files."""
        try:
            write_summary(self._book, self._summary, self._stats.result(), self._layout)
            for run in (*(area.run for area in self._areas.values()), self._long):
                run.finish()
            self._book.close()
        finally:
            self._folder.cleanup()

    def _write_long(self, answer: ExportRow) -> None:
        sheet, row = self._long.next_row()
        for column, text in enumerate(long_cells(answer)):
            if column == ANSWERED_AT:
                moment = as_utc(answer.answered_at).replace(tzinfo=None)
                sheet.write_datetime(row, column, moment, self._date)
            elif text:
                sheet.write_string(row, column, text)


class _SheetRun:
    """A sheet with a header row that carries on in "Name (2)", "Name (3)"... when it is full."""

    def __init__(
        self,
        book: Workbook,
        names: SheetNames,
        name: str,
        header: Sequence[str],
        header_format: Format,
        rows_per_sheet: int,
    ) -> None:
        self._book = book
        self._names = names
        self._base = name
        self._header = header
        self._header_format = header_format
        self._rows_per_sheet = rows_per_sheet
        self._open(name)

    def next_row(self) -> tuple[Worksheet, int]:
        """The sheet and row to write the next record in, moving on to a new sheet when full."""
        if self._row >= self._rows_per_sheet:
            self.finish()
            self._open(self._names.claim(self._base))
        self._row += 1
        return self._sheet, self._row - 1

    def finish(self) -> None:
        """Put a filter on the current sheet's columns, over the rows written."""
        self._sheet.autofilter(0, 0, self._row - 1, len(self._header) - 1)

    def _open(self, name: str) -> None:
        self._sheet = self._book.add_worksheet(name)
        self._sheet.set_column(0, len(self._header) - 1, 22)
        self._sheet.set_row(0, 45)
        for column, title in enumerate(self._header):
            self._sheet.write_string(0, column, safe_text(title), self._header_format)
        self._sheet.freeze_panes(1, 1)
        self._row = 1


class _AreaSheet:
    """One area in wide format: a row per respondent, a column per question in layout order."""

    def __init__(self, run: _SheetRun, area: AreaLayout) -> None:
        self.run = run
        first = len(RESPONDENT_COLUMNS)
        self._columns = {question.key: first + n for n, question in enumerate(area.questions)}

    def write(self, respondent: ExportRow, given: dict[str, str]) -> None:
        """One respondent's row; questions they did not reach stay empty."""
        sheet, row = self.run.next_row()
        about = (respondent.respondent, respondent.audience or "", respondent.source or "")
        for column, text in enumerate((*about, yes_no(respondent.finished))):
            if text:
                sheet.write_string(row, column, safe_text(text))
        for question, answer in given.items():
            if question in self._columns and answer:
                sheet.write_string(row, self._columns[question], safe_text(answer))


def _wide_header(area: AreaLayout) -> list[str]:
    return [*RESPONDENT_COLUMNS, *(question.text for question in area.questions)]
