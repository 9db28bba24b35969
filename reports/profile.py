"""Who has answered: the profile answers (age band, where they live...) counted per audience.

Profile answers are kept apart from the consultation's answers: statistics and exports leave
them out unless staff ask for them. These counts are what progress towards targets is read
from. Each person counts once per question: a tick-list answer counts once for every option
ticked, and once in `people`.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.model import PROFILE_AREA, Consultation, Kind
from storage.statistics import answer_counts


class StoredCount(Protocol):
    """How many gave one stored value (storage's AnswerCount)."""

    @property
    def audience(self) -> str | None: ...
    @property
    def question(self) -> str: ...
    @property
    def value(self) -> str | None: ...
    @property
    def count(self) -> int: ...


@dataclass(frozen=True, slots=True)
class ProfileTally:
    """One profile question's answers from one audience (None: no audience recorded).

    `people` gave an answer, "Prefer not to say" included; `skipped` skipped it. `options`
    counts people per option key, with `conversations.model.PREFER_NOT` as an option.
    """

    question: str
    audience: str | None
    people: int = 0
    skipped: int = 0
    options: Mapping[str, int] = field(default_factory=dict)

    def chose(self, option: str) -> int:
        """How many people chose this option."""
        return self.options.get(option, 0)


@dataclass(frozen=True, slots=True)
class ProfileCounts:
    """Every profile question's tallies, one per audience that answered it."""

    tallies: tuple[ProfileTally, ...] = ()

    def of(self, question: str, audience: str | None) -> ProfileTally:
        """One audience's answers to one question (all zero when nobody answered)."""
        return next(
            (t for t in self.tallies if t.question == question and t.audience == audience),
            ProfileTally(question, audience),
        )

    def everyone(self, question: str) -> ProfileTally:
        """Every audience's answers to one question together (audience None).

        Only meaningful where the audiences were asked in the same words; the caller knows.
        """
        options: Counter[str] = Counter()
        people = skipped = 0
        for tally in self.tallies:
            if tally.question == question:
                options.update(tally.options)
                people += tally.people
                skipped += tally.skipped
        return ProfileTally(question, None, people, skipped, dict(options))


def tally_profile(counts: Iterable[StoredCount], multi: frozenset[str]) -> ProfileCounts:
    """Profile counts from the stored values; `multi` names the tick-list questions, whose
    values are option keys joined by commas."""
    people: Counter[tuple[str, str | None]] = Counter()
    skipped: Counter[tuple[str, str | None]] = Counter()
    options: dict[tuple[str, str | None], Counter[str]] = {}
    for row in counts:
        key = (row.question, row.audience)
        options.setdefault(key, Counter())
        if row.value is None:
            skipped[key] += row.count
            continue
        people[key] += row.count
        chosen = row.value.split(",") if row.question in multi else [row.value]
        for option in filter(None, chosen):
            options[key][option] += row.count
    return ProfileCounts(
        tuple(
            ProfileTally(*key, people=people[key], skipped=skipped[key], options=dict(chose))
            for key, chose in options.items()
        )
    )


async def profile_counts(
    consultation: Consultation, sessions: async_sessionmaker[AsyncSession]
) -> ProfileCounts:
    """The profile answers so far, counted per audience (empty when the file has none)."""
    if consultation.profile is None:
        return ProfileCounts()
    multi = frozenset(q.key for q in consultation.profile.questions if q.kind is Kind.MULTI)
    async with sessions() as session:
        counts = await answer_counts(session, consultation_id=consultation.id, area=PROFILE_AREA)
    return tally_profile(counts, multi)
