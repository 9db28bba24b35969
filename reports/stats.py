"""Statistics for staff, counted from the same ordered answer stream the exports read.

Counts are numbers only; words (titles, question text, option labels) come from the layout
when the numbers are shown, so the same statistics feed the chat summary, the XLSX Summary
sheet and the charts.

People who stopped before their first answer have no rows. Two optional inputs cover them:
per-respondent counts (how many people per audience, source, consent and finish, from the
respondents table) for who started and finished, and the positions where unfinished people
stopped, for the drop-off. Without counts, "started" means "answered at least one question".
"""

from collections import Counter
from collections.abc import AsyncIterable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from reports.grouping import by_respondent
from reports.layout import ExportLayout
from storage.rows import ExportRow

QUESTION_POSITION = "q:"
"""Prefix of a stop position that names a question, as in `q:<area>/<question>`."""


class RespondentTally(Protocol):
    """How many respondents share one audience, source and stage (storage's RespondentCount)."""

    @property
    def audience(self) -> str | None: ...

    @property
    def source(self) -> str | None: ...

    @property
    def consented(self) -> bool: ...

    @property
    def finished(self) -> bool: ...

    @property
    def count(self) -> int: ...


@dataclass(frozen=True, slots=True)
class OptionCount:
    """How many chose one option, and their share of the people who answered the question.

    For multiple choice one person can choose several options, so shares add up to more than 1.
    """

    key: str
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """Answers to one question; `options` is empty for free text (and for unknown questions)."""

    area: str
    question: str
    kind: str
    answered: int
    skipped: int
    options: tuple[OptionCount, ...]


@dataclass(frozen=True, slots=True)
class AreaStats:
    """Answers in one area: how many people answered anything there, and each question."""

    area: str
    respondents: int
    answered: int
    skipped: int
    questions: tuple[QuestionStats, ...]


@dataclass(frozen=True, slots=True)
class GroupCount:
    """People who started and finished, in one audience or source (None when not recorded)."""

    group: str | None
    started: int
    finished: int


@dataclass(frozen=True, slots=True)
class StopCount:
    """How many unfinished respondents stopped at one position, and their share of all of them.

    `area` and `question` are set when the position names a question (`q:<area>/<question>`).
    """

    position: str
    area: str | None
    question: str | None
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class ConsultationStats:
    """Everything staff see in the statistics, areas and questions in the layout's order.

    `started` and `finished` count people who began (gave consent); `respondents` counts
    people with at least one stored answer.
    """

    started: int
    finished: int
    respondents: int
    answered: int
    skipped: int
    by_audience: tuple[GroupCount, ...]
    by_source: tuple[GroupCount, ...]
    areas: tuple[AreaStats, ...]
    stopped: tuple[StopCount, ...]


class _QuestionTally:
    """Running counts for one question; options start in the layout's order, all at zero."""

    def __init__(self, area: str, question: str, kind: str, choices: Sequence[str]) -> None:
        self.area = area
        self.question = question
        self.kind = kind
        self.answered = 0
        self.skipped = 0
        self.options: dict[str, int] = dict.fromkeys(choices, 0)

    def add(self, value: str | None, counted: bool) -> None:
        if value is None:
            self.skipped += 1
            return
        self.answered += 1
        if counted:
            keys = value.split(",") if self.kind == "multi" else [value]
            for key in filter(None, (key.strip() for key in keys)):
                self.options[key] = self.options.get(key, 0) + 1

    def result(self, counted: bool) -> QuestionStats:
        options = tuple(
            OptionCount(key, count, count / self.answered if self.answered else 0.0)
            for key, count in self.options.items()
        )
        return QuestionStats(
            self.area,
            self.question,
            self.kind,
            self.answered,
            self.skipped,
            options if counted else (),
        )


