"""Scripted failures reach python-telegram-bot as Telegram's do, over either transport: the Bot
API's JSON error, the front proxy's HTML page (502 while the Bot API server is down), or a
connection dropped before any answer."""

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter
from telegram.request import HTTPXRequest

from tests.telegram_fakes import FakeBotApiServer, OfflineBotApi
from tests.telegram_fakes.core import BotApiFacade


@pytest.fixture(params=["offline", "server"])
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[tuple[BotApiFacade, Bot]]:
    """The fake Telegram and a real Bot talking to it: in memory, or over real HTTP (httpx)."""
    if request.param == "offline":
        api = OfflineBotApi()
        async with Bot(api.token, request=api, get_updates_request=api) as bot:
            yield api, bot
        return
    async with FakeBotApiServer() as server:
        polling = HTTPXRequest()
        async with Bot(server.token, base_url=server.base_url, get_updates_request=polling) as bot:
            yield server, bot


async def test_a_gateway_page_is_a_network_error_naming_the_status(fake):
    api, bot = fake
    api.fail_next(502, "Bad Gateway", method="getUpdates", answer="page")

    with pytest.raises(NetworkError) as raised:
        await bot.get_updates(timeout=0)

    assert "Bad Gateway (502)" in str(raised.value)
    assert "<title>502 Bad Gateway</title>" in str(raised.value)  # the page, not JSON
    assert [(c.status, c.description) for c in api.calls_of("getUpdates")] == [(502, "Bad Gateway")]
    assert await bot.get_updates(timeout=0) == ()  # only the next call was failed


async def test_a_dropped_connection_is_a_network_error_and_is_recorded_with_status_0(fake):
    api, bot = fake
    api.fail_next(0, "connection reset", method="getUpdates", answer="drop")

    with pytest.raises(NetworkError) as raised:
        await bot.get_updates(timeout=0)

    assert type(raised.value) is NetworkError  # not a TimedOut, not an answer
    assert [call.status for call in api.calls_of("getUpdates")] == [0]
    assert await bot.get_updates(timeout=0) == ()


async def test_a_flood_control_answer_carries_retry_after_in_its_parameters(fake):
    api, bot = fake
    api.rate_limit(7, method="getUpdates")

    with pytest.raises(RetryAfter) as raised:
        await bot.get_updates(timeout=0)

    assert raised.value.retry_after.total_seconds() == 7
    assert api.calls_of("getUpdates")[0].description == "Too Many Requests: retry after 7"
