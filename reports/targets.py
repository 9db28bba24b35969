"""Progress towards the consultation's targets, and who is under-represented while there is time.

The rule, as staff read it in the README: the pace runs from the opening time (or, when the
file has none, the first person's first message) to the closing time in force after any
/extend. With a share of the time gone, a group needs the same share of its target by now.

- A number of people (`at_least`): reached once the group has it; otherwise on track if it has
  at least target x share of time gone (at this pace it reaches the target by the close), else
  under-represented.
- A share (`share_at_least`): on track while the group's share is at least the minimum, else
  under-represented; while the share is of fewer than 20 people, "too few to judge yet".
- Once closed, a target is reached or not reached; before it opens, not open yet.

Numbers only: words come from the layout and the staff locale file when they are shown.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from conversations.targets import Counting, Target, TargetKind
from conversations.window import Phase, Window
from reports.stats import RespondentTally, Stop

MIN_SHARE_BASE = 20
"""A share target is judged once its share is of at least this many people."""


class Standing(StrEnum):
    """Where a group stands against its target."""

    REACHED = "reached"
    ON_TRACK = "on_track"
    UNDER = "under"
    """Under-represented: behind the pace, or below the share, while there is time to act."""
    NOT_REACHED = "not_reached"
    NOT_OPEN = "not_open"
    TOO_FEW = "too_few"
    """A share of fewer than `MIN_SHARE_BASE` people (while open): not judged yet, as a share
    of a handful of people says little."""


@dataclass(frozen=True, slots=True)
class Pace:
    """How far through its time the consultation is: from `starts_at` to `closes_at`, at `now`.

    `starts_at` is the opening time in force, or the first person's first message when the
    file has no opening time (None before anyone has written: no time has gone yet).
    """

    starts_at: datetime | None
    closes_at: datetime
    now: datetime

    @property
    def phase(self) -> Phase:
        """Open, closed, or not open yet, by the times in force."""
        return Window(self.starts_at, self.closes_at).phase(self.now)

    @property
    def time_gone(self) -> float:
        """The share of the consultation's time gone, from 0 to 1."""
        if self.starts_at is None:
            return 0.0
        whole = (self.closes_at - self.starts_at).total_seconds()
        gone = (self.now - self.starts_at).total_seconds()
        return min(1.0, max(0.0, gone / whole)) if whole > 0 else 1.0


ProfileGroup = tuple[str, tuple[str, ...]]
"""A profile question and the audiences whose answers count (() for everyone)."""


@dataclass(frozen=True, slots=True)
class ProfileAnswered:
    """One profile question's answers: how many gave an answer other than "prefer not to say"
    (`people`, the base of a share), and how many chose each answer."""

    people: int = 0
    chose: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TargetProgress:
    """One group's progress: the target, the group (`answer` for a profile answer), so far.

    `share` is the group's share of the people whose group is known (None when nobody's is);
    `needed_now` is how many a number target needs by now to be on pace (None for shares).
    """

    target: Target
    answer: str | None
    so_far: int
    share: float | None
    needed_now: int | None
    standing: Standing

    @property
    def of_target(self) -> float | None:
        """So far as a fraction of a number target (1.0 is the target met); None for a share
        target, whose share is read against its minimum (a 34% share of a 10% aim is not 340%)."""
        if self.target.at_least is None:
            return None
        return self.so_far / self.target.at_least

    @property
    def under_represented(self) -> bool:
        """Behind while there is still time to act."""
        return self.standing is Standing.UNDER


def judge_targets(
    targets: Iterable[Target],
    people: Iterable[RespondentTally],
    profile: Mapping[ProfileGroup, ProfileAnswered],
    profile_answers: Mapping[str, tuple[str, ...]],
    pace: Pace,
) -> tuple[TargetProgress, ...]:
    """Each target's progress, in the file's order; a profile target without an answer gives
    one row per answer of its question (`profile_answers`, without "prefer not to say").

    `profile` holds the answers to each profile question from the audiences a target counts
    (its `among`; () for everyone)."""
    groups = _Groups(people)
    progress = []
    for target in targets:
        if target.kind is TargetKind.PROFILE:
            answered = profile.get((target.key, target.among), ProfileAnswered())
            answers = (target.answer,) if target.answer else profile_answers.get(target.key, ())
            for answer in answers:
                count = answered.chose.get(answer, 0)
                progress.append(_judge(target, answer, count, answered.people, pace))
            continue
        count, known = groups.count(target)
        progress.append(_judge(target, None, count, known, pace))
    return tuple(progress)


