"""The Summary sheet: who took part, then a block per question with a column per audience.

Each counted question's block shows the words each audience saw, then one row per option with
a count and a share for each audience, and a column for all audiences together only where they
all saw the same words or the file marks the question comparable. Below the table, a native
bar chart per audience, titled with the question and the audience, its bars labelled with their
values alone.

Written once every answer has been counted, top to bottom, as constant-memory worksheets need.
Shares are real numbers shown as percentages, so staff can reuse them in their own formulas.
Text is written as text (a cell holding "=1+1" shows those characters and never runs).
"""

import math
from collections.abc import Mapping, Sequence

from xlsxwriter.chart_bar import ChartBar
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.layout import ExportLayout
from reports.stats import (
    Answers,
    AreaStats,
    ConsultationStats,
    GroupCount,
    QuestionStats,
    option_keys,
)
from reports.wording import StaffWords, staff_words
from reports.xlsx_rows import RowWriter

ROW_PIXELS = 20
CHART_WIDTH = 480
CHART_GAP = 10
CHART_MIN_HEIGHT = 220
AUDIENCE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
ALL_COLOUR = "#333333"


class ValueLabelledBars(ChartBar):
    """A bar chart whose data labels say so explicitly: the value, and nothing else.

    XlsxWriter writes only the parts of a label that are on; LibreOffice then takes the
    missing ones as on too, and labels each bar "Agree; Column B; 2". Writing every part
    with its setting keeps the label to the value in every program.
    """

    @classmethod
    def added_to(cls, book: Workbook) -> "ValueLabelledBars":
        """A new chart of this kind in `book`, set up as `Workbook.add_chart` sets up its own."""
        chart = cls()
        chart.embedded = True
        chart.date_1904 = book.date_1904
        chart.remove_timezone = book.remove_timezone
        book.charts.append(chart)
        return chart

    def _write_show_val(self) -> None:
        for element, shown in (
            ("c:showLegendKey", 0),
            ("c:showVal", 1),
            ("c:showCatName", 0),
            ("c:showSerName", 0),
            ("c:showPercent", 0),
            ("c:showBubbleSize", 0),
        ):
            self._xml_empty_tag(element, [("val", shown)])


def write_summary(
    book: Workbook,
    sheet: Worksheet,
    stats: ConsultationStats,
    layout: ExportLayout,
    typed_sheets: Mapping[tuple[str, str], str],
) -> None:
    """Fill `sheet` (still empty) with the summary of `stats`, using `layout` for the words.

    `typed_sheets` names the sheet that holds each typed question's answers, by (area, key).
    """
    summary = _Summary(book, sheet, layout, stats.audiences, staff_words())
    summary.overview(stats)
    summary.groups("summary_audience", stats.by_audience, audiences=True)
    summary.groups("summary_source", stats.by_source, audiences=False)
    for area in stats.areas:
        summary.area(area, typed_sheets)


