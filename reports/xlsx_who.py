"""The "Who has answered" sheet: progress towards each target, people per audience and per
source, and where unfinished people stopped, per audience.

It counts everyone so far from the respondents table, whatever filters the export had: a
target is about the whole consultation. Staff read labels ("Young person", "Link
library_poster"), never keys. Numbers are numbers and shares are real fractions shown as
percentages, so staff can sort and reuse them; an under-represented group stands out in bold.
Written top to bottom once, as constant-memory worksheets need.
"""

import math

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.layout import ExportLayout
from reports.stats import ConsultationStats, GroupCount, StopCount
from reports.stats_text import stop_place
from reports.targets import Standing, TargetProgress, WhoAnswered
from reports.targets_text import share_base
from reports.wording import StaffWords, share, staff_words
from reports.xlsx_rows import RowWriter

TARGET_COLUMNS = (
    "column_group",
    "column_counting",
    "column_target",
    "column_so_far",
    "column_of_target",
    "column_share_so_far",
    "column_needed_now",
    "column_standing",
)
WIDTHS = (48, 16, 34, 10, 12, 14, 14, 20)
"""Characters: the group (and where people stopped, wrapped), then the figures."""
ROW_POINTS = 15
"""The height of one line of text in a row, in points."""


def write_who_answered(
    book: Workbook,
    sheet: Worksheet,
    who: WhoAnswered,
    people: ConsultationStats,
    layout: ExportLayout,
) -> None:
    """Fill `sheet` (still empty) with progress towards the targets and who has answered.

    `people` holds the counts per audience and source and where people stopped, from the
    respondents table (`StatsCollector.result` with every respondent's counts and stops).
    """
    _WhoSheet(book, sheet, layout, staff_words()).write(who, people)


class _WhoSheet(RowWriter):
    """Writes the sheet row by row, never going back up."""

    def __init__(
        self, book: Workbook, sheet: Worksheet, layout: ExportLayout, words: StaffWords
    ) -> None:
        super().__init__(sheet)
        self._layout = layout
        self._words = words
        self._title = book.add_format({"bold": True, "font_size": 14})
        self._bold = book.add_format({"bold": True})
        self._header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self._percent = book.add_format({"num_format": "0%"})
        self._standing = book.add_format({"indent": 1})
        self._flag = book.add_format(
            {"bold": True, "font_color": "#9c0006", "bg_color": "#ffc7ce", "indent": 1}
        )
        self._note = book.add_format({"italic": True, "font_color": "#555555"})
        self._wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for column, width in enumerate(WIDTHS):
            sheet.set_column(column, column, width)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)

    def write(self, who: WhoAnswered, people: ConsultationStats) -> None:
        say = self._words.say
        self._line(say("who_title"), style=self._title)
        self._row += 1
        self._line(say("who_counted_at"), who.counted)
        self._line(say("who_closes"), who.closes)
        row = self._line(say("who_time_gone"))
        self._sheet.write_number(row, 1, who.pace.time_gone, self._percent)
        self._line(say("who_everyone_note"), style=self._note)
        self._targets(who)
        self._groups("summary_audience", people.by_audience, audiences=True)
        self._groups("summary_source", people.by_source, audiences=False)
        self._stops(people.stopped)

    def _targets(self, who: WhoAnswered) -> None:
        say = self._words.say
        self._row += 1
        self._line(say("who_targets"), style=self._title)
        if not who.progress:
            self._line(say("who_no_targets"), style=self._note)
            return
        self._line(*(say(key) for key in TARGET_COLUMNS), style=self._header)
        shown = None
        for progress in who.progress:
            heading = who.heading(progress)
            if heading is not None and heading != shown:
                self._line(heading, style=self._bold)
            shown = heading
            self._target(who, progress)
        self._line(say("targets_rule"), style=self._note)

    def _target(self, who: WhoAnswered, progress: TargetProgress) -> None:
        say, target = self._words.say, progress.target
        if target.at_least is not None:
            aim = say("who_aim_people", aim=f"{target.at_least:,}")
        else:
            assert target.share_at_least is not None
            aim = say(
                "who_aim_share",
                aim=share(target.share_at_least),
                base=share_base(target.kind, self._words),
            )
        row = self._line(who.label(progress), say(f"counting_{target.counting.value}"), aim)
        sheet = self._sheet
        sheet.write_number(row, 3, progress.so_far)
        if progress.of_target is not None:
            sheet.write_number(row, 4, progress.of_target, self._percent)
        if progress.share is not None:
            sheet.write_number(row, 5, progress.share, self._percent)
        if progress.needed_now is not None and progress.standing is not Standing.NOT_OPEN:
            sheet.write_number(row, 6, progress.needed_now)
        flag = self._flag if progress.under_represented else self._standing
        sheet.write_string(row, 7, say(f"standing_{progress.standing.value}"), flag)

    def _groups(self, title: str, groups: tuple[GroupCount, ...], *, audiences: bool) -> None:
        say = self._words.say
        self._row += 1
        self._line(
            say(title),
            say("summary_started_column"),
            say("summary_finished_column"),
            style=self._header,
        )
        for group in groups:
            if audiences:
                name = self._layout.audience_label(group.group, say("not_recorded"))
            else:
                name = group.group or say("who_no_link")
            self._line(name, group.started, group.finished)

    def _stops(self, stopped: tuple[StopCount, ...]) -> None:
        say = self._words.say
        self._row += 1
        self._line(say("who_stopped"), style=self._title)
        if not stopped:
            self._line(say("who_nobody_stopped"), style=self._note)
            return
        columns = ("who_where", "summary_audience", "who_people", "who_share_stopped")
        self._line(*(say(key) for key in columns), style=self._header)
        for stop in stopped:
            row = self._row
            where = stop_place(stop, self._layout, self._words)
            lines = math.ceil(len(where) / WIDTHS[0])  # rows keep their height as set
            self._sheet.set_row(row, ROW_POINTS * max(1, lines))
            self._sheet.write_string(row, 0, where, self._wrap)
            audience = self._layout.audience_label(stop.audience, say("not_recorded"))
            self._line("", audience, stop.count)
            self._sheet.write_number(row, 3, stop.share, self._percent)
