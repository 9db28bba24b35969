"""The updates a respondent sends while answering the benchmark survey, as Telegram's JSON.

Every contender gets exactly these bytes, so each handles the same 14 updates per respondent:
/start, consent, audience, reminders, tick the area, Done, four button answers, one typed
answer, the final typed answer, "hear what happened?" and "Send my answers". The updates are
built by the tests' `UpdateFactory` (real update dicts) before any clock starts; a button press
carries the bot message it was on, with its keyboard, as Telegram sends it.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench.fakeapi import BOT_USER
from tests.telegram_fakes.updates import FakeUser, UpdateFactory

Press = tuple[str, str, str]  # (button data, its label, the text of the message it was on)

IDEAS = "More benches near the playground, and lights on the path by the lake 🌳"
FINAL = "Thank you for asking. Please keep the café open in the winter too."
JOURNEY: tuple[Press | str, ...] = (
    "/start",
    ("consent#yes", "Yes, let's start", "Hello! This is Benchmark Borough Council. ..."),
    ("audience#resident", "I live here", "Which of these best describes you?"),
    ("reminders#no", "No", "Shall we remind you once if you stop half-way?"),
    ("areas#parks", "Parks and green spaces", "Which of these do you want to tell us about?"),
    ("areas#!done", "Done", "Which of these do you want to tell us about?"),
    ("q:parks/important#agree", "Agree", "Looking after our parks should be one of our aims."),
    ("q:parks/safe#not_sure", "Not sure", "I feel safe in our parks."),
    ("q:parks/visited#yes", "Yes", "Have you visited a park in the last month?"),
    ("q:parks/how_often#weekly", "Every week", "How often do you go to a park?"),
    IDEAS,
    FINAL,
    ("outcome#no", "No", "Would you like to hear what happened?"),
    ("review#send", "Send my answers", "Here are your answers: ..."),
)
STEPS = len(JOURNEY)
ANSWERS_PER_RESPONDENT = 6
"""Four pressed and one typed answer in the area, and the final typed answer."""


@dataclass(frozen=True)
class Respondent:
    """One person's updates, in the order they send them."""

    user_id: int
    updates: tuple[bytes, ...]


class Script:
    """Makes respondents with unique user ids and update ids for one benchmark process."""

    def __init__(
        self, *, first_user_id: int = 800_000_001, first_update_id: int = 581_000_001
    ) -> None:
        self.factory = UpdateFactory(
            bot=_bot_user(), first_user_id=first_user_id, first_update_id=first_update_id
        )
        self._bot_message_ids = 10_000

    def respondents(self, count: int) -> list[Respondent]:
        """`count` new people, each with a whole journey."""
        return [self.respondent() for _ in range(count)]

    def respondent(self) -> Respondent:
        """A new person and every update of their journey."""
        user = self.factory.user("Rita")
        updates = [json.dumps(update).encode() for update in self._journey(user)]
        return Respondent(user.id, tuple(updates))

    def _journey(self, user: FakeUser) -> Iterator[dict[str, Any]]:
        for item in JOURNEY:
            if item == "/start":
                yield self.factory.command(user, "start")
            elif isinstance(item, str):
                yield self.factory.message(user, item)
            else:
                data, label, text = item
                yield self.factory.callback_query(user, self._shown(user, text, label, data), data)

    def _shown(self, user: FakeUser, text: str, label: str, data: str) -> dict[str, Any]:
        """The bot's message with the button, as a callback query carries it."""
        self._bot_message_ids += 1
        keyboard = [[{"text": label, "callback_data": data}]]
        return {
            "message_id": self._bot_message_ids,
            "from": self.factory.bot.to_dict(),
            "chat": user.chat(),
            "date": self.factory.now(),
            "text": text,
            "reply_markup": {"inline_keyboard": keyboard},
        }


def _bot_user() -> FakeUser:
    return FakeUser(
        id=int(BOT_USER["id"]),
        first_name=str(BOT_USER["first_name"]),
        username=str(BOT_USER["username"]),
        language_code=None,
        is_bot=True,
    )
