"""The updates a respondent sends while answering the benchmark survey, as Telegram's JSON.

Every contender gets exactly these bytes, so each handles the same journey (`JOURNEY`): the
whole survey with the detours real people take (/back, /skip, a tick-list, a redelivered update,
a sticker, a change at the review). The updates are
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
STICKER = "<sticker>"
AGAIN = "<the same update again>"
"""Telegram delivering the previous update a second time (same update_id), as after a timeout."""

IDEAS = "More benches near the playground, and lights on the path by the lake 🌳"
FINAL = "Thank you for asking. Please keep the café open in the winter too."
SCALE = "Looking after our parks should be one of our aims."
PATHS = "How do you use our paths?"
REVIEW = "Here are your answers: ..."
JOURNEY: tuple[Press | str, ...] = (
    "/start",
    ("consent#yes", "Yes, let's start", "Hello! This is Benchmark Borough Council. ..."),
    ("audience#resident", "I live here", "Which of these best describes you?"),
    ("reminders#no", "No", "Shall we remind you once if you stop half-way?"),
    ("areas#parks", "Parks and green spaces", "Which of these do you want to tell us about?"),
    ("areas#paths", "Paths and cycling", "Which of these do you want to tell us about?"),
    ("areas#!done", "Done", "Which of these do you want to tell us about?"),
    ("q:parks/important#agree", "Agree", SCALE),
    "/back",
    ("q:parks/important#agree_strongly", "Agree a lot", SCALE),
    "/skip",
    ("q:parks/visited#yes", "Yes", "Have you visited a park in the last month?"),
    AGAIN,
    STICKER,
    ("q:parks/how_often#weekly", "Every week", "How often do you go to a park?"),
    IDEAS,
    ("q:paths/use#walk", "Walking", PATHS),
    ("q:paths/use#cycle", "Cycling", PATHS),
    ("q:paths/use#!done", "Done", PATHS),
    FINAL,
    ("outcome#no", "No", "Would you like to hear what happened?"),
    ("review#c1", "Change Q1: Looking after our parks", REVIEW),
    ("q:parks/important#agree", "Agree", SCALE),
    ("review#send", "Send my answers", "That is all your answers. Is that right?"),
)
"""One respondent's updates: every kind of step a real one takes, in a plausible order (a tick-list
of two areas and one of two ways, /back and an answer changed, /skip, Telegram's redelivery, a
sticker, a change at the review)."""
STEPS = len(JOURNEY)
ANSWERS_PER_RESPONDENT = 7
"""Q1 (changed twice), Q2 skipped, Q3 and Q4 pressed, Q5 typed, the paths tick-list, the final
typed answer: seven answers kept (a skip is kept as skipped)."""


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
        previous: dict[str, Any] = {}
        for item in JOURNEY:
            if item == AGAIN:
                update = previous
            elif item == STICKER:
                update = self.factory.sticker(user)
            elif isinstance(item, str) and item.startswith("/"):
                update = self.factory.command(user, item[1:])
            elif isinstance(item, str):
                update = self.factory.message(user, item)
            else:
                data, label, text = item
                update = self.factory.callback_query(
                    user, self._shown(user, text, label, data), data
                )
            previous = update
            yield update

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
