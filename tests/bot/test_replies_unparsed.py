"""A button press costs three Bot API calls, and Telegram's answers to them are not parsed.

The chat still reads as a record (the pressed question keeps the chosen answer and loses its
buttons, in one edit) and the next question comes as a new message; bot/replies.py sends both
without turning Telegram's answers into Message objects, which cost as much CPU as the call.
"""

from pathlib import Path

import pytest
from telegram import Message

from bot.replies import show
from conversations.outputs import Button, Reply, Step
from conversations.state import State
from tests.bot.harness import BotHarness


async def test_a_press_is_one_answer_one_edit_and_the_next_question(harness: BotHarness):
    ada = harness.person("Ada")
    await harness.start(ada)
    consent = harness.message_with(ada, "Yes, let's start")
    before = len(harness.api.calls)
    await harness.tap(ada, "Yes, let's start")
    calls = harness.api.calls[before:]
    assert [call.method for call in calls] == [
        "answerCallbackQuery",
        "editMessageText",
        "sendMessage",
    ]
    assert all(call.ok for call in calls)
    edit, question = calls[1], calls[2]
    assert edit.params["message_id"] == consent.message_id
    assert edit.params["text"].endswith("Your answer: Yes, let's start")
    assert "reply_markup" not in edit.params  # the old buttons are gone in the same call
    assert question.params["reply_markup"]["inline_keyboard"]  # the next question's buttons
    edited = [s for s in harness.api.screen(ada.id) if s.message_id == consent.message_id]
    assert edited[0].labels == []


async def test_the_replies_do_not_parse_telegrams_answers(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    ada = harness.person("Ada")
    await harness.start(ada)
    pressed = harness.message_with(ada, "Yes, let's start")
    message = Message.de_json(pressed.raw, harness.application.bot)
    assert message is not None
    parsed: list[object] = []
    real = Message.de_json.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Message], data: object, bot: object = None) -> object:
        parsed.append(data)
        return real(cls, data, bot)

    monkeypatch.setattr(Message, "de_json", classmethod(counting))
    step = Step(
        State(at="q:x"),
        (Reply("Next question", ((Button("A", "q:x#a"), Button("B", "q:x#b")),)),),
        acknowledge="Your answer: Yes",
    )
    before = len(harness.api.calls)
    await show(harness.application.bot, ada.id, step, message)
    calls = harness.api.calls[before:]
    assert [call.method for call in calls] == ["editMessageText", "sendMessage"]
    assert all(call.ok for call in calls)
    assert parsed == []
    assert harness.last(ada).labels == ["A", "B"]


async def test_keyboards_go_as_the_bot_apis_json_with_text_and_with_a_picture(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await harness.start(ada)
    picture = Path(__file__).resolve().parents[2] / "conversations/flows/pictures/agree-scale.png"
    buttons = ((Button("Agree", "q:x#a"), Button("Disagree", "q:x#d")), (Button("Skip", "q:x#s"),))
    step = Step(
        State(at="q:x"),
        (Reply("With a picture", buttons, picture=str(picture)), Reply("Without", buttons)),
    )
    before = len(harness.api.calls)

    await show(harness.application.bot, ada.id, step)

    calls = harness.api.calls[before:]
    assert [call.method for call in calls] == ["sendPhoto", "sendMessage"]
    assert all(call.ok for call in calls)
    expected = {
        "inline_keyboard": [
            [
                {"text": "Agree", "callback_data": "q:x#a"},
                {"text": "Disagree", "callback_data": "q:x#d"},
            ],
            [{"text": "Skip", "callback_data": "q:x#s"}],
        ]
    }
    assert [call.params["reply_markup"] for call in calls] == [expected, expected]
    assert harness.last(ada).labels == ["Agree", "Disagree", "Skip"]
