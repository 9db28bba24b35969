"""Helpers for the engine tests: a respondent talking to the engine, a frozen clock, files.

`Chat` keeps the state between steps the way the bot does, and remembers the last buttons it
was shown so a test can tap one by its label.
"""

from datetime import UTC, datetime

from conversations.buttons import PREFER_VALUE, button_data
from conversations.engine import step
from conversations.inputs import Command, CommandName, Input, Press, Start, Text
from conversations.journey import PROFILE_PLACE, find
from conversations.model import Consultation, Kind
from conversations.outputs import Answer, Button, Step
from conversations.state import State

OPEN_NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
"""A frozen moment while both the shipped and the small consultation are open."""

SMALL = """\
[consultation]
id = "small"
organisation = "Testshire Council"
title = "A small plan"
summary = "We want to know what you think."
document_url = "https://example.org"
opens_at = "2022-09-01T09:00"
closes_at = "2022-09-23T23:59"
outcome = "on our website"
privacy_notice = "We keep your answers safe."

[[audiences]]
key = "young_person"
label = "I'm a young person"

[[audiences]]
key = "parent_carer"
label = "I'm a parent or carer"

[[areas]]
key = "school"
title = "School"
summary = "About school."

[[areas.questions]]
key = "colour"
kind = "choice"
text.young_person = "What colour is your school bag?"
text.parent_carer = "What colour is your child's school bag?"
choices = [
    { key = "red", label = "Red" },
    { key = "blue", label = "Blue" },
]

[[areas.questions]]
key = "happy"
kind = "scale"
text = "I am happy at school."

[[areas.questions]]
key = "clubs"
kind = "multi"
text = "Which clubs do you go to?"
choices = [
    { key = "art", label = "Art" },
    { key = "sport", label = "Sport" },
    { key = "music", label = "Music" },
]

[[areas.questions]]
key = "bus"
kind = "yesno"
text = "Do you go by bus?"

[[areas.questions]]
key = "name"
kind = "text"
max_length = 10
skippable = false
text = "What is your school called?"

[[areas]]
key = "home"
title = "Home"
summary = "About home."

[[areas.questions]]
key = "garden"
kind = "yesno"
text = "Do you have a garden?"
"""
"""Two areas; every kind of question; a text question that cannot be skipped."""

PROFILE = """
[profile]
intro.young_person = "Now a few questions about you. You can skip them."
intro.default = "Now a few questions about who is answering. You can skip them."

[[profile.questions]]
key = "age"
kind = "choice"
text.young_person = "How old are you?"
text.parent_carer = "How old is your child?"
choices = [
    { key = "under_11", label = "Under 11" },
    { key = "from_11", label = "11 or older" },
]

[[profile.questions]]
key = "plan"
kind = "yesno"
text = "Is there an EHC plan?"
"""
"""Two profile questions, added to SMALL: one worded per audience, one the same for everyone."""


class Chat:
    """One respondent's side of the conversation, driven one input at a time."""

    def __init__(
        self,
        consultation: Consultation,
        *,
        now: datetime = OPEN_NOW,
        state: State | None = None,
        **options: object,
    ) -> None:
        self.consultation = consultation
        self.now = now
        self.state = state
        self.options = options
        self.buttons: list[Button] = []
        self.answers: list[Answer] = []
        self.last: Step | None = None

    def send(self, event: Input) -> Step:
        """Hand one input to the engine and keep what it returns, as the bot does."""
        result = step(self.consultation, self.state, event, self.now, **self.options)  # type: ignore[arg-type]
        self.state = result.state
        self.answers.extend(result.answers)
        shown = [button for reply in result.replies for row in reply.buttons for button in row]
        if shown:
            self.buttons = shown
        self.last = result
        return result

    def start(self, payload: str | None = None) -> Step:
        return self.send(Start(payload))

    def tap(self, label: str) -> Step:
        """Tap the button with this label among the last buttons shown."""
        return self.send(Press(self.button(label).data))

    def button(self, label: str) -> Button:
        matches = [button for button in self.buttons if button.label == label]
        assert matches, f"no button {label!r} in {[button.label for button in self.buttons]}"
        return matches[0]

    def type(self, text: str) -> Step:
        return self.send(Text(text))

    def command(self, name: str) -> Step:
        return self.send(Command(CommandName(name)))

    def answer_waiting(self, typed: str, ticks: tuple[int, ...] = (0,)) -> Step:
        """Answer the question waiting, in the chat's language: `typed` (with {key}, the
        question's key) where words go, the options at `ticks` then Done on a tick-list, and
        the first option anywhere else."""
        assert self.state is not None
        words = self.consultation.in_language(self.state.language)
        asked = find(words, self.state, self.state.at)
        assert asked is not None, self.state.at
        question, audience = asked.question, self.state.audience
        if question.kind is Kind.TEXT:
            return self.type(typed.format(key=asked.key))
        if question.kind is Kind.MULTI:
            for tick in ticks:
                self.tap(question.choices[tick].label.for_audience(audience))
            return self.tap(words.say("done"))
        return self.tap(question.choices[0].label.for_audience(audience))

    def pass_profile(self) -> None:
        """Answer "Prefer not to say" to each question about who is answering, in any language,
        as long as one is asked."""
        while self.state is not None and self.state.at.startswith(PROFILE_PLACE):
            self.send(Press(button_data(self.state.at, PREFER_VALUE)))

    def begin(self, audience: str, areas: tuple[str, ...] = ()) -> Step:
        """Start, agree, pick the audience, prefer not to say who they are, say no to reminders
        and choose areas (all if none)."""
        self.start()
        self.tap("Yes, let's start")
        self.tap(self.consultation.audience(audience).label)  # type: ignore[union-attr]
        self.pass_profile()
        self.tap("No")
        if not areas:
            self.tap("All of them")
        for key in areas:
            area = self.consultation.area(key)
            assert area is not None
            self.tap(area.title.for_audience(audience))
        return self.tap("Done")


def texts(result: Step) -> str:
    """Everything a step shows, as one text."""
    return "\n\n".join(reply.text for reply in result.replies)


def labels(result: Step) -> list[str]:
    """The labels of every button a step shows."""
    return [button.label for reply in result.replies for row in reply.buttons for button in row]
