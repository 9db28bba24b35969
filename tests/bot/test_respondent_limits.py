"""Whole journeys stay inside Telegram's limits, for every audience through every area.

The strict fake refuses what Telegram refuses (a text over 4096 characters, callback data over
64 bytes, a button without an action, an edit that changes nothing, a second answer to one
button press...), so a journey with no refused call proves the bot never hits those limits.
Typed answers are as long as each question allows, to make the review and /myanswers as long as
they can get.
"""

import asyncio

import pytest
from sqlalchemy import select

from bot.application import show_commands
from bot.handlers import MENU
from conversations.buttons import CALLBACK_DATA_LIMIT
from storage.models import Answer, Respondent
from tests.bot.harness import BotHarness
from tests.bot.steps import help_text
from tests.telegram_fakes import FakeUser

AUDIENCES = {
    "young_person": "I'm a young person",
    "parent_carer": "I'm a parent or carer",
    "professional": "I work with children",
}
MAX_STEPS = 90
"""More than the taps and messages of the longest journey (all six areas, then review)."""
THANKS = "Thank you! We have your answers."


def typed_answer(limit: int, audience: str) -> str:
    """An answer exactly `limit` characters long, with accents and emoji as people write."""
    text = f"({audience}) Café clubs 🎨, ramps ♿ and quiet rooms. "
    return (text * (limit // len(text) + 1))[:limit]


async def answer_everything(harness: BotHarness, user: FakeUser, audience: str) -> int:
    """Answer whatever is asked until the answers are sent; return how many steps it took."""
    c = harness.consultation
    yes_please = (c.say("reminders"), c.say("outcome", outcome=c.outcome))
    for steps in range(1, MAX_STEPS + 1):
        shown = harness.last(user)
        text, labels = shown.text or "", shown.labels
        if text.startswith(THANKS):
            return steps
        if "Send my answers" in labels:
            await harness.command(user, "myanswers")
            await harness.tap(user, "Send my answers")
        elif text in yes_please:  # the reminder, and news of what happened
            await harness.tap(user, "Yes")
        elif text.endswith(harness.consultation.say("text_hint_skip")):
            limit = 2000 if text.startswith("Last question") else 1000
            await harness.type(user, typed_answer(limit, audience))
        elif "Done" in labels:  # a tick-list: the areas, or a multiple-choice question
            first = "All of them" if "All of them" in labels else labels[0]
            await harness.tap(user, first)
            await harness.tap(user, "Done")
        elif labels:
            choices = [label for label in labels if label not in ("Skip", "Prefer not to say")]
            await harness.tap(user, choices[steps % len(choices)])
        else:
            raise AssertionError(f"nothing to answer in {text!r}")
    raise AssertionError(f"the journey did not end within {MAX_STEPS} steps")


@pytest.mark.parametrize("audience", list(AUDIENCES))
async def test_a_whole_journey_through_every_area_makes_no_call_telegram_would_refuse(
    harness: BotHarness, audience: str
):
    ada = harness.person("Ada")
    await harness.start(ada)
    await harness.tap(ada, "Yes, let's start")
    await harness.tap(ada, AUDIENCES[audience])

    async with asyncio.timeout(30):
        await answer_everything(harness, ada, audience)

    assert harness.api.failed_calls() == []
    shown = harness.api.sent_to(ada.id)
    assert all(0 < len(message.text or "") <= 4096 for message in shown)
    assert all(
        len((data or "").encode()) <= CALLBACK_DATA_LIMIT
        for message in shown
        for data in message.callback_data
    )
    copies = [message.text for message in shown if (message.text or "").startswith("Your answers")]
    assert copies, "/myanswers was shown"
    assert sum(len(message.text or "") for message in shown) > 4096 * 3
    async with harness.service.sessions() as session:
        respondent = (await session.execute(select(Respondent))).scalar_one()
        answers = (await session.execute(select(Answer))).scalars().all()
    assert respondent.audience == audience
    assert respondent.finished_at == harness.clock.now
    assert (respondent.wants_reminder, respondent.wants_outcome) == (True, True)
    areas = {answer.area for answer in answers}
    assert areas == {
        *("profile", "inclusion", "future", "together", "support", "covid", "vision", "final")
    }
    profile = harness.consultation.profile
    assert profile is not None
    about_them = len(profile.asked_of(audience))
    assert (
        len(answers) == about_them + sum(len(a.questions) for a in harness.consultation.areas) + 1
    )
    assert all(answer.value for answer in answers)
    texts = [a.value for a in answers if a.question in ("ideas", "signs", "anything_else")]
    assert all(value and len(value) in (1000, 2000) for value in texts)


async def test_the_command_menu_lists_what_a_respondent_can_type(harness: BotHarness):
    await show_commands(harness.application, harness.consultation)

    menu = harness.api.commands()
    assert [entry["command"] for entry in menu] == list(MENU)
    assert menu[0] == {"command": "start", "description": "Start, or carry on where you stopped"}
    assert {"command": "delete", "description": "Delete your answers"} in menu
    assert all(0 < len(entry["description"]) <= 256 for entry in menu)
    assert harness.api.failed_calls() == []
    assert len(harness.api.calls_of("setMyCommands", ok=True)) == 1
    async with harness.service.sessions() as session:
        assert (await session.execute(select(Respondent))).first() is None


async def test_every_command_in_the_menu_gets_an_answer_of_its_own(harness: BotHarness):
    ada = harness.person("Ada")
    await harness.start(ada)
    await harness.tap(ada, "Yes, let's start")
    the_help = help_text(harness)

    last_reply = {}
    for name in MENU[1:]:
        await harness.command(ada, name)
        last_reply[name] = harness.texts(ada)[-1]
        if name != "help":
            assert last_reply[name] != the_help, f"/{name} got the help"
    assert last_reply["delete"] == harness.consultation.say("nothing_to_delete")  # after /back
    assert last_reply["language"] == harness.consultation.say("language_choose")
    assert harness.api.failed_calls() == []
    async with harness.service.sessions() as session:
        respondent = (await session.execute(select(Respondent))).scalar_one()
        assert (await session.execute(select(Answer))).first() is None
    assert respondent.consent_at == harness.clock.now