class _Groups:
    """People who started and who finished, per audience and per source."""

    def __init__(self, people: Iterable[RespondentTally]) -> None:
        self.counts: dict[tuple[TargetKind, Counting], Counter[str | None]] = {
            (kind, counting): Counter()
            for kind in (TargetKind.AUDIENCE, TargetKind.SOURCE)
            for counting in Counting
        }
        for tally in people:
            if not tally.consented:
                continue
            for kind, group in (
                (TargetKind.AUDIENCE, tally.audience),
                (TargetKind.SOURCE, tally.source),
            ):
                self.counts[(kind, Counting.STARTED)][group] += tally.count
                if tally.finished:
                    self.counts[(kind, Counting.FINISHED)][group] += tally.count

    def count(self, target: Target) -> tuple[int, int]:
        """(people in the target's group, people whose group of this kind is known)."""
        counts = self.counts[(target.kind, target.counting)]
        known = sum(
            count
            for group, count in counts.items()
            if group is not None or target.kind is TargetKind.SOURCE
        )
        return counts[target.key], known


def _judge(
    target: Target, answer: str | None, so_far: int, known: int, pace: Pace
) -> TargetProgress:
    """Where one group stands: `so_far` people of the `known` its share is of."""
    share = so_far / known if known else None
    phase = pace.phase
    needed = None
    if target.at_least is not None:
        met = so_far >= target.at_least
        needed = math.ceil(target.at_least * pace.time_gone - 1e-9)
        on_pace = met or so_far >= needed
    else:
        assert target.share_at_least is not None
        met = on_pace = share is not None and share >= target.share_at_least - 1e-9
    if phase is Phase.NOT_OPEN:
        standing = Standing.NOT_OPEN
    elif phase is Phase.CLOSED:
        standing = Standing.REACHED if met else Standing.NOT_REACHED
    elif met and target.at_least is not None:
        standing = Standing.REACHED
    elif known < MIN_SHARE_BASE and target.share_at_least is not None:
        standing = Standing.TOO_FEW
    else:
        standing = Standing.ON_TRACK if on_pace else Standing.UNDER
    return TargetProgress(target, answer, so_far, share, needed, standing)


GroupKey = tuple[Target, str | None]
"""A row's group: its target, and the profile answer the row is about (None for the rest)."""


@dataclass(frozen=True)
class WhoAnswered:
    """Who has answered so far and progress towards every target, for /stats and the XLSX.

    `counted` is when it was counted and `closes` the closing time in force, in words;
    `labels` names each group as staff read it, `headings` the question a profile row answers;
    `people` and `stopped` are the counts it was read from (every respondent, whatever an
    export's filters), for the per-audience and per-source tables and "where people stopped".
    """

    pace: Pace
    counted: str
    closes: str
    progress: tuple[TargetProgress, ...]
    labels: Mapping[GroupKey, str]
    people: tuple[RespondentTally, ...] = ()
    stopped: tuple[Stop, ...] = ()
    headings: Mapping[GroupKey, str] = field(default_factory=dict)

    def label(self, progress: TargetProgress) -> str:
        """The group a row is about, in staff's words ("Young person", "Chatham")."""
        return self.labels[(progress.target, progress.answer)]

    def heading(self, progress: TargetProgress) -> str | None:
        """What a profile answer's row is an answer to (the question, and whose answers),
        shown once above its rows; None for the other rows."""
        return self.headings.get((progress.target, progress.answer))

    @property
    def under_represented(self) -> tuple[TargetProgress, ...]:
        """The rows flagged: behind while there is time to act."""
        return tuple(row for row in self.progress if row.under_represented)
