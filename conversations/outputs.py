"""What one engine step returns: messages to show and answers to record."""

from dataclasses import dataclass, field
from enum import StrEnum

from conversations.state import State


@dataclass(frozen=True)
class Button:
    """One tappable button: the label the respondent sees and the data sent back."""

    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """One message to show. `replace` asks to edit the message whose button was pressed.

    `picture` is the path of a PNG to show with the text (the text is then its caption).
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    replace: bool = False
    picture: str | None = None


@dataclass(frozen=True)
class Answer:
    """One answer to store; `value` None means the respondent skipped the question.

    `value` is the choice key (several joined by commas for multiple choice) or the text typed;
    `label` is what the respondent saw or wrote, for exports; `language` the language the
    question was asked in.
    """

    area: str
    question: str
    question_text: str
    value: str | None
    label: str
    language: str = "en"


class Signal(StrEnum):
    """Things that happened to the respondent that the caller records beside the state."""

    CONSENTED = "consented"
    DECLINED = "declined"
    FINISHED = "finished"
    ERASE = "erase"


@dataclass(frozen=True)
class Disclosure:
    """Typed words that staff must see: a possible disclosure of harm, or (with the
    consultation's `flag_all_text`) any typed answer, flagged for review.

    `at` is where the respondent was and `question` the question they were shown there (empty
    when none was). `phrases` are the phrases found, as written in the rules, and `categories`
    their kinds (self_harm, abuse...); both are empty for an answer flagged only for review.
    """

    text: str
    at: str
    question: str
    audience: str | None
    phrases: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        """Whether a phrase matched (not only flagged for review)."""
        return bool(self.phrases)


@dataclass(frozen=True)
class Step:
    """The result of one input: the new state, what to show and what to store.

    `acknowledge` is a short note for the button press that caused this step (the chosen label),
    shown on the question message so the chat reads as a record of what was answered.
    `disclosure` is set when typed words must go to safeguarding staff; the help message for
    the respondent is then already the first reply.
    """

    state: State
    replies: tuple[Reply, ...] = ()
    answers: tuple[Answer, ...] = ()
    signals: frozenset[Signal] = field(default_factory=frozenset)
    acknowledge: str | None = None
    disclosure: Disclosure | None = None
