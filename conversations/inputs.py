"""What a respondent can do, as the engine sees it, whatever the channel."""

from dataclasses import dataclass
from enum import StrEnum


class CommandName(StrEnum):
    """Commands a respondent can type at any point."""

    HELP = "help"
    SKIP = "skip"
    BACK = "back"
    REVIEW = "review"
    STOP = "stop"
    PRIVACY = "privacy"
    MY_ANSWERS = "myanswers"
    DELETE = "delete"
    NO_REMINDERS = "noreminders"
    NO_NEWS = "nonews"
    LANGUAGE = "language"


@dataclass(frozen=True)
class Start:
    """The respondent opened the conversation, perhaps from a link carrying a payload."""

    payload: str | None = None


@dataclass(frozen=True)
class Press:
    """A button was tapped; `data` is what the button carried."""

    data: str


@dataclass(frozen=True)
class Text:
    """The respondent typed something."""

    text: str


@dataclass(frozen=True)
class Command:
    """The respondent typed a command; `argument` is any word after it (as in /privacy full)."""

    name: CommandName
    argument: str = ""


@dataclass(frozen=True)
class Unsupported:
    """Something the bot cannot take as an answer: a sticker, a photo, an edit, and so on."""

    kind: str


Input = Start | Press | Text | Command | Unsupported
