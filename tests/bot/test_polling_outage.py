"""Telegram unreachable while polling: tries again with backoff, and logs the outage once."""

import asyncio
import logging

import pytest

from tests.bot.harness import BotHarness

OUTAGE = 6
"""getUpdates calls that fail in a row: far more than one incident should log."""


@pytest.mark.parametrize("status", [502, 500])
async def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, status: int
):
    caplog.set_level(logging.INFO, logger="bot.polling")
    ada = harness.person("Ada")
    harness.api.fail_next(status, "Bad Gateway", method="getUpdates", times=OUTAGE)
    harness.api.push(harness.api.updates.command(ada, "start"))
    poller = harness.poller(timeout=1, retry_delay=0.001)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        await harness.api.wait_until(lambda: not harness.api.pending_updates(), timeout=10)
    finally:
        stop.set()
        async with asyncio.timeout(5):
            await task

    failed = [call for call in harness.api.calls if call.method == "getUpdates" and not call.ok]
    assert len(failed) == OUTAGE
    messages = [record.getMessage() for record in caplog.records if record.name == "bot.polling"]
    assert len(messages) == 2, messages
    assert messages[0].startswith("cannot fetch updates from Telegram (")
    assert messages[0].endswith("trying again, waiting up to 60 s between tries, until it answers")
    assert messages[1] == f"Telegram answered again after {OUTAGE} failed tries"
    assert harness.api.sent_to(ada.id), "Ada's /start was handled once Telegram answered"
