"""DurablePoller: Telegram is told an update is handled only once its effects are committed.

The poller runs against the strict fake's getUpdates queue, with Telegram's offset rules: an
update stays queued (and comes again after a restart) until a getUpdates asks for an offset
past it. Failures are injected where they happen in production: in the database, mid-update.
"""

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import bot.polling
import bot.service
from bot.polling import DurablePoller
from bot.service import Handled, Incoming
from storage.answers import AnswersOf
from storage.identity import pseudonym
from storage.models import Respondent
from tests.bot.harness import SECRET, BotHarness
from tests.bot.steps import answers_of, at_the_first_question, count_shown
from tests.telegram_fakes import FakeGroup, FakeUser

Q2 = "Being included and taking part. Question 2 of 3"
Q3 = "Being included and taking part. Question 3 of 3"


@asynccontextmanager
async def polling(harness: BotHarness) -> AsyncIterator[DurablePoller]:
    """The poller running in the background; stopped (and awaited) on leaving."""
    poller = harness.poller(timeout=1)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        yield poller
    finally:
        stop.set()
        async with asyncio.timeout(5):
            await task


def pending_ids(harness: BotHarness) -> list[int]:
    return [update["update_id"] for update in harness.api.pending_updates()]


class GatedService:
    """The harness's service, made (for the rest of the test) to wait before handling one
    update until the test releases it."""

    def __init__(
        self, harness: BotHarness, update_id: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.handle_now = harness.service.handle
        self.update_id = update_id
        self.reached = asyncio.Event()
        self.released = asyncio.Event()
        monkeypatch.setattr(harness.service, "handle", self.handle)

    async def handle(self, incoming: Incoming) -> Handled | None:
        if incoming.update_id == self.update_id:
            self.reached.set()
            await self.released.wait()
        return await self.handle_now(incoming)


async def ada_s_answer_gated(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> tuple[FakeUser, dict[str, Any], GatedService]:
    """Ada at the first question; her "Agree" made (not yet sent) and gated in the service."""
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    update = harness.api.updates.message(ada, "Agree")
    return ada, update, GatedService(harness, update["update_id"], monkeypatch)


async def test_the_offset_moves_past_an_update_only_after_its_answer_is_committed(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    ada, update, gate = await ada_s_answer_gated(harness, monkeypatch)
    stored_when_confirmed: list[list[tuple[str, str | None]]] = []

    async def note_what_is_stored_at_confirming(method: str, fields: Mapping[str, Any]) -> None:
        if method == "getUpdates" and int(fields.get("offset", 0)) > update["update_id"]:
            stored_when_confirmed.append(await answers_of(harness, ada))

    harness.api.intercept(note_what_is_stored_at_confirming)

    async with polling(harness):
        harness.api.push(update)
        async with asyncio.timeout(5):
            await gate.reached.wait()
        assert pending_ids(harness) == [update["update_id"]]
        assert stored_when_confirmed == []
        gate.released.set()
        await harness.api.wait_until(lambda: not harness.api.pending_updates(), timeout=5)

    assert stored_when_confirmed[0] == [("important", "agree")]
    assert count_shown(harness, ada, Q2) == 1
    assert await answers_of(harness, ada) == [("important", "agree")]
    assert harness.api.failed_calls() == []


@pytest.mark.expects_handler_error(kind=OperationalError)
async def test_a_database_failure_makes_the_poller_fetch_the_update_again_and_records_once(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    ada, bob = harness.person("Ada"), harness.person("Bob")
    await at_the_first_question(harness, ada)
    await at_the_first_question(harness, bob)
    async with harness.service.sessions() as session:
        ada_id = await session.scalar(
            select(Respondent.id).where(Respondent.pseudonym == pseudonym(SECRET, ada.id))
        )
    record_many_answers = bot.service.record_many_answers
    failures: list[int] = []

    async def database_down_for_ada_s_first_two_tries(
        session: Any, batch: Sequence[AnswersOf]
    ) -> int:
        # Twice: group commit retries a unit of a failed batch once on its own straight away.
        if any(each.respondent_id == ada_id for each in batch) and len(failures) < 2:
            failures.append(ada_id)
            raise OperationalError("INSERT INTO answers", {}, ConnectionError("server closed"))
        return await record_many_answers(session, batch)

    monkeypatch.setattr(bot.service, "record_many_answers", database_down_for_ada_s_first_two_tries)
    updates = [
        harness.api.updates.message(ada, "Agree"),
        harness.api.updates.message(bob, "Disagree"),
        harness.api.updates.message(ada, "Not sure"),
        harness.api.updates.message(bob, "Agree"),
    ]

    async with polling(harness):
        for update in updates:
            harness.api.push(update)
        await harness.api.wait_until(
            lambda: count_shown(harness, ada, Q3) and not harness.api.pending_updates(),
            timeout=10,
        )

    assert failures == [ada_id, ada_id]
    assert await answers_of(harness, ada) == [("important", "agree"), ("included_now", "not_sure")]
    assert await answers_of(harness, bob) == [("important", "disagree"), ("included_now", "agree")]
    for person in (ada, bob):
        assert (count_shown(harness, person, Q2), count_shown(harness, person, Q3)) == (1, 1)
    fetched = [call.params.get("offset") for call in harness.api.calls_of("getUpdates")]
    assert updates[0]["update_id"] in fetched  # asked for again from the failed one
    assert harness.api.failed_calls() == []


async def test_stopping_mid_update_finishes_it_and_confirms_it_so_a_restart_skips_it(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    ada, update, gate = await ada_s_answer_gated(harness, monkeypatch)
    poller = harness.poller(timeout=1)
    stop = asyncio.Event()
    harness.api.push(update)

    running = asyncio.create_task(poller.run(stop))
    async with asyncio.timeout(5):
        await gate.reached.wait()
        stop.set()
        gate.released.set()
        await running

    assert harness.api.pending_updates() == []
    assert await answers_of(harness, ada) == [("important", "agree")]
    assert count_shown(harness, ada, Q2) == 1


async def test_a_restarted_poller_stores_an_unconfirmed_update_once_and_reshows_the_question(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    update = harness.api.updates.message(ada, "Agree")
    await harness.deliver(update)  # handled, then the process died before confirming it
    harness.api.push(update)
    follow_up = harness.api.push(harness.api.updates.message(ada, "Not sure"))

    async with polling(harness):
        await harness.api.wait_until(
            lambda: count_shown(harness, ada, Q3) and not harness.api.pending_updates(),
            timeout=5,
        )

    assert follow_up["update_id"] > update["update_id"]
    assert count_shown(harness, ada, Q2) == 2  # once first, once more for the redelivery
    assert await answers_of(harness, ada) == [("important", "agree"), ("included_now", "not_sure")]


HANDLED_KINDS = ["message", "edited_message", "callback_query", "my_chat_member"]
"""What bot/handlers.py and the staff commands act on, in Telegram's order."""


def reaction(user: FakeUser, message_id: int) -> dict[str, Any]:
    """Telegram's update when `user` puts a thumbs-up on one of the bot's messages."""
    return {
        "message_reaction": {
            "chat": user.chat(),
            "message_id": message_id,
            "user": user.to_dict(),
            "date": 1_662_000_000,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        }
    }


def joined_group(user: FakeUser, group: FakeGroup) -> dict[str, Any]:
    """Telegram's chat_member update when `user` joins a group the bot is in."""
    return {
        "chat_member": {
            "chat": group.chat(),
            "from": user.to_dict(),
            "date": 1_662_000_000,
            "old_chat_member": {"user": user.to_dict(), "status": "left"},
            "new_chat_member": {"user": user.to_dict(), "status": "member"},
        }
    }


async def test_the_poller_asks_only_for_the_update_kinds_the_handlers_act_on(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    (shown,) = harness.api.calls_of("sendMessage", chat_id=ada.id)[-1:]
    harness.api.push(reaction(ada, shown.result["message_id"]))
    harness.api.push(joined_group(ada, FakeGroup(id=-1001234567890, title="Parents")))
    harness.api.push(harness.api.updates.message(ada, "Agree"))

    async with polling(harness):
        await harness.api.wait_until(
            lambda: count_shown(harness, ada, Q2) and not harness.api.pending_updates(),
            timeout=5,
        )

    fetches = harness.api.calls_of("getUpdates", ok=True)
    assert {tuple(call.params["allowed_updates"]) for call in fetches} == {tuple(HANDLED_KINDS)}
    fetched = {kind for call in fetches for update in call.result for kind in update}
    assert fetched == {"update_id", "message"}, "no reaction or group member was fetched"
    assert await answers_of(harness, ada) == [("important", "agree")]
