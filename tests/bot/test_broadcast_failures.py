"""Messages to many people (the reminder, the closing notice, announcements) when Telegram
refuses or fails some of them. All three go through the outbox.

Ann, Ben and Cat each asked for a reminder and for news, answered, and stopped at the review
without sending: so each broadcast is for all three, in that order, and Ben is in the middle.
Someone who blocked the bot is marked unreachable and is not written to again, by any of the
broadcasts after. A time-out or a 5xx for Ben does not stop Cat's message; Ben's is owed, tried
again after the outbox's backoff, and arrives once. Retries inside the sender are made instant.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.outbox import FIRST_RETRY
from storage.models import OutboxMessage
from storage.outbox import pending_count
from tests.bot.harness import BotHarness
from tests.bot.steps import INCLUSION, begin, stored_respondents
from tests.bot.test_jobs_closing import JUST_AFTER, TOLD_CLOSED
from tests.bot.test_jobs_reminders import MORNING, REMINDER
from tests.bot.test_staff_commands import announce
from tests.bot.test_staff_scenario import staff_member
from tests.telegram_fakes import BLOCKED_BY_USER, FakeUser

AFTER_THE_CLOSE = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
NEXT_WEEK = AFTER_THE_CLOSE + timedelta(days=7)
OUTCOME = "We listened. There will be more clubs."
FOLLOW_UP = "The new plan is on our website."

pytestmark = pytest.mark.usefixtures("instant_retries")


async def stops_at_the_review(harness: BotHarness, name: str) -> FakeUser:
    """Asks for a reminder and for news, answers, and does not tap Send."""
    person = harness.person(name)
    await begin(harness, person, "young_person", INCLUSION, reminder=True)
    for _ in range(4):  # three questions and the last open one
        await harness.tap(person, "Skip")
    await harness.tap(person, "Yes")  # hear what happened
    return person


async def ann_ben_and_cat(harness: BotHarness) -> tuple[FakeUser, FakeUser, FakeUser]:
    staff_member(harness)  # who gets the final numbers and sends the news
    ann = await stops_at_the_review(harness, "Ann")
    ben = await stops_at_the_review(harness, "Ben")
    cat = await stops_at_the_review(harness, "Cat")
    return ann, ben, cat


Broadcast = Callable[[BotHarness], Awaitable[None]]


async def reminders(harness: BotHarness) -> None:
    await harness.tick_at(MORNING)


async def closing_notices(harness: BotHarness) -> None:
    await harness.tick_at(JUST_AFTER)


def announcement(text: str, when: datetime) -> Broadcast:
    async def send(harness: BotHarness) -> None:
        harness.clock.now = when
        await announce(harness, staff_member(harness), f" {text}", "Yes, send it")

    return send


IN_ORDER: dict[str, Broadcast] = {
    "reminder": reminders,
    "closing notice": closing_notices,
    "announcement": announcement(OUTCOME, AFTER_THE_CLOSE),
    "second announcement": announcement(FOLLOW_UP, NEXT_WEEK),
}
WORDS = {
    "reminder": REMINDER,
    "closing notice": TOLD_CLOSED,
    "announcement": OUTCOME,
    "second announcement": FOLLOW_UP,
}
"""What each broadcast says (all of it, or the words staff wrote in the news)."""


def got(harness: BotHarness, person: FakeUser) -> list[str]:
    """Which broadcasts the person was shown, in order."""
    texts = harness.texts(person)
    return [name for name, words in WORDS.items() if any(words in text for text in texts)]


async def unreachable_at(harness: BotHarness, person: FakeUser) -> datetime | None:
    rows = {row.chat_id: row.unreachable_at for row in await stored_respondents(harness)}
    return rows[person.id]


@pytest.mark.parametrize("blocked_before", ["reminder", "closing notice", "announcement"])
async def test_someone_who_blocked_the_bot_is_marked_unreachable_and_skipped_from_then_on(
    harness: BotHarness, blocked_before: str, caplog: pytest.LogCaptureFixture
):
    ann, ben, cat = await ann_ben_and_cat(harness)
    blocked_when = None
    for name, broadcast in IN_ORDER.items():
        if name == blocked_before:
            harness.api.block(ben.id)
            calls_before = len(harness.api.calls_of("sendMessage", chat_id=ben.id))
        await broadcast(harness)
        if name == blocked_before:
            blocked_when = harness.clock.now
            assert await unreachable_at(harness, ben) == blocked_when

    everything = list(IN_ORDER)
    assert got(harness, ann) == everything
    assert got(harness, cat) == everything
    assert got(harness, ben) == everything[: everything.index(blocked_before)]
    tried = harness.api.calls_of("sendMessage", chat_id=ben.id)[calls_before:]
    assert [(call.status, call.description) for call in tried] == [(403, BLOCKED_BY_USER)]
    assert await unreachable_at(harness, ben) == blocked_when
    assert await unreachable_at(harness, ann) is None
    assert len(harness.api.failed_calls()) == 1
    # Blocking a bot is a person's right, not a fault: nothing alerts staff watching for errors.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def owed(harness: BotHarness) -> list[tuple[int, int, str | None]]:
    """(recipient, attempts, last error) of each outbox message not yet sent."""
    async with harness.service.sessions() as session:
        rows = await session.execute(
            select(OutboxMessage.recipient, OutboxMessage.attempts, OutboxMessage.last_error)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
            .order_by(OutboxMessage.id)
        )
    return [tuple(row) for row in rows]


FAILURES = {
    "a time-out": lambda api, chat: api.time_out(method="sendMessage", chat_id=chat, times=None),
    "a 502": lambda api, chat: api.server_error(method="sendMessage", chat_id=chat, times=None),
}


@pytest.mark.parametrize(
    ("broadcast", "failure"),
    [("reminder", "a time-out"), ("closing notice", "a 502"), ("announcement", "a time-out")],
)
async def test_a_failure_in_the_middle_of_the_list_does_not_stop_the_rest_and_is_tried_again(
    harness: BotHarness, broadcast: str, failure: str
):
    ann, ben, cat = await ann_ben_and_cat(harness)
    names = list(IN_ORDER)
    for earlier in names[: names.index(broadcast)]:
        await IN_ORDER[earlier](harness)
    FAILURES[failure](harness.api, ben.id)

    await IN_ORDER[broadcast](harness)

    assert broadcast in got(harness, ann)
    assert broadcast in got(harness, cat)
    assert broadcast not in got(harness, ben)
    sends = harness.api.calls_of("sendMessage")
    first_failed = next(i for i, call in enumerate(sends) if call.chat_id == ben.id and not call.ok)
    assert any(call.chat_id == cat.id and call.ok for call in sends[first_failed:])  # after Ben
    [(recipient, attempts, error)] = await owed(harness)
    assert (recipient, attempts) == (ben.id, 1)
    assert error is not None
    assert await unreachable_at(harness, ben) is None  # Telegram's trouble, not Ben's choice

    harness.api.clear_failures()  # Telegram is back
    assert await harness.send_outbox() == 0  # not before the backoff is over
    harness.clock.now += FIRST_RETRY
    assert await harness.send_outbox() == 1

    assert got(harness, ben) == names[: names.index(broadcast) + 1]
    assert [got(harness, person).count(broadcast) for person in (ann, ben, cat)] == [1, 1, 1]
    async with harness.service.sessions() as session:
        assert await pending_count(session) == 0
