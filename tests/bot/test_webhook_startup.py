"""`consultbot run` with `[webhook] url`: serve_webhook registers the webhook with Telegram and
serves it over real HTTP on 127.0.0.1, answering only callers that know the secret, and refusing
a body too big to be an update with 413 before reading it."""

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.health import Health
from bot.metrics import Metrics
from bot.run import serve_webhook
from bot.webhook import SECRET_HEADER, WEBHOOK_PATH
from storage.models import ProcessedUpdate
from tests.bot.harness import Bot, BotHarness
from tests.bot.manual_time import BOUND, wait_for

SECRET = "the-webhook-secret_0123"
HANDLED_TYPES = ["message", "edited_message", "callback_query", "my_chat_member"]
"""The update types the bot's handlers act on (bot/handlers.py): Telegram must send them all,
and nothing else (no reactions, no group members coming and going)."""
BODY_LIMIT = 1024 * 1024


@dataclass
class Served:
    harness: BotHarness
    url: str  # where the webhook listens, http://127.0.0.1:PORT
    http: aiohttp.ClientSession

    async def post(self, body: bytes, secret: str | None = SECRET) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        async with self.http.post(self.url + WEBHOOK_PATH, data=body, headers=headers) as answer:
            return answer.status

    async def claims(self) -> int:
        async with self.harness.service.sessions() as session:
            return await session.scalar(select(func.count()).select_from(ProcessedUpdate))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def serving(
    bot_with: Bot, caplog: pytest.LogCaptureFixture, **settings
) -> AsyncIterator[Served]:
    """serve_webhook running as `consultbot run` runs it; stopped (and awaited) at the end."""
    caplog.set_level(logging.INFO, logger="bot.run")
    port = free_port()
    harness = await bot_with(
        webhook_url="https://consult.example.org/", webhook_port=port, **settings
    )
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve_webhook(
            harness.settings,
            harness.application,
            harness.runner,
            stop,
            gate=harness.gate,
            office=harness.office,
            health=Health(Metrics()),
        )
    )
    await wait_for(lambda: "webhook listening on" in caplog.text or task.done())
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=BOUND)) as http:
            yield Served(harness, f"http://127.0.0.1:{port}", http)
    finally:
        stop.set()
        async with asyncio.timeout(BOUND):
            await task


@pytest.fixture
async def served(bot_with: Bot, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Served]:
    async with serving(bot_with, caplog, webhook_secret=SECRET) as running:
        yield running


async def test_the_webhook_is_registered_at_url_telegram_with_the_secret_and_the_update_types(
    served: Served,
):
    api = served.harness.api
    (registered,) = api.calls_of("setWebhook", ok=True)

    assert registered.params["url"] == "https://consult.example.org/telegram"
    assert registered.params["secret_token"] == SECRET
    assert registered.params["allowed_updates"] == HANDLED_TYPES

    ada = served.harness.person("Ada")
    assert await served.post(json.dumps(api.updates.command(ada, "start")).encode()) == 200
    assert served.harness.texts(ada), "the server it started answers with that secret"


@pytest.mark.parametrize("secret", [None, "wrong-secret", SECRET + "x"])
async def test_a_caller_without_the_registered_secret_is_refused(
    served: Served, secret: str | None
):
    ada = served.harness.person("Ada")

    status = await served.post(
        json.dumps(served.harness.api.updates.command(ada, "start")).encode(), secret
    )

    assert status == 403
    assert served.harness.texts(ada) == []
    assert await served.claims() == 0


async def test_without_a_configured_secret_a_random_one_is_registered_and_required(
    bot_with: Bot, caplog: pytest.LogCaptureFixture
):
    async with serving(bot_with, caplog) as served:
        (registered,) = served.harness.api.calls_of("setWebhook", ok=True)
        secret = registered.params["secret_token"]
        ada = served.harness.person("Ada")
        start = json.dumps(served.harness.api.updates.command(ada, "start")).encode()

        assert len(secret) >= 32
        assert await served.post(start, secret=None) == 403
        assert await served.post(start, secret=secret) == 200


async def test_a_body_over_the_limit_gets_413_and_the_server_carries_on(served: Served):
    ada = served.harness.person("Ada")
    start = served.harness.api.updates.command(ada, "start")
    padded = json.dumps({**start, "padding": "x" * BODY_LIMIT}).encode()

    assert await served.post(padded) == 413
    assert served.harness.texts(ada) == []
    assert await served.claims() == 0
    assert await served.post(json.dumps(start).encode()) == 200  # a normal update still goes


async def test_updates_served_write_no_access_log_line_each(
    served: Served, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    api, ada = served.harness.api, served.harness.person("Ada")

    for update in (api.updates.command(ada, "start"), api.updates.message(ada, "hello")):
        assert await served.post(json.dumps(update).encode()) == 200

    assert served.harness.texts(ada), "the updates were handled"
    assert [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"] == []
