"""Who a consultation wants to hear from: the file's `[[targets]]`, read and checked.

Each target names one group and one aim:

    [[targets]]
    audience = "young_person"      # or source = "library_poster", or profile = "area"
    at_least = 300                 # people, or share_at_least = 0.10 (a share, 10%)
    counting = "started"           # or "finished" (the default is "started")

A profile target names a profile question and, with `answer`, one of its answers; without
`answer` the aim applies to each answer except "prefer not to say". `among = ["parent_carer"]`
counts only those audiences' answers: where audiences were asked in different words ("where
do you live?", "where do you work?"), a target should count one wording. Shares are of the people
whose group is known: an audience's share of everyone who said who they are, a source's share
of everyone, a profile answer's share of everyone who gave an answer to that question.
Reports judge progress against these (see `reports.targets`); the engine never reads them.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from conversations.model import Area
from conversations.sources import source_problem
from conversations.tomlreader import TableReader

GROUP_KEYS = ("audience", "source", "profile")
"""The keys that name a target's group; a target has exactly one of them."""


class TargetKind(StrEnum):
    """What kind of group a target is about."""

    AUDIENCE = "audience"
    SOURCE = "source"
    PROFILE = "profile"


class Counting(StrEnum):
    """Which people count towards a target."""

    STARTED = "started"
    """Said yes to taking part."""
    FINISHED = "finished"
    """Sent their answers at the end."""


@dataclass(frozen=True)
class Target:
    """One aim for one group: `at_least` people, or a `share_at_least` (0 to 1) of them.

    `key` is the audience key, the source, or the profile question's key; `answer` is a profile
    answer's key, or None for every answer of the question (each is held to the aim).
    """

    kind: TargetKind
    key: str
    at_least: int | None = None
    share_at_least: float | None = None
    answer: str | None = None
    counting: Counting = Counting.STARTED
    among: tuple[str, ...] = ()
    """For a profile target: only these audiences' answers count (none named: everyone's)."""


def profile_answer_keys(profile: Area | None) -> dict[str, tuple[str, ...]]:
    """Each profile question's answer keys a target can aim at ("prefer not to say" is not
    one of its choices: the engine adds that button by itself)."""
    questions = profile.questions if profile else ()
    return {
        question.key: tuple(choice.key for choice in question.choices) for question in questions
    }


def read_targets(
    root: TableReader,
    audience_keys: tuple[str, ...],
    profile_answers: Mapping[str, tuple[str, ...]],
) -> tuple[Target, ...]:
    """The file's `[[targets]]`, each checked; problems are noted on `root` with their fix.

    `profile_answers` gives each profile question's answer keys that a share can be of (not
    "prefer not to say").
    """
    targets = []
    for table in root.tables("targets", required=False):
        target = _Target(table, audience_keys, profile_answers).read()
        table.finish()
        if target is not None:
            targets.append(target)
    _check_together(root, targets, profile_answers)
    return tuple(targets)