class StatsCollector:
    """Counts one respondent's answers at a time, in constant memory per question and option."""

    def __init__(self, layout: ExportLayout) -> None:
        self._tallies: dict[str, dict[str, _QuestionTally]] = {}
        for area, question in layout.all_questions():
            choices = [key for key, _ in question.choices]
            self._tallies.setdefault(area.key, {})[question.key] = _QuestionTally(
                area.key, question.key, question.kind, choices
            )
        self._counted = {
            (area.key, question.key)
            for area, question in layout.all_questions()
            if question.counted
        }
        self._respondents = 0
        self._people: Counter[tuple[str | None, str | None, bool]] = Counter()
        self._area_respondents: Counter[str] = Counter()

    def add(self, answers: Sequence[ExportRow]) -> None:
        """Count one respondent's answers (all of them, as `by_respondent` groups them)."""
        first = answers[0]
        self._respondents += 1
        self._people[(first.audience, first.source, first.finished)] += 1
        self._area_respondents.update({row.area for row in answers})
        for row in answers:
            counted = (row.area, row.question) in self._counted
            self._tally(row.area, row.question).add(row.value, counted)

    def result(
        self, stopped_at: Sequence[str] = (), counts: Iterable[RespondentTally] | None = None
    ) -> ConsultationStats:
        """The statistics so far, with who started from `counts` and drop-off from `stopped_at`.

        `counts` (storage's per-respondent counts) also covers people with no answers; without
        it, the people seen in the rows are counted. `stopped_at` holds one position per
        unfinished respondent, such as `q:transport/buses`; other positions (for example
        `consent`) are counted as they are.
        """
        if counts is None:
            people = [
                (audience, source, finished, count)
                for (audience, source, finished), count in self._people.items()
            ]
        else:
            people = [
                (tally.audience, tally.source, tally.finished, tally.count)
                for tally in counts
                if tally.consented
            ]
        areas = tuple(self._area_result(area, tallies) for area, tallies in self._tallies.items())
        return ConsultationStats(
            started=sum(count for *_, count in people),
            finished=sum(count for *_, finished, count in people if finished),
            respondents=self._respondents,
            answered=sum(area.answered for area in areas),
            skipped=sum(area.skipped for area in areas),
            by_audience=_groups(people, 0),
            by_source=_groups(people, 1),
            areas=areas,
            stopped=self._stops(stopped_at),
        )

    def _tally(self, area: str, question: str) -> _QuestionTally:
        questions = self._tallies.setdefault(area, {})
        if question not in questions:
            questions[question] = _QuestionTally(area, question, "text", ())
        return questions[question]

    def _area_result(self, area: str, tallies: dict[str, _QuestionTally]) -> AreaStats:
        questions = tuple(
            tally.result((area, key) in self._counted) for key, tally in tallies.items()
        )
        return AreaStats(
            area=area,
            respondents=self._area_respondents[area],
            answered=sum(question.answered for question in questions),
            skipped=sum(question.skipped for question in questions),
            questions=questions,
        )

    def _stops(self, stopped_at: Sequence[str]) -> tuple[StopCount, ...]:
        total = len(stopped_at)
        questions = [(area, key) for area, tallies in self._tallies.items() for key in tallies]
        order = {question: index for index, question in enumerate(questions)}
        stops = [
            StopCount(position, *_question_of(position), count, count / total)
            for position, count in Counter(stopped_at).items()
        ]

        def reading_order(stop: StopCount) -> tuple[int, int, str]:
            index = order.get((stop.area or "", stop.question or ""))
            return (0, index, "") if index is not None else (1, -stop.count, stop.position)

        return tuple(sorted(stops, key=reading_order))


People = Sequence[tuple[str | None, str | None, bool, int]]
"""(audience, source, finished, how many people), the shape group counts are made from."""


def _groups(people: People, field: int) -> tuple[GroupCount, ...]:
    """Started and finished per audience (`field` 0) or source (`field` 1), biggest first."""
    started: Counter[str | None] = Counter()
    finished: Counter[str | None] = Counter()
    for person in people:
        group, done, count = person[field], person[2], person[3]
        started[group] += count
        finished[group] += count if done else 0
    ranked = sorted(started.items(), key=lambda item: (-item[1], item[0] or ""))
    return tuple(GroupCount(group, count, finished[group]) for group, count in ranked)


def _question_of(position: str) -> tuple[str | None, str | None]:
    """The (area, question) a `q:<area>/<question>` position names, else (None, None)."""
    area, slash, question = position.removeprefix(QUESTION_POSITION).partition("/")
    if position.startswith(QUESTION_POSITION) and slash and area and question:
        return area, question
    return None, None


async def compute_stats(
    rows: AsyncIterable[ExportRow],
    layout: ExportLayout,
    stopped_at: Sequence[str] = (),
    counts: Iterable[RespondentTally] | None = None,
) -> ConsultationStats:
    """Statistics over the ordered answer stream; the rest as in `StatsCollector.result`."""
    collector = StatsCollector(layout)
    async for answers in by_respondent(rows):
        collector.add(answers)
    return collector.result(stopped_at, counts)
