"""Polling under pressure: a slow or flooding person never holds anyone else up, and no update
(unreadable, or failing every time) can stop the bot.

Nothing here is timed: who waits for whom is shown by holding one update in the service and
watching what the others get meanwhile. Every wait is bounded.
"""

import asyncio

import pytest
from sqlalchemy import select
from telegram import Update

from bot.dead_letters import DeadLetterOffice
from bot.service import Handled, Incoming
from storage.dead_letters import count_floods, dead_letters
from storage.identity import pseudonym
from storage.models import DeadLetter
from tests.bot.harness import SECRET, STAFF_ID, BotHarness
from tests.bot.steps import (
    a_flood_of_presses,
    answers_of,
    assert_each_press_answered_once,
    at_the_first_question,
    count_shown,
)
from tests.bot.test_polling import polling
from tests.bot.test_staff_stats import stats_messages
from tests.telegram_fakes import FakeUser

Q2 = "Being included and taking part. Question 2 of 3"
BOUND = 10.0
"""Seconds any wait may take before the test fails (it normally takes a fraction of that)."""


class Held:
    """The service, made to hold every update of one person until the test lets go: that
    person's handling is as slow as a Telegram call that does not come back."""

    def __init__(self, harness: BotHarness, person: FakeUser, monkeypatch: pytest.MonkeyPatch):
        self.handle_now = harness.service.handle
        self.person = person
        self.reached = asyncio.Event()
        self.released = asyncio.Event()
        self.handled: list[int | None] = []
        monkeypatch.setattr(harness.service, "handle", self.handle)

    async def handle(self, incoming: Incoming) -> Handled | None:
        if incoming.user_id == self.person.id:
            self.reached.set()
            await self.released.wait()
            self.handled.append(incoming.update_id)
        return await self.handle_now(incoming)


