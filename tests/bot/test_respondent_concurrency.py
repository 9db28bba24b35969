"""Many respondents at once: each one's messages in order, everyone side by side.

Updates go through the real `UpdateRunner`, as polling and the webhook hand them over. A fake
Telegram that keeps one person's replies waiting shows that nobody else waits with them, and
that no database connection (so no transaction) is held while a Telegram call is in flight.
"""

import asyncio
from collections.abc import Mapping
from typing import Any

from tests.bot.harness import BotHarness
from tests.bot.steps import answers_of, at_the_first_question
from tests.telegram_fakes import FakeUser

SCALE = {
    "Agree a lot": "agree_strongly",
    "Agree": "agree",
    "Not sure": "not_sure",
    "Disagree": "disagree",
    "Disagree a lot": "disagree_strongly",
}
Q2 = "Being included and taking part. Question 2 of 3"
Q3 = "Being included and taking part. Question 3 of 3"


class HeldReplies:
    """A fake Telegram that holds every sendMessage to one chat until released."""

    def __init__(self, chat_id: int) -> None:
        self.chat_id = str(chat_id)
        self.arrived = asyncio.Event()
        self.released = asyncio.Event()

    async def hold(self, method: str, fields: Mapping[str, Any]) -> None:
        if method == "sendMessage" and str(fields.get("chat_id")) == self.chat_id:
            self.arrived.set()
            await self.released.wait()


def questions_seen(harness: BotHarness, user: FakeUser) -> list[str]:
    return [
        header
        for text in harness.texts(user)
        for header in (Q2, Q3, "Last question")
        if text.startswith(header)
    ]


async def test_several_respondents_answering_at_once_each_get_their_own_answers_in_order(
    harness: BotHarness,
):
    people = [harness.person(name) for name in ("Ada", "Ben", "Cat", "Dev", "Eve")]
    for person in people:
        await at_the_first_question(harness, person)
    scale = list(SCALE)
    planned = {
        person.id: (scale[n], scale[-1 - n], f"{person.first_name} wants a quiet room")
        for n, person in enumerate(people)
    }
    updates = [
        harness.api.updates.message(person, planned[person.id][turn])
        for turn in range(3)
        for person in people
    ]

    async with asyncio.timeout(15):
        handled = await asyncio.gather(*(harness.deliver(update) for update in updates))

    assert all(handled)
    for person in people:
        first, second, typed = planned[person.id]
        assert await answers_of(harness, person) == [
            ("important", SCALE[first]),
            ("included_now", SCALE[second]),
            ("ideas", typed),
        ]
        assert questions_seen(harness, person) == [Q2, Q3, "Last question"]
    assert harness.api.failed_calls() == []


async def test_while_telegram_is_slow_for_one_respondent_others_carry_on_and_no_transaction_waits(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    bob = harness.person("Bob")
    await at_the_first_question(harness, ada)
    await at_the_first_question(harness, bob)
    held = HeldReplies(ada.id)
    harness.api.intercept(held.hold)

    ada_first = asyncio.create_task(harness.type(ada, "Agree"))
    async with asyncio.timeout(5):
        await held.arrived.wait()
    ada_second = asyncio.create_task(harness.type(ada, "Disagree"))

    assert harness.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert await answers_of(harness, ada) == [("important", "agree")]
    async with asyncio.timeout(5):
        await harness.type(bob, "Not sure")
        await harness.type(bob, "Agree a lot")
        await harness.type(bob, "Bigger print on the bus timetable")
    assert questions_seen(harness, bob) == [Q2, Q3, "Last question"]
    assert await answers_of(harness, bob) == [
        ("important", "not_sure"),
        ("included_now", "agree_strongly"),
        ("ideas", "Bigger print on the bus timetable"),
    ]
    assert await answers_of(harness, ada) == [("important", "agree")]  # the second one waits
    assert not ada_second.done()
    assert questions_seen(harness, ada) == []

    held.released.set()
    async with asyncio.timeout(5):
        await asyncio.gather(ada_first, ada_second)

    assert await answers_of(harness, ada) == [("important", "agree"), ("included_now", "disagree")]
    assert questions_seen(harness, ada) == [Q2, Q3]
    assert harness.api.failed_calls() == []


async def test_a_double_tap_arriving_at_once_records_one_answer_and_moves_on_once(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    taps = [harness.api.tap(ada, "Agree") for _ in range(2)]

    async with asyncio.timeout(5):
        handled = await asyncio.gather(*(harness.deliver(tap) for tap in taps))

    assert handled == [True, True]
    assert questions_seen(harness, ada) == [Q2, Q2]  # the second time as "here is where you are"
    assert harness.texts(ada).count(harness.consultation.say("stale_button")) == 1
    assert await answers_of(harness, ada) == [("important", "agree")]
    assert harness.api.failed_calls() == []
