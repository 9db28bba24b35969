"""Statistics as short plain-text messages for staff in a chat.

Every figure is given per audience, under the words that audience was asked; a figure across
audiences is added only where they all saw the same words or the file marks the question
comparable. Audiences are named as staff read them ("Parent or carer"), and every sentence comes
from the staff locale file.

Plain text, no Markdown, so nothing a respondent or staff member wrote can break the
formatting. Each message fits Telegram's limit of 4096 characters (counted in UTF-16 units,
as Telegram counts them); longer summaries are split between sections, then between lines.
"""

from collections.abc import Iterable, Iterator

from reports.layout import ExportLayout
from reports.stats import (
    Answers,
    AreaStats,
    ConsultationStats,
    GroupCount,
    QuestionStats,
    StopCount,
)
from reports.targets import WhoAnswered
from reports.targets_text import target_lines
from reports.wording import StaffWords, share, staff_words

TELEGRAM_MESSAGE_LIMIT = 4096


def render_stats_text(
    stats: ConsultationStats,
    layout: ExportLayout,
    limit: int = TELEGRAM_MESSAGE_LIMIT,
    who: WhoAnswered | None = None,
) -> list[str]:
    """The statistics as messages of at most `limit` characters, in reading order; progress
    towards the targets follows the overview when `who` is given and the file sets any."""
    text = _StatsText(stats, layout, staff_words())
    sections = [
        text.overview(),
        target_lines(who, staff_words()) if who and who.progress else "",
        text.groups("stats_by_audience", stats.by_audience, audiences=True),
        text.groups("stats_by_source", stats.by_source, audiences=False),
        *(text.area(area) for area in stats.areas),
        text.stops(),
    ]
    return pack_messages((section for section in sections if section), limit)


def stop_place(stop: StopCount, layout: ExportLayout, words: StaffWords) -> str:
    """Where people stopped, in staff's words: a step of the journey, or the area and the
    question in the words that audience saw."""
    if stop.area and stop.question:
        return words.say(
            "stats_stop_question",
            area=layout.area_title(stop.area),
            text=layout.question_text(stop.area, stop.question, stop.audience),
        )
    return words.messages.get(f"stop_{stop.position}", stop.position)


def pack_messages(sections: Iterable[str], limit: int) -> list[str]:
    """Join sections with blank lines into as few messages of at most `limit` as they fit."""
    messages: list[str] = []
    current = ""
    for piece in (piece for section in sections for piece in _pieces(section, limit)):
        joined = f"{current}\n\n{piece}" if current else piece
        if _length(joined) <= limit:
            current = joined
        else:
            messages.append(current)
            current = piece
    if current:
        messages.append(current)
    return messages


def _pieces(section: str, limit: int) -> Iterator[str]:
    """The section whole if it fits, else runs of whole lines (a too-long line cut in pieces)."""
    if _length(section) <= limit:
        yield section
        return
    run = ""
    for line in section.split("\n"):
        for part in _cut(line, limit):
            joined = f"{run}\n{part}" if run else part
            if _length(joined) <= limit:
                run = joined
            else:
                yield run
                run = part
    if run:
        yield run


