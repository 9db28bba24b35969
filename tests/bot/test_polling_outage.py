"""Telegram misbehaving while the bot polls: getUpdates answering 5xx, a gateway's HTML page, no
answer at all, 429 flood control or 409 Conflict. The poller never crashes, waits as long as it
should (and no less), logs each incident once when it starts and once when it ends, delivers what
was waiting once Telegram answers, and stops at once when asked, even in the middle of a wait.

Time is a ManualTime: the poller's waits last until the test moves the clock, so what is checked
is how long it asked to wait, never how fast this machine is.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Bot
from telegram.error import InvalidToken

from tests.bot.harness import BotHarness
from tests.bot.manual_time import BOUND, ManualTime, wait_for
from tests.bot.steps import count_shown
from tests.telegram_fakes import OfflineBotApi
from tests.telegram_fakes.errors import POLL_CONFLICT, WEBHOOK_CONFLICT

WELCOME = "Hello! This is Medway Council"
OUTAGE = 8
"""getUpdates calls that fail in a row: enough for the pause to reach its one-minute cap."""


@asynccontextmanager
async def polling(harness: BotHarness, time: ManualTime) -> AsyncIterator[asyncio.Task[None]]:
    """The poller running on `time`; stopped on leaving, and any crash of it re-raised."""
    poller = harness.poller(timeout=1, sleep=time.sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        yield task
    finally:
        stop.set()
        async with asyncio.timeout(BOUND):
            await task


def polling_log(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "bot.polling"]


def handled(harness: BotHarness, update: Mapping[str, Any]) -> bool:
    """The update was answered and Telegram was told so (it is no longer queued)."""
    chat = update["message"]["chat"]["id"]
    pending = [queued["update_id"] for queued in harness.api.pending_updates()]
    return bool(harness.api.sent_to(chat)) and update["update_id"] not in pending


@pytest.mark.parametrize(
    ("status", "description", "answer"),
    [
        (502, "Bad Gateway", "json"),
        (500, "Internal Server Error", "json"),
        (502, "Bad Gateway", "page"),
        (504, "Gateway Time-out", "page"),
        (0, "connection reset by peer", "drop"),
    ],
    ids=["502", "500", "502 page", "504 page", "no answer"],
)
async def test_an_outage_is_ridden_out_with_a_doubling_pause_and_logged_once_at_each_end(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, status: int, description: str, answer
):
    caplog.set_level(logging.INFO, logger="bot.polling")
    ada = harness.person("Ada")
    harness.api.fail_next(status, description, method="getUpdates", times=OUTAGE, answer=answer)
    start = harness.api.push(harness.api.updates.command(ada, "start"))
    time = ManualTime()

    async with polling(harness, time):
        await time.run_until(lambda: handled(harness, start))

    failed = [call for call in harness.api.calls_of("getUpdates") if not call.ok]
    assert [call.status for call in failed] == [status] * OUTAGE
    assert time.naps == [1, 2, 4, 8, 16, 32, 60, 60]
    (first_level, first), last = polling_log(caplog)
    assert first_level == logging.WARNING
    assert first.startswith("cannot fetch updates from Telegram (")
    assert first.endswith("trying again, waiting up to 60 s between tries, until it answers")
    assert last == (logging.WARNING, f"Telegram answered again after {OUTAGE} failed tries")
    assert count_shown(harness, ada, WELCOME) == 1  # her /start, answered once


async def test_flood_control_is_waited_out_in_full_before_polling_carries_on(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="bot.polling")
    ada = harness.person("Ada")
    harness.api.rate_limit(7, method="getUpdates")
    start = harness.api.push(harness.api.updates.command(ada, "start"))
    time = ManualTime()

    async with polling(harness, time):
        await wait_for(lambda: time.sleeping)
        time.advance(6.99)
        assert time.sleeping, "the poller stopped waiting before retry_after was over"
        assert len(harness.api.calls_of("getUpdates")) == 1
        time.advance(0.01)
        await wait_for(lambda: handled(harness, start))

    assert time.naps == [7]
    assert [call.status for call in harness.api.calls_of("getUpdates")][:2] == [429, 200]
    assert polling_log(caplog) == [
        (
            logging.WARNING,
            "Telegram asked the bot to wait 7 s before fetching updates again (flood control); "
            "waiting, then carrying on",
        ),
        (logging.WARNING, "Telegram answered again after 1 failed try"),
    ]


async def another_copy_polls(other: Bot) -> None:
    await other.get_updates(timeout=0)


async def a_webhook_is_set(other: Bot) -> None:
    await other.set_webhook("https://elsewhere.example.org/telegram")


@pytest.mark.parametrize(
    ("conflict", "description"),
    [(another_copy_polls, POLL_CONFLICT), (a_webhook_is_set, WEBHOOK_CONFLICT)],
    ids=["another copy polls", "a webhook is set"],
)
async def test_a_conflict_is_logged_as_an_error_naming_the_fix_and_polling_resumes_after_it(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, conflict, description: str
):
    caplog.set_level(logging.INFO, logger="bot.polling")
    ada = harness.person("Ada")
    time = ManualTime()
    elsewhere = OfflineBotApi(core=harness.api.core)  # another process, same token

    async with (
        Bot(harness.api.token, request=elsewhere, get_updates_request=elsewhere) as other,
        polling(harness, time) as poller,
    ):
        await wait_for(lambda: harness.api.polling)  # the bot's long poll is waiting
        await conflict(other)
        await wait_for(lambda: time.sleeping)
        time.advance(1)  # tried again: in conflict again while a webhook is set
        await wait_for(lambda: time.sleeping or harness.api.polling)
        await other.delete_webhook()  # the operator's fix (the other copy has stopped already)
        start = harness.api.push(harness.api.updates.command(ada, "start"))
        await time.run_until(lambda: handled(harness, start))
        assert not poller.done()

    conflicts = [call for call in harness.api.calls_of("getUpdates") if call.status == 409]
    assert {call.description for call in conflicts} == {description}
    (level, logged), *_, last = polling_log(caplog)
    assert level == logging.ERROR
    assert description in logged
    assert "Another copy is polling with the same token, or a webhook is set for it" in logged
    assert "stop the other copy, or run every copy with [webhook] url" in logged
    assert last[1].startswith("Telegram answered again after ")
    assert len(polling_log(caplog)) == 2  # one incident, however many tries


async def test_a_stop_during_a_pause_returns_at_once_and_confirms_what_was_handled(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    start = harness.api.push(harness.api.updates.command(ada, "start"))

    outage: list[str] = []

    async def telegram_goes_down_before_the_confirmation(
        method: str, fields: Mapping[str, Any]
    ) -> None:
        confirming = method == "getUpdates" and int(fields["offset"]) > start["update_id"]
        if confirming and not outage:
            outage.append("down")
            harness.api.fail_next(502, "Bad Gateway", method="getUpdates", times=None)

    harness.api.intercept(telegram_goes_down_before_the_confirmation)
    time = ManualTime()
    poller = harness.poller(timeout=1, sleep=time.sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    await wait_for(lambda: time.sleeping)  # in the first pause of the outage, which never ends
    assert harness.api.pending_updates() == [start]  # handled, not yet confirmed
    harness.api.core.clear_failures()  # Telegram answers again, but the pause goes on

    stop.set()
    async with asyncio.timeout(BOUND):
        await task

    assert time.naps == [1]
    assert harness.api.pending_updates() == []  # her /start confirmed on the way out
    assert count_shown(harness, ada, WELCOME) == 1


async def test_a_revoked_token_stops_the_poller_after_the_updates_in_hand(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
):
    ada = harness.person("Ada")
    start = harness.api.push(harness.api.updates.command(ada, "start"))
    time = ManualTime()

    async def revoked_once_her_start_is_fetched(method: str, fields: Mapping[str, Any]) -> None:
        if method == "getUpdates" and int(fields["offset"]) > start["update_id"]:
            harness.api.core.token = "123:a-new-token-from-botfather"

    harness.api.intercept(revoked_once_her_start_is_fetched)
    poller = harness.poller(timeout=1, sleep=time.sleep)

    with pytest.raises(InvalidToken):
        async with asyncio.timeout(BOUND):
            await poller.run(asyncio.Event())

    assert count_shown(harness, ada, WELCOME) == 1  # what was in hand was finished
    assert time.naps == []  # no try again: no wait can mend a revoked token
    statuses = [call.status for call in harness.api.calls_of("getUpdates")]
    assert (statuses[-1], statuses.count(401)) == (401, 1)  # asked once, then stopped
    assert ("bot.polling", logging.ERROR) in [(r.name, r.levelno) for r in caplog.records]
