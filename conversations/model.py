"""A consultation as frozen values, loaded from its TOML file by `conversations.loader`."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from conversations.safeguarding import Screening
    from conversations.targets import Target


class Kind(StrEnum):
    """The kinds of question a consultation can ask."""

    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    YESNO = "yesno"
    TEXT = "text"


SCALE = ("agree_strongly", "agree", "not_sure", "disagree", "disagree_strongly")
"""The agreement scale's choice keys, strongest agreement first."""


@dataclass(frozen=True)
class Wording:
    """Text that may differ per audience; `default` serves any audience without its own."""

    by_audience: Mapping[str, str]
    default: str | None = None

    def for_audience(self, audience: str | None) -> str:
        """The words for this audience, or the shared words."""
        if audience is not None and audience in self.by_audience:
            return self.by_audience[audience]
        if self.default is not None:
            return self.default
        return next(iter(self.by_audience.values()))

    def get(self, audience: str | None) -> str | None:
        """The words for this audience or the shared words; None if it has neither."""
        if audience is not None and audience in self.by_audience:
            return self.by_audience[audience]
        return self.default


@dataclass(frozen=True)
class Explanation:
    """An easy-read explanation (1 to 3 very short sentences), perhaps with a PNG picture.

    Audiences with no words of their own and no shared words get no "Explain this" button.
    """

    text: Wording
    picture: Path | None = None


@dataclass(frozen=True)
class Choice:
    """One option of a choice question: a stable key and the words on the button."""

    key: str
    label: Wording


def standard_choices(kind: Kind, messages: Mapping[str, str]) -> tuple[Choice, ...]:
    """The buttons of a scale or yes/no question, worded by the built-in sentences."""
    if kind is Kind.SCALE:
        return tuple(Choice(key, Wording({}, messages[f"scale_{key}"])) for key in SCALE)
    if kind is Kind.YESNO:
        return tuple(Choice(key, Wording({}, messages[key])) for key in ("yes", "no"))
    return ()


@dataclass(frozen=True)
class Question:
    """One question; `choices` is filled in for every kind that shows buttons."""

    key: str
    kind: Kind
    text: Wording
    choices: tuple[Choice, ...] = ()
    skippable: bool = True
    max_length: int = 1000
    comparable: bool = False
    """Staff may pool every audience's answers even where the wording differs (reports only)."""
    explain: Explanation | None = None
    audiences: tuple[str, ...] = ()
    """The audiences asked this question; every audience when empty (profile questions only)."""

    def choice(self, key: str) -> Choice | None:
        """The choice with this key, if the question still has it."""
        return next((choice for choice in self.choices if choice.key == key), None)


@dataclass(frozen=True)
class Area:
    """A priority area: a title, a short summary and its questions."""

    key: str
    title: Wording
    summary: Wording
    questions: tuple[Question, ...]
    explain: Explanation | None = None

    def asked_of(self, audience: str | None) -> tuple[Question, ...]:
        """The questions this audience is asked, in order."""
        return tuple(
            question
            for question in self.questions
            if not question.audiences or audience in question.audiences
        )

    def question(self, key: str) -> Question | None:
        """The question with this key, if the area still has it."""
        return next((question for question in self.questions if question.key == key), None)


@dataclass(frozen=True)
class Audience:
    """Who a respondent is, such as a young person or a parent or carer.

    `label` is the button a respondent taps ("I'm a parent or carer"); `staff_label` is how
    staff reports name the group ("Parent or carer"), the label itself unless the file says.
    """

    key: str
    label: str
    staff_label: str = ""

    @property
    def name_for_staff(self) -> str:
        """How statistics and exports name this audience."""
        return self.staff_label or self.label


@dataclass(frozen=True)
class ReadingAim:
    """What one audience's text must reach in the reading-level check (see reading_level)."""

    min_ease: float = 60.0
    max_sentence_words: float = 15.0
    max_long_words_percent: float = 20.0
    plain_words: bool = False


