"""The Summary sheet: how many took part, and counts, shares and a native bar chart per question.

Written once every answer has been counted, top to bottom, as constant-memory worksheets need.
Shares are real numbers shown as percentages, so staff can reuse them in their own formulas.
"""

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.cells import safe_text
from reports.layout import ExportLayout
from reports.stats import AreaStats, ConsultationStats, GroupCount, QuestionStats

ROW_PIXELS = 20
CHART_COLUMN = 4
CHART_WIDTH = 560
CHART_MIN_ROWS = 12
BAR_COLOUR = "#1d5fa8"


def write_summary(
    book: Workbook, sheet: Worksheet, stats: ConsultationStats, layout: ExportLayout
) -> None:
    """Fill `sheet` (still empty) with the summary of `stats`, using `layout` for the words."""
    summary = _Summary(book, sheet, layout)
    summary.overview(stats)
    summary.groups("Audience", stats.by_audience)
    summary.groups("Source", stats.by_source)
    for area in stats.areas:
        summary.area(area)


class _Summary:
    """Writes the summary row by row, never going back up (constant_memory mode)."""

    def __init__(self, book: Workbook, sheet: Worksheet, layout: ExportLayout) -> None:
        self._book = book
        self._sheet = sheet
        self._layout = layout
        self._row = 0
        self._title = book.add_format({"bold": True, "font_size": 14})
        self._bold = book.add_format({"bold": True})
        self._header = book.add_format({"bold": True, "bottom": 1})
        self._percent = book.add_format({"num_format": "0%"})
        self._note = book.add_format({"italic": True, "font_color": "#555555"})
        sheet.set_column(0, 0, 60)
        sheet.set_column(1, 2, 12)

    def overview(self, stats: ConsultationStats) -> None:
        self._line("Consultation summary", style=self._title)
        self._row += 1
        self._line("People who started", stats.started)
        self._line("Finished", stats.finished)
        self._line("Not finished", stats.started - stats.finished)
        self._line("People who answered at least one question", stats.respondents)
        self._line("Answers", stats.answered)
        self._line("Questions skipped", stats.skipped)

    def groups(self, title: str, groups: tuple[GroupCount, ...]) -> None:
        self._row += 1
        self._line(title, "Started", "Finished", style=self._header)
        for group in groups:
            self._line(group.group or "not recorded", group.started, group.finished)

    def area(self, area: AreaStats) -> None:
        self._row += 1
        self._line(self._layout.area_title(area.area), style=self._title)
        self._line("People who answered here", area.respondents)
        for question in area.questions:
            if question.options:
                self._question(area.area, question)
            else:
                text = self._layout.question_text(area.area, question.question)
                self._line(f"{text} (typed answers)", question.answered)

    def _question(self, area: str, question: QuestionStats) -> None:
        self._row += 1
        top = self._line(self._layout.question_text(area, question.question), style=self._bold)
        self._line("Option", "Count", "Share", style=self._header)
        first = self._row
        for option in question.options:
            label = self._layout.choice_label(area, question.question, option.key)
            self._line(label, option.count)
            self._sheet.write_number(self._row - 1, 2, option.share, self._percent)
        last = self._row - 1
        self._line("Answered", question.answered)
        self._line("Skipped", question.skipped)
        if question.kind == "multi":
            self._line(
                "People could choose more than one, so shares add up to more.", style=self._note
            )
        rows = max(self._row - top, CHART_MIN_ROWS)
        self._insert_chart(top, first, last, rows)
        self._row = top + rows

    def _insert_chart(self, title_row: int, first: int, last: int, rows: int) -> None:
        name = self._sheet.get_name()
        chart = self._book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "categories": [name, first, 0, last, 0],
                "values": [name, first, 1, last, 1],
                "data_labels": {"value": True},
                "fill": {"color": BAR_COLOUR},
                "gap": 60,
            }
        )
        chart.set_title({"name": [name, title_row, 0], "name_font": {"size": 11}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": CHART_WIDTH, "height": rows * ROW_PIXELS})
        self._sheet.insert_chart(title_row, CHART_COLUMN, chart)

    def _line(self, *cells: str | int, style: Format | None = None) -> int:
        """Write cells across the next row; return that row's index."""
        row = self._row
        for column, cell in enumerate(cells):
            if isinstance(cell, str):
                self._sheet.write_string(row, column, safe_text(cell), style)
            else:
                self._sheet.write_number(row, column, cell, style)
        self._row += 1
        return row