class _Summary(RowWriter):
    """Writes the summary row by row, never going back up (constant_memory mode)."""

    def __init__(
        self,
        book: Workbook,
        sheet: Worksheet,
        layout: ExportLayout,
        audiences: tuple[str | None, ...],
        words: StaffWords,
    ) -> None:
        super().__init__(sheet)
        self._book = book
        self._layout = layout
        self._audiences = audiences
        self._words = words
        self._title = book.add_format({"bold": True, "font_size": 14})
        self._bold = book.add_format({"bold": True})
        self._header = book.add_format({"bold": True, "bottom": 1})
        self._percent = book.add_format({"num_format": "0%"})
        self._note = book.add_format({"italic": True, "font_color": "#555555"})
        sheet.set_column(0, 0, 40)
        names = [self.name(audience) for audience in audiences] + [words.say("all_audiences")]
        for index, name in enumerate(names):  # wide enough for "Parent or carer %"
            width = max(12, len(words.say("summary_share", audience=name)) + 2)
            sheet.set_column(1 + 2 * index, 2 + 2 * index, width)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # printed one page wide, as long as it needs

    def name(self, audience: str | None) -> str:
        return self._layout.audience_label(audience, self._words.say("not_recorded"))

    def overview(self, stats: ConsultationStats) -> None:
        say = self._words.say
        self._line(say("summary_title"), style=self._title)
        self._row += 1
        self._line(say("summary_started"), stats.started)
        self._line(say("summary_finished"), stats.finished)
        self._line(say("summary_unfinished"), stats.started - stats.finished)
        self._line(say("summary_respondents"), stats.respondents)
        self._line(say("summary_answers"), stats.answered)
        self._line(say("summary_skipped"), stats.skipped)

    def groups(self, title: str, groups: tuple[GroupCount, ...], *, audiences: bool) -> None:
        say = self._words.say
        self._row += 1
        started, finished = say("summary_started_column"), say("summary_finished_column")
        self._line(say(title), started, finished, style=self._header)
        for group in groups:
            name = self.name(group.group) if audiences else group.group or say("not_recorded")
            self._line(name, group.started, group.finished)

    def area(self, area: AreaStats, typed_sheets: Mapping[tuple[str, str], str]) -> None:
        self._row += 1
        self._line(self._layout.area_title(area.area), style=self._title)
        self._line("", *self._audience_columns(), style=self._header)
        people: list[str | int] = [self._words.say("summary_area_people")]
        for group in area.by_audience:
            people += [group.count, ""]
        self._line(*people)
        for question in area.questions:
            self._row += 1
            if question.counted:
                self._question(area.area, question)
            else:
                self._typed(area.area, question, typed_sheets)

    def _audience_columns(self, combined: bool = False) -> list[str]:
        """Headers: a count and a share column per audience (and for everyone, if pooled)."""
        say = self._words.say
        names = [self.name(audience) for audience in self._audiences]
        if combined:
            names.append(say("all_audiences"))
        columns: list[str] = []
        for name in names:
            columns += [say("summary_count", audience=name), say("summary_share", audience=name)]
        return columns

    def _asked(self, area: str, question: QuestionStats) -> None:
        """The words each audience saw: one row for everyone when they are the same."""
        known = self._layout.question(area, question.question)
        if known is None or known.same_words(self._audiences):
            text = self._layout.question_text(area, question.question, self._audiences[0])
            self._line(self._words.say("summary_asked_shared"), text, style=self._bold)
            return
        for audience in self._audiences:
            text = self._layout.question_text(area, question.question, audience)
            self._line(self.name(audience), text, style=self._bold)

    def _typed(
        self, area: str, question: QuestionStats, typed_sheets: Mapping[tuple[str, str], str]
    ) -> None:
        say = self._words.say
        self._asked(area, question)
        self._line("", *self._audience_columns(), style=self._header)
        self._totals(question.by_audience)
        sheet = typed_sheets.get((area, question.question))
        if sheet:
            self._line(say("summary_typed", sheet=sheet), style=self._note)

    def _totals(self, groups: Sequence[Answers]) -> None:
        """Rows of how many answered and skipped, in each group's count column."""
        answered: list[str | int] = [self._words.say("summary_answered")]
        skipped: list[str | int] = [self._words.say("summary_skipped_row")]
        for answers in groups:
            answered += [answers.answered, ""]
            skipped += [answers.skipped, ""]
        self._line(*answered)
        self._line(*skipped)

    def _question(self, area: str, question: QuestionStats) -> None:
        say = self._words.say
        self._asked(area, question)
        groups = list(question.by_audience)
        if question.combined:
            groups.append(question.combined)
        columns = self._audience_columns(bool(question.combined))
        self._line(say("summary_option"), *columns, style=self._header)
        first = self._row
        keys = option_keys(groups)
        for key in keys:
            label = self._layout.choice_label(area, question.question, key, self._audiences[0])
            row = self._line(label)
            for index, answers in enumerate(groups):
                option = answers.option(key)
                self._sheet.write_number(row, 1 + 2 * index, option.count)
                self._sheet.write_number(row, 2 + 2 * index, option.share, self._percent)
        last = self._row - 1
        self._totals(groups)
        if question.kind == "multi":
            self._line(say("summary_multi_note"), style=self._note)
        if question.combined:
            known = self._layout.question(area, question.question)
            same = known is None or known.same_words(self._audiences)
            note = "summary_combined_same" if same else "summary_combined_comparable"
            self._line(say(note, all=say("all_audiences")), style=self._note)
        if keys:
            self._charts(area, question, groups, first, last)

    def _charts(
        self, area: str, question: QuestionStats, groups: Sequence[Answers], first: int, last: int
    ) -> None:
        """A chart per audience that answered (and for everyone, if pooled), side by side."""
        name = self._sheet.get_name()
        height = max(CHART_MIN_HEIGHT, (last - first + 1) * 34 + 90)
        placed = 0
        for index, answers in enumerate(groups):
            if not answers.answered:
                continue
            pooled = answers is question.combined
            audience = self._words.say("all_audiences") if pooled else self.name(answers.audience)
            text = self._layout.question_text(area, question.question, answers.audience)
            colour = ALL_COLOUR if pooled else AUDIENCE_COLOURS[index % len(AUDIENCE_COLOURS)]
            chart = ValueLabelledBars.added_to(self._book)
            chart.add_series(
                {
                    "name": audience,
                    "categories": [name, first, 0, last, 0],
                    "values": [name, first, 1 + 2 * index, last, 1 + 2 * index],
                    "data_labels": {"value": True},
                    "fill": {"color": colour},
                    "gap": 60,
                }
            )
            title = self._words.say("chart_title", text=text, audience=audience)
            chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            most = max(option.count for option in answers.options)
            chart.set_x_axis({"min": 0, "major_unit": max(1, math.ceil(most / 5))})
            chart.set_size({"width": CHART_WIDTH, "height": height})
            self._sheet.insert_chart(
                self._row + 1, 0, chart, {"x_offset": placed * (CHART_WIDTH + CHART_GAP)}
            )
            placed += 1
        if placed:
            self._row += 2 + height // ROW_PIXELS