def _cut(line: str, limit: int) -> Iterator[str]:
    """The line in pieces that fit even if every character takes two UTF-16 units."""
    step = max(1, limit // 2)
    yield from (line[start : start + step] for start in range(0, max(len(line), 1), step))


def _length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class _StatsText:
    """Writes each section of the statistics in staff's words."""

    def __init__(self, stats: ConsultationStats, layout: ExportLayout, words: StaffWords) -> None:
        self.stats = stats
        self.layout = layout
        self.words = words

    def audience(self, audience: str | None) -> str:
        return self.layout.audience_label(audience, self.words.say("not_recorded"))

    def overview(self) -> str:
        stats, say = self.stats, self.words.say
        return "\n".join(
            [
                say("stats_title"),
                say(
                    "stats_started",
                    started=f"{stats.started:,}",
                    finished=f"{stats.finished:,}",
                    unfinished=f"{stats.started - stats.finished:,}",
                ),
                say("stats_respondents", count=f"{stats.respondents:,}"),
                say("stats_answers", answered=f"{stats.answered:,}", skipped=f"{stats.skipped:,}"),
            ]
        )

    def groups(self, title: str, groups: tuple[GroupCount, ...], *, audiences: bool) -> str:
        if not groups:
            return ""
        lines = [
            self.words.say(
                "stats_group",
                group=self.audience(group.group)
                if audiences
                else group.group or self.words.say("not_recorded"),
                started=f"{group.started:,}",
                finished=f"{group.finished:,}",
            )
            for group in groups
        ]
        return "\n".join([self.words.say(title), *lines])

    def area(self, area: AreaStats) -> str:
        people = ", ".join(
            self.words.say(
                "stats_audience_people", audience=self.audience(p.audience), count=f"{p.count:,}"
            )
            for p in area.by_audience
            if p.count
        )
        header = [
            self.layout.area_title(area.area),
            self.words.say("stats_area_people", people=people or "0"),
        ]
        questions = (self.question(area.area, question) for question in area.questions)
        return "\n\n".join(["\n".join(header), *filter(None, questions)])

    def question(self, area: str, question: QuestionStats) -> str:
        say = self.words.say
        asked = [answers for answers in question.by_audience if answers.answered or answers.skipped]
        if not asked:
            return ""
        known = self.layout.question(area, question.question)
        shared = known is None or known.same_words(self.stats.audiences)
        blocks = []
        if shared:
            text = self.layout.question_text(area, question.question, self.stats.audiences[0])
            key = "stats_question_shared" if question.counted else "stats_typed_shared"
            blocks.append(say(key, text=text))
        elif not question.counted:
            blocks.append(say("stats_typed"))
        for answers in asked:
            if shared:
                heading = say("stats_audience_heading", audience=self.audience(answers.audience))
            else:
                heading = say(
                    "stats_question",
                    audience=self.audience(answers.audience),
                    text=self.layout.question_text(area, question.question, answers.audience),
                )
            blocks.append("\n".join([heading, *self._figures(area, question, answers)]))
        if question.combined and len(asked) > 1:
            key = "stats_combined_same" if shared else "stats_combined_comparable"
            heading = say(key, all=say("all_audiences"))
            blocks.append("\n".join([heading, *self._figures(area, question, question.combined)]))
        if question.kind == "multi":
            blocks.append(say("stats_multi_note"))
        return "\n".join(blocks)

    def _figures(self, area: str, question: QuestionStats, answers: Answers) -> list[str]:
        lines = [
            self.words.say(
                "stats_option",
                label=self.layout.choice_label(
                    area, question.question, option.key, answers.audience
                ),
                count=f"{option.count:,}",
                share=share(option.share),
            )
            for option in answers.options
        ]
        totals = self.words.say(
            "stats_totals", answered=f"{answers.answered:,}", skipped=f"{answers.skipped:,}"
        )
        return [*lines, totals]

    def stops(self) -> str:
        """Where unfinished people stopped, a block per audience under the words it saw."""
        stopped = self.stats.stopped
        if not stopped:
            return ""
        say = self.words.say
        total = sum(stop.count for stop in stopped)
        blocks = [say("stats_stopped", count=f"{total:,}")]
        for audience in dict.fromkeys(stop.audience for stop in stopped):
            mine = [stop for stop in stopped if stop.audience == audience]
            people = sum(stop.count for stop in mine)
            lines = [
                say("stats_stopped_audience", audience=self.audience(audience), count=f"{people:,}")
            ]
            for stop in mine:
                where = stop_place(stop, self.layout, self.words)
                lines.append(
                    say("stats_stop", where=where, count=f"{stop.count:,}", share=share(stop.share))
                )
            blocks.append("\n".join(lines))
        return "\n".join(blocks)