class _Target:
    """Reads one `[[targets]]` table."""

    def __init__(
        self,
        table: TableReader,
        audience_keys: tuple[str, ...],
        profile_answers: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.table = table
        self.audience_keys = audience_keys
        self.profile_answers = profile_answers

    def read(self) -> Target | None:
        table = self.table
        named = [key for key in GROUP_KEYS if table.has(key)]
        group = self._group(named)
        answer = self._answer(group)
        among = self._among(group)
        at_least, share = self._aim()
        counting = self._counting()
        if group is None or counting is None or (at_least is None and share is None):
            return None
        kind, key = group
        if kind is TargetKind.PROFILE and counting is not Counting.STARTED:
            table.problem(
                "counting",
                "a profile target counts everyone who gave the answer, finished or not",
                "remove counting from this target",
            )
            return None
        if answer is False or among is None:
            return None
        return Target(kind, key, at_least, share, answer or None, counting, among)

    def _group(self, named: list[str]) -> tuple[TargetKind, str] | None:
        table = self.table
        if len(named) != 1:
            found = ", ".join(named) if named else "none of them"
            table.problem(
                "audience",
                f"a target names one group of audience, source or profile; this has {found}",
                'keep one, e.g. audience = "young_person", and write another [[targets]] for '
                "the rest",
            )
            return None
        kind = TargetKind(named[0])
        key = table.text(kind.value)
        if key is None:
            return None
        known = {
            TargetKind.AUDIENCE: self.audience_keys,
            TargetKind.PROFILE: tuple(self.profile_answers),
        }.get(kind)
        if known is not None and key not in known:
            choices = ", ".join(known) or f"none: the file has no {kind.value} questions"
            fix = f"use one of {choices}" if known else "add a [profile] table of questions first"
            table.problem(kind.value, f"no {kind.value} {key!r} in this file", fix)
            return None
        if kind is TargetKind.SOURCE:
            if key in self.audience_keys:
                table.problem(
                    "source",
                    f"{key!r} is an audience key, so a link would record it as the audience",
                    f'write audience = "{key}" instead',
                )
                return None
            if (problem := source_problem(key, self.audience_keys)) is not None:
                table.problem("source", problem[0], problem[1])
                return None
        return kind, key

    def _answer(self, group: tuple[TargetKind, str] | None) -> str | bool:
        """The profile answer named, "" for none, False when `answer` is wrong."""
        table = self.table
        answer = table.text("answer", required=False)
        if answer is None:
            return ""
        if group is None:
            return False
        kind, key = group
        if kind is not TargetKind.PROFILE:
            table.problem(
                "answer",
                f"only a profile target names an answer, and this is about {kind.value} {key!r}",
                "remove answer, or make it a profile target",
            )
            return False
        answers = self.profile_answers[key]
        if answer not in answers:
            table.problem(
                "answer",
                f"the profile question {key!r} has no answer {answer!r} to aim for",
                f"use one of {', '.join(answers)}, or leave answer out to aim for each",
            )
            return False
        return answer

    def _among(self, group: tuple[TargetKind, str] | None) -> tuple[str, ...] | None:
        """The audiences a profile target counts (() for everyone), None when `among` is wrong."""
        table = self.table
        if not table.has("among"):
            return ()
        among = table.strings("among")
        if group is not None and group[0] is not TargetKind.PROFILE:
            table.problem(
                "among",
                "only a profile target counts some audiences' answers",
                "remove among, or write another [[targets]] per audience",
            )
            return None
        unknown = [key for key in among if key not in self.audience_keys]
        if unknown or not among:
            table.problem(
                "among",
                f"no audience {unknown[0]!r} in this file" if unknown else "the list is empty",
                f"use audiences from {', '.join(self.audience_keys)}",
            )
            return None
        return tuple(dict.fromkeys(among))

    def _aim(self) -> tuple[int | None, float | None]:
        table = self.table
        has_count, has_share = table.has("at_least"), table.has("share_at_least")
        if has_count == has_share:
            table.problem(
                "at_least",
                "a target needs one aim: at_least or share_at_least"
                + (", not both" if has_count else ""),
                "write at_least = 300 (people) or share_at_least = 0.10 (10% of them)",
            )
            return None, None
        if has_count:
            value = table.raw("at_least")
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                table.problem(
                    "at_least",
                    f"{value!r} is not a number of people",
                    "write a whole number of 1 or more, e.g. at_least = 300",
                )
                return None, None
            return value, None
        value = table.raw("share_at_least")
        number = not isinstance(value, bool) and isinstance(value, int | float)
        if not number or not 0 < value < 1 or not math.isfinite(value):
            hint = f" (for {value:g}% write {value / 100:g})" if number and 1 <= value < 100 else ""
            table.problem(
                "share_at_least",
                f"{value!r} is not a share between 0 and 1{hint}",
                "write the share as a fraction: 10% is share_at_least = 0.10",
            )
            return None, None
        return None, float(value)

    def _counting(self) -> Counting | None:
        table = self.table
        name = table.text("counting", required=False, default=Counting.STARTED.value)
        try:
            return Counting(name)
        except ValueError:
            table.problem(
                "counting",
                f"{name!r} is not a way of counting people",
                'write counting = "started" (said yes to taking part) or "finished"',
            )
            return None


def _check_together(
    root: TableReader, targets: list[Target], profile_answers: Mapping[str, tuple[str, ...]]
) -> None:
    """No target twice; shares that together ask for more than everyone are impossible."""
    seen: set[tuple[TargetKind, str, str | None, bool, Counting, tuple[str, ...]]] = set()
    for target in targets:
        same = (
            target.kind,
            target.key,
            target.answer,
            target.at_least is None,
            target.counting,
            target.among,
        )
        if same in seen:
            where = f"{target.kind.value} {target.key!r}" + (
                f" answer {target.answer!r}" if target.answer else ""
            )
            root.problem(
                "targets",
                f"two targets aim at {where} the same way",
                "keep one of them",
            )
        seen.add(same)
    totals: dict[tuple[TargetKind, str, Counting, tuple[str, ...]], float] = {}
    for target in targets:
        if target.share_at_least is None or target.kind is TargetKind.SOURCE:
            continue
        group = "" if target.kind is TargetKind.AUDIENCE else target.key
        every_answer = target.kind is TargetKind.PROFILE and target.answer is None
        each = len(profile_answers.get(target.key, ())) if every_answer else 1
        place = (target.kind, group, target.counting, target.among)
        totals[place] = totals.get(place, 0.0) + target.share_at_least * each
    for (kind, group, _, _), total in totals.items():
        if total > 1 + 1e-9:
            about = "audiences" if kind is TargetKind.AUDIENCE else f"answers of {group!r}"
            root.problem(
                "targets",
                f"the shares for the {about} add up to {total:.0%}, more than everyone",
                "lower share_at_least so that the shares add up to 100% or less",
            )
