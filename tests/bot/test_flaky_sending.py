"""Sending through a flaky Telegram: failures on Telegram's side are retried per chat, flood
control holds only the chat it is about, and each incident is one log line, not a traceback.

Faults are injected into the strict fake Bot API. Nothing is timed: the pauses between retries
are made instant, and who waits for whom is read from what each person got meanwhile.
"""

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import pytest
from telegram.error import NetworkError, TimedOut

from tests.bot.harness import BotHarness
from tests.bot.steps import answers_of, at_the_first_question, count_shown

Q2 = "Being included and taking part. Question 2 of 3"
BOUND = 10.0


@pytest.mark.usefixtures("instant_retries")
async def test_a_reply_failing_on_telegram_s_side_is_retried_and_arrives_with_one_log_line(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    harness.api.fail_next(502, "Bad Gateway", method="sendMessage", chat_id=ada.id, times=2)
    harness.api.fail_next(500, "Internal Server Error", method="sendMessage", chat_id=ada.id)
    caplog.set_level(logging.INFO)

    assert await harness.deliver(harness.api.tap(ada, "Agree"))

    sends = harness.api.calls_of("sendMessage", chat_id=ada.id)
    assert [call.status for call in sends[-4:]] == [502, 502, 500, 200]
    assert count_shown(harness, ada, Q2) == 1
    assert await answers_of(harness, ada) == [("important", "agree")]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == ["sendMessage failed (Bad Gateway); trying again"]
    assert all(record.exc_info is None for record in caplog.records)
    assert str(ada.id) not in caplog.text


@pytest.mark.usefixtures("instant_retries")
async def test_a_send_that_times_out_is_tried_again(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    timeouts: list[str] = []

    async def first_send_times_out(method: str, fields: Mapping[str, Any]) -> None:
        if method == "sendMessage" and not timeouts:
            timeouts.append(method)
            raise TimedOut("Timed out")

    harness.api.intercept(first_send_times_out)

    assert await harness.deliver(harness.api.tap(ada, "Agree"))

    assert timeouts == ["sendMessage"]
    assert count_shown(harness, ada, Q2) == 1


@pytest.mark.expects_handler_error(kind=NetworkError)
@pytest.mark.usefixtures("instant_retries")
async def test_telegram_down_for_good_fails_the_update_after_a_bounded_number_of_tries(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    harness.api.fail_next(502, "Bad Gateway", method="sendMessage", chat_id=ada.id, times=None)

    assert not await harness.deliver(harness.api.tap(ada, "Agree"))  # so it comes again

    sends = harness.api.calls_of("sendMessage", chat_id=ada.id, ok=False)
    assert len(sends) == 1 + harness.application.bot.rate_limiter.retries  # type: ignore[union-attr]
    assert await answers_of(harness, ada) == [("important", "agree")]  # committed before


async def test_flood_control_for_one_chat_holds_that_chat_only(harness: BotHarness):
    ada, bob = harness.person("Ada"), harness.person("Bob")
    await at_the_first_question(harness, ada)
    await at_the_first_question(harness, bob)
    harness.api.rate_limit(30, method="sendMessage", chat_id=ada.id)

    ada_s = asyncio.create_task(harness.deliver(harness.api.tap(ada, "Agree")))
    await harness.api.wait_until(
        lambda: harness.api.calls_of("sendMessage", chat_id=ada.id, ok=False), timeout=BOUND
    )
    async with asyncio.timeout(BOUND):
        assert await harness.deliver(harness.api.tap(bob, "Disagree"))

    assert count_shown(harness, bob, Q2) == 1
    assert not ada_s.done()  # Ada's reply waits out her 30 s; Bob's went meanwhile
    assert count_shown(harness, ada, Q2) == 0
    ada_s.cancel()
    with pytest.raises(asyncio.CancelledError):
        await ada_s


@pytest.mark.expects_handler_error(kind=NetworkError)
@pytest.mark.usefixtures("instant_retries")
async def test_an_update_failing_because_telegram_is_down_logs_no_traceback(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    harness.api.fail_next(502, "Bad Gateway", method="sendMessage", chat_id=ada.id, times=None)

    assert not await harness.deliver(harness.api.tap(ada, "Agree"))

    assert all(record.exc_info is None for record in caplog.records)
    assert "Telegram said Bad Gateway" in caplog.text
