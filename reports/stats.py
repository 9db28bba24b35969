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
from reports.layout import ExportLayout, QuestionLayout
from storage.rows import AREA, QUESTION, VALUE, ExportRow

QUESTION_POSITION = "q:"
"""Prefix of a stop position that names a question, as in `q:<area>/<question>`."""
Stop = tuple[str | None, str]
"""Where one unfinished respondent stopped: (their audience, or None; the position)."""


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
class Answers:
    """Answers to one question from one audience, or from every audience in `combined`.

    `options` is empty for free text (and for questions the layout does not know).
    """

    audience: str | None
    answered: int
    skipped: int
    options: tuple[OptionCount, ...]

    def option(self, key: str) -> OptionCount:
        """The count for one option (zero when nobody in this group could or did choose it)."""
        return next(
            (option for option in self.options if option.key == key), OptionCount(key, 0, 0.0)
        )


def option_keys(groups: Iterable[Answers]) -> tuple[str, ...]:
    """Every option any of these groups counted, in the order they first come."""
    return tuple(dict.fromkeys(option.key for answers in groups for option in answers.options))


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """Answers to one question, one `Answers` per audience in `ConsultationStats.audiences`.

    `combined` pools every audience, and is there only where that means something: every
    audience saw the same words, or the file marks the question comparable.
    """

    area: str
    question: str
    kind: str
    counted: bool
    by_audience: tuple[Answers, ...]
    combined: Answers | None

    @property
    def answered(self) -> int:
        """How many people answered, whatever words they saw (for totals, not for shares)."""
        return sum(answers.answered for answers in self.by_audience)

    @property
    def skipped(self) -> int:
        """How many people skipped it."""
        return sum(answers.skipped for answers in self.by_audience)

    def of(self, audience: str | None) -> Answers:
        """The answers of one audience."""
        return next(answers for answers in self.by_audience if answers.audience == audience)


@dataclass(frozen=True, slots=True)
class AudiencePeople:
    """How many people of one audience did something (None when no audience was recorded)."""

    audience: str | None
    count: int


@dataclass(frozen=True, slots=True)
class AreaStats:
    """Answers in one area: how many people answered anything there, and each question."""

    area: str
    respondents: int
    by_audience: tuple[AudiencePeople, ...]
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
    """How many unfinished respondents of one audience stopped at one position, and their share
    of that audience's unfinished people (`audience` None: they had not said who they are).

    `area` and `question` are set when the position names a question (`q:<area>/<question>`).
    """

    audience: str | None
    position: str
    area: str | None
    question: str | None
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class ConsultationStats:
    """Everything staff see in the statistics, areas and questions in the layout's order.

    `started` and `finished` count people who began (gave consent); `respondents` counts
    people with at least one stored answer. `audiences` is the order every per-audience figure
    follows: the layout's audiences, then any other seen (None: not recorded).
    """

    started: int
    finished: int
    respondents: int
    answered: int
    skipped: int
    audiences: tuple[str | None, ...]
    by_audience: tuple[GroupCount, ...]
    by_source: tuple[GroupCount, ...]
    areas: tuple[AreaStats, ...]
    stopped: tuple[StopCount, ...]


class _Tally:
    """Running counts for one question from one audience; options start in order, at zero."""

    def __init__(self, kind: str, choices: Sequence[str]) -> None:
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

    def absorb(self, other: "_Tally") -> None:
        """Add another audience's counts to these (for a pooled figure)."""
        self.answered += other.answered
        self.skipped += other.skipped
        for key, count in other.options.items():
            self.options[key] = self.options.get(key, 0) + count

    def result(self, audience: str | None, counted: bool) -> Answers:
        options = tuple(
            OptionCount(key, count, count / self.answered if self.answered else 0.0)
            for key, count in self.options.items()
        )
        return Answers(audience, self.answered, self.skipped, options if counted else ())


class _QuestionTally:
    """One question's tallies, one per audience, made as each audience first answers."""

    def __init__(self, area: str, question: str, layout: QuestionLayout | None) -> None:
        self.area = area
        self.question = question
        self.layout = layout
        self.kind = layout.kind if layout else "text"
        self.counted = layout.counted if layout else False
        self.audiences: dict[str | None, _Tally] = {}

    def add(self, audience: str | None, value: str | None) -> None:
        self._for(audience).add(value, self.counted)

    def result(self, audiences: tuple[str | None, ...]) -> QuestionStats:
        by_audience = tuple(
            self._for(audience).result(audience, self.counted) for audience in audiences
        )
        combined = None
        if self.layout and len(audiences) > 1 and self.layout.pooled(audiences):
            pooled = _Tally(self.kind, self.layout.option_keys)
            for audience in audiences:
                pooled.absorb(self._for(audience))
            combined = pooled.result(None, self.counted)
        return QuestionStats(
            self.area, self.question, self.kind, self.counted, by_audience, combined
        )

    def _for(self, audience: str | None) -> _Tally:
        if audience not in self.audiences:
            choices = self.layout.wording(audience).choices if self.layout else ()
            self.audiences[audience] = _Tally(self.kind, [key for key, _ in choices])
        return self.audiences[audience]