@dataclass(frozen=True)
class Consultation:
    """Everything the engine needs to run one consultation.

    `version` is a hash of the file's bytes, stored beside each answer so staff can show exactly
    which wording a respondent was given. `messages` holds every built-in sentence the engine
    shows, from the locale file with this consultation's own overrides applied. `screening`
    holds the rules that spot a possible disclosure of harm in typed words. `targets` are who
    the consultation wants to hear from (reports only; see `conversations.targets`).
    `privacy_notice` is the plain version everyone is shown; `privacy_notice_full`, if given,
    is one tap away, headed by the `data_controllers` (every organisation responsible for it).

    `language` is the language of this copy's words; `languages` are all the languages the
    consultation offers (the first is the default), named in their own words by
    `language_names`. `translated` holds a full copy of the consultation per other language,
    and `translation_gaps` what is missing or out of date in them (for `consultbot check`).
    """

    id: str
    title: str
    summary: str
    organisation: str
    document_url: str
    opens_at: datetime | None
    closes_at: datetime
    timezone: ZoneInfo
    minutes: int
    outcome: str
    privacy_notice: str
    audiences: tuple[Audience, ...]
    areas: tuple[Area, ...]
    final_question: Question
    messages: Mapping[str, str]
    version: str
    screening: "Screening"
    privacy_notice_full: str | None = None
    data_controllers: tuple[str, ...] = ()
    consent_explain: Explanation | None = None
    other_ways: str | None = None
    reading_aims: Mapping[str, ReadingAim] = field(default_factory=dict)
    targets: tuple["Target", ...] = ()
    language: str = "en"
    languages: tuple[str, ...] = ("en",)
    language_names: Mapping[str, str] = field(default_factory=dict)
    translated: Mapping[str, "Consultation"] = field(default_factory=dict)
    translation_gaps: tuple["TranslationGap", ...] = ()
    profile: Area | None = None
    """Optional questions about who is answering (age, where they live...), asked after
    consent and the audience question, before the first area. Its key is `PROFILE_AREA`, its
    title the built-in "About you", its summary the file's intro. Every one can be skipped or
    answered "Prefer not to say" (`PREFER_NOT`), and staff reports leave them out unless asked."""

    def area(self, key: str) -> Area | None:
        """The area with this key, if the consultation still has it."""
        return next((area for area in self.areas if area.key == key), None)

    def audience(self, key: str) -> Audience | None:
        """The audience with this key, if there is one."""
        return next((audience for audience in self.audiences if audience.key == key), None)

    def in_language(self, code: str | None) -> "Consultation":
        """This consultation in the language `code`, or in its default language."""
        return self.translated.get(code or "", self) if code != self.language else self

    def say(self, key: str, **values: object) -> str:
        """A built-in sentence with its placeholders filled in."""
        return self.messages[key].format(**values)


@dataclass(frozen=True)
class TranslationGap:
    """A translation that is missing, out of date, or still a draft: where, and what to do."""

    path: str
    key: str
    language: str
    problem: str
    fix: str
    blocking: bool = True
    restamp: tuple[str, str] | None = None
    """For a translation checked against changed English: its key in the stamps and new stamp."""

    def __str__(self) -> str:
        return f"{self.path}: {self.key} [{self.language}]: {self.problem}. Fix: {self.fix}"


FINAL_AREA = "final"
"""The area key under which the closing open question's answer is stored."""
PROFILE_AREA = "profile"
"""The area key under which profile answers (`Consultation.profile`) are stored."""
PREFER_NOT = "prefer_not_to_say"
"""The value stored when someone answers a profile question "Prefer not to say": told apart
from a skip (stored as None) and from a question never asked (no answer at all)."""
RESERVED_AREAS = frozenset({FINAL_AREA, PROFILE_AREA})
"""Area keys the consultation's own areas may not use."""
