"""Statistics as short plain-text messages for staff in a chat.

Plain text, no Markdown, so nothing a respondent or staff member wrote can break the
formatting. Each message fits Telegram's limit of 4096 characters (counted in UTF-16 units,
as Telegram counts them); longer summaries are split between sections, then between lines.
"""

from collections.abc import Iterable, Iterator

from reports.layout import ExportLayout
from reports.stats import AreaStats, ConsultationStats, GroupCount, QuestionStats

TELEGRAM_MESSAGE_LIMIT = 4096


def render_stats_text(
    stats: ConsultationStats, layout: ExportLayout, limit: int = TELEGRAM_MESSAGE_LIMIT
) -> list[str]:
    """The statistics as messages of at most `limit` characters, in reading order."""
    sections = [
        _overview(stats),
        _groups("By audience", stats.by_audience),
        _groups("By source", stats.by_source),
        *(_area(area, layout) for area in stats.areas),
        _stops(stats, layout),
    ]
    return pack_messages((section for section in sections if section), limit)


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


def _overview(stats: ConsultationStats) -> str:
    return "\n".join(
        [
            "Responses so far",
            f"People who started: {stats.started:,} (finished: {stats.finished:,}, "
            f"not finished: {stats.started - stats.finished:,})",
            f"People who answered at least one question: {stats.respondents:,}",
            f"Answers: {stats.answered:,} (questions skipped: {stats.skipped:,})",
        ]
    )


def _groups(title: str, groups: tuple[GroupCount, ...]) -> str:
    if not groups:
        return ""
    lines = [
        f"- {group.group or 'not recorded'}: {group.started:,} started, {group.finished:,} finished"
        for group in groups
    ]
    return "\n".join([title, *lines])


def _area(area: AreaStats, layout: ExportLayout) -> str:
    header = [
        layout.area_title(area.area),
        f"{_people(area.respondents)} answered here: {area.answered:,} answers, "
        f"{area.skipped:,} skipped.",
    ]
    return "\n\n".join(
        ["\n".join(header), *(_question(area.area, q, layout) for q in area.questions)]
    )


def _question(area: str, question: QuestionStats, layout: ExportLayout) -> str:
    text = layout.question_text(area, question.question)
    totals = f"{question.answered:,} answered, {question.skipped:,} skipped"
    if not question.options:
        return f"{text} (typed answers): {totals}"
    lines = [
        f"- {layout.choice_label(area, question.question, option.key)}: "
        f"{option.count:,} ({option.share:.0%})"
        for option in question.options
    ]
    note = ["People could choose more than one."] if question.kind == "multi" else []
    return "\n".join([text, *lines, totals, *note])


def _stops(stats: ConsultationStats, layout: ExportLayout) -> str:
    if not stats.stopped:
        return ""
    lines = []
    for stop in stats.stopped:
        where = stop.position
        if stop.area and stop.question:
            text = layout.question_text(stop.area, stop.question)
            where = f"{layout.area_title(stop.area)}: {text}"
        lines.append(f"- {where}: {stop.count:,} ({stop.share:.0%})")
    total = sum(stop.count for stop in stats.stopped)
    return "\n".join([f"Where people stopped ({total:,} did not finish)", *lines])


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"