class StatsCollector:
    """Counts one respondent's answers at a time, in constant memory per question and option."""

    def __init__(self, layout: ExportLayout) -> None:
        self._layout = layout
        self._tallies: dict[str, dict[str, _QuestionTally]] = {}
        for area, question in layout.all_questions():
            self._tallies.setdefault(area.key, {})[question.key] = _QuestionTally(
                area.key, question.key, question
            )
        self._respondents = 0
        self._people: Counter[tuple[str | None, str | None, bool]] = Counter()
        self._area_people: Counter[tuple[str, str | None]] = Counter()

    def add(self, answers: Sequence[ExportRow]) -> None:
        """Count one respondent's answers (all of them, as `by_respondent` groups them)."""
        _, audience, source, finished, *_ = answers[0]
        self._respondents += 1
        self._people[(audience, source, finished)] += 1
        self._area_people.update({(row[AREA], audience) for row in answers})
        for row in answers:
            self._tally(row[AREA], row[QUESTION]).add(audience, row[VALUE])

    def result(
        self, stopped_at: Sequence[Stop] = (), counts: Iterable[RespondentTally] | None = None
    ) -> ConsultationStats:
        """The statistics so far, with who started from `counts` and drop-off from `stopped_at`.

        `counts` (storage's per-respondent counts) also covers people with no answers; without
        it, the people seen in the rows are counted. `stopped_at` holds one (audience, position)
        per unfinished respondent, such as ("young_person", "q:transport/buses"); other
        positions (for example `consent`) are counted as they are.
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
        audiences = self._audiences(person[0] for person in people)
        audiences += tuple(
            dict.fromkeys(a for a, _ in stopped_at if a not in audiences and a is not None)
        )
        areas = tuple(
            self._area_result(area, tallies, audiences) for area, tallies in self._tallies.items()
        )
        return ConsultationStats(
            started=sum(count for *_, count in people),
            finished=sum(count for *_, finished, count in people if finished),
            respondents=self._respondents,
            answered=sum(area.answered for area in areas),
            skipped=sum(area.skipped for area in areas),
            audiences=audiences,
            by_audience=_groups(people, 0),
            by_source=_groups(people, 1),
            areas=areas,
            stopped=self._stops(stopped_at, audiences),
        )

    def _audiences(self, counted: Iterable[str | None]) -> tuple[str | None, ...]:
        """The layout's audiences in order, then any other met in the rows or the counts."""
        order: dict[str | None, None] = dict.fromkeys(self._layout.audience_keys)
        order.update(dict.fromkeys(audience for _, audience in self._area_people))
        order.update(dict.fromkeys(counted))
        return tuple(order)

    def _tally(self, area: str, question: str) -> _QuestionTally:
        questions = self._tallies.setdefault(area, {})
        if question not in questions:
            questions[question] = _QuestionTally(area, question, None)
        return questions[question]

    def _area_result(
        self, area: str, tallies: dict[str, _QuestionTally], audiences: tuple[str | None, ...]
    ) -> AreaStats:
        questions = tuple(tally.result(audiences) for tally in tallies.values())
        by_audience = tuple(
            AudiencePeople(audience, self._area_people[(area, audience)]) for audience in audiences
        )
        return AreaStats(
            area=area,
            respondents=sum(people.count for people in by_audience),
            by_audience=by_audience,
            answered=sum(question.answered for question in questions),
            skipped=sum(question.skipped for question in questions),
            questions=questions,
        )

    def _stops(
        self, stopped_at: Sequence[Stop], audiences: tuple[str | None, ...]
    ) -> tuple[StopCount, ...]:
        """Stops per audience, in the audiences' order; each audience's in reading order."""
        per_audience = Counter(audience for audience, _ in stopped_at)
        questions = [(area, key) for area, tallies in self._tallies.items() for key in tallies]
        order = {question: index for index, question in enumerate(questions)}
        rank = {audience: index for index, audience in enumerate((*audiences, None))}
        stops = [
            StopCount(
                audience, position, *_question_of(position), count, count / per_audience[audience]
            )
            for (audience, position), count in Counter(stopped_at).items()
        ]

        def reading_order(stop: StopCount) -> tuple[int, int, int, str]:
            index = order.get((stop.area or "", stop.question or ""))
            where = (0, index, "") if index is not None else (1, -stop.count, stop.position)
            return (rank[stop.audience], *where)

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
    rows: AsyncIterable[Sequence[ExportRow]],
    layout: ExportLayout,
    stopped_at: Sequence[Stop] = (),
    counts: Iterable[RespondentTally] | None = None,
) -> ConsultationStats:
    """Statistics over the ordered answer stream; the rest as in `StatsCollector.result`."""
    collector = StatsCollector(layout)
    async for batch in by_respondent(rows):
        for answers in batch:
            collector.add(answers)
    return collector.result(stopped_at, counts)
