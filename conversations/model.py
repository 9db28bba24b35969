"""A consultation as frozen values, loaded from its TOML file by `conversations.loader`."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from conversations.safeguarding import Screening


class Kind(StrEnum):
    """The kinds of question a consultation can ask."""

    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    YESNO = "yesno"
    TEXT = "text"


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


@dataclass(frozen=True)
class Choice:
    """One option of a choice question: a stable key and the words on the button."""

    key: str
    label: Wording


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
class Consultation:
    """Everything the engine needs to run one consultation.

    `version` is a hash of the file's bytes, stored beside each answer so staff can show exactly
    which wording a respondent was given. `messages` holds every built-in sentence the engine
    shows, from the locale file with this consultation's own overrides applied. `screening`
    holds the rules that spot a possible disclosure of harm in typed words.
    `privacy_notice` is the plain version everyone is shown; `privacy_notice_full`, if given,
    is one tap away, headed by the `data_controllers` (every organisation responsible for it).
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

    def area(self, key: str) -> Area | None:
        """The area with this key, if the consultation still has it."""
        return next((area for area in self.areas if area.key == key), None)

    def audience(self, key: str) -> Audience | None:
        """The audience with this key, if there is one."""
        return next((audience for audience in self.audiences if audience.key == key), None)

    def say(self, key: str, **values: object) -> str:
        """A built-in sentence with its placeholders filled in."""
        return self.messages[key].format(**values)


FINAL_AREA = "final"
"""The area key under which the closing open question's answer is stored."""