async def test_one_person_s_stuck_update_holds_up_nobody_else_and_their_own_wait_in_order(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    slow = harness.person("Slow")
    others = [harness.person(f"Other{n}") for n in range(5)]
    for person in (slow, *others):
        await at_the_first_question(harness, person)
    held = Held(harness, slow, monkeypatch)
    backlog = [harness.api.updates.message(slow, text) for text in ("Agree", "Not sure", "Yes")]

    async with polling(harness):
        for update in backlog:
            harness.api.push(update)
        async with asyncio.timeout(BOUND):
            await held.reached.wait()
        # Pushed after the stuck update: a poller waiting for it would never fetch these.
        for person in others:
            harness.api.push(harness.api.updates.message(person, "Agree"))
        await harness.api.wait_until(
            lambda: all(count_shown(harness, person, Q2) for person in others), timeout=BOUND
        )
        # Everyone else's next step is taken too, while the stuck one is still in hand.
        for person in others:
            harness.api.push(harness.api.updates.message(person, "Disagree"))
        await harness.api.wait_until(
            lambda: all(
                count_shown(harness, person, "Being included and taking part. Question 3")
                for person in others
            ),
            timeout=BOUND,
        )
        assert held.handled == []
        pending = [update["update_id"] for update in harness.api.pending_updates()]
        assert pending[0] == backlog[0]["update_id"]  # not confirmed before it is committed
        held.released.set()
        await harness.api.wait_until(lambda: not harness.api.pending_updates(), timeout=BOUND)

    assert held.handled == [update["update_id"] for update in backlog]
    assert await answers_of(harness, slow) == [
        ("important", "agree"),
        ("included_now", "not_sure"),
        ("ideas", "Yes"),
    ]
    for person in others:
        assert await answers_of(harness, person) == [
            ("important", "agree"),
            ("included_now", "disagree"),
        ]
    assert harness.api.failed_calls() == []


async def test_a_flooding_newcomer_is_welcomed_once_told_once_to_slow_down_and_the_rest_dropped(
    harness: BotHarness,
):
    flooder, ada = harness.person("Flo"), harness.person("Ada")
    await at_the_first_question(harness, ada)
    burst = harness.gate.burst
    flood = [harness.api.updates.message(flooder, f"hi {n}") for n in range(4 * burst)]
    for update in flood:
        harness.api.push(update)
    answer = harness.api.push(harness.api.updates.message(ada, "Agree"))

    async with polling(harness):
        await harness.api.wait_until(
            lambda: count_shown(harness, ada, Q2) and not harness.api.pending_updates(),
            timeout=BOUND,
        )

    say = harness.consultation.say
    texts = harness.texts(flooder)
    assert texts.count(say("slow_down")) == 1
    assert sum(text.startswith("Hello! This is") for text in texts) == 1
    again = say("welcome_again", yes=say("consent_yes"))
    assert texts.count(again) == burst - 1
    assert len(texts) == 2 + (burst - 1) + 1  # welcome and consent, reminders, slow down
    assert answer["update_id"] > flood[-1]["update_id"]
    assert await answers_of(harness, ada) == [("important", "agree")]
    async with harness.service.sessions() as session:
        assert await count_floods(session, consultation_id=harness.consultation.id) == 1
    assert "People asked to slow down (too many messages at once): 1" in await stats_messages(
        harness
    )


UNREADABLE = {
    "date as text": lambda user: {
        "message": {
            "message_id": 1,
            "date": "yesterday",
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_dict(),
            "text": "hello",
        }
    },
    "message as a list": lambda user: {"message": [user.id, "hello"]},
    "a block from an older Bot API": lambda user: {  # a member with no status: refused
        "my_chat_member": {
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_dict(),
            "date": 1_662_000_000,
            "old_chat_member": {"user": user.to_dict()},
            "new_chat_member": {"user": user.to_dict()},
        }
    },
}


async def test_updates_the_library_cannot_read_are_set_aside_confirmed_and_staff_told_once(
    harness: BotHarness,
):
    mallory, ada = harness.person("Mallory"), harness.person("Ada")
    staff = harness.person("Sam", id=STAFF_ID)
    await at_the_first_question(harness, ada)
    bad = [harness.api.push(shape(mallory)) for shape in UNREADABLE.values()]
    bad.append(harness.api.push(UNREADABLE["date as text"](mallory)))  # the same kind again
    harness.api.push(harness.api.updates.message(ada, "Agree"))

    async with polling(harness):
        await harness.api.wait_until(
            lambda: count_shown(harness, ada, Q2) and not harness.api.pending_updates(),
            timeout=BOUND,
        )

    async with harness.service.sessions() as session:
        total, letters = await dead_letters(session, scope=harness.consultation.id)
        stored = (await session.scalars(select(DeadLetter))).all()
    assert total == 4
    assert sorted(letter.update_id for _, letter in letters) == [u["update_id"] for u in bad]
    assert sorted(letter.kind for _, letter in letters) == [
        "message",
        "message",
        "message",
        "my_chat_member",
    ]
    assert all("TypeError" in letter.error for _, letter in letters)
    mallory_alias = pseudonym(SECRET, mallory.id)
    assert {letter.pseudonym for _, letter in letters} == {mallory_alias, None}
    for row in stored:  # no raw id, name or text anywhere
        written = " ".join(str(value) for value in vars(row).values())
        for secret in (str(mallory.id), "Mallory", "hello", "yesterday"):
            assert secret not in written
    await harness.send_outbox()  # staff are told through the outbox, after the commit
    alerts = [text for text in harness.texts(staff) if "set aside" in text]
    assert len(alerts) == 3  # one per kind and error: the second text date is not reported
    assert await answers_of(harness, ada) == [("important", "agree")]

    # Started again, the bot still knows staff were told about this one.
    again = {
        "update_id": bad[-1]["update_id"] + 100,
        **UNREADABLE["a block from an older Bot API"](mallory),
    }
    with pytest.raises(TypeError) as unreadable:
        Update.de_json(again, harness.application.bot)
    restarted = DeadLetterOffice(harness.service, [STAFF_ID])
    await restarted.set_aside(again, unreadable.value, attempts=1)
    await harness.send_outbox()
    assert len([text for text in harness.texts(staff) if "set aside" in text]) == 3


@pytest.mark.expects_handler_error(kind=ValueError)
async def test_an_update_that_always_fails_is_set_aside_and_the_person_s_next_one_runs(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    poison = harness.api.updates.message(ada, "Agree")
    later = harness.api.updates.message(ada, "Disagree")
    handle = harness.service.handle
    attempts: list[int | None] = []

    async def poison_fails(incoming: Incoming) -> Handled | None:
        attempts.append(incoming.update_id)
        if incoming.update_id == poison["update_id"]:
            raise ValueError(f"cannot handle {incoming.user_id}")
        return await handle(incoming)

    monkeypatch.setattr(harness.service, "handle", poison_fails)
    monkeypatch.setattr("bot.polling.RETRY_PAUSE", 0.0)

    async with polling(harness):
        harness.api.push(poison)
        harness.api.push(later)
        await harness.api.wait_until(
            lambda: count_shown(harness, ada, Q2) and not harness.api.pending_updates(),
            timeout=BOUND,
        )

    assert attempts.count(poison["update_id"]) == 5
    assert attempts.count(later["update_id"]) == 1
    assert await answers_of(harness, ada) == [("important", "disagree")]
    async with harness.service.sessions() as session:
        total, letters = await dead_letters(session, scope=harness.consultation.id)
    assert total == 1
    assert letters[0][1].update_id == poison["update_id"]
    assert letters[0][1].error == "ValueError: cannot handle …"  # the id is taken out


async def test_presses_cut_short_by_the_flood_gate_are_answered_so_buttons_stop_spinning(
    harness: BotHarness,
):
    presser = harness.person("Pia")
    await at_the_first_question(harness, presser)
    presses = a_flood_of_presses(harness, presser)
    for press in presses:
        harness.api.push(press)

    async with polling(harness):
        await harness.api.wait_until(lambda: not harness.api.pending_updates(), timeout=BOUND)

    assert_each_press_answered_once(harness, presses)
    assert harness.texts(presser).count(harness.consultation.say("slow_down")) == 1
    assert await answers_of(harness, presser) == [("important", "agree")]
