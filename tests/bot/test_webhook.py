"""The webhook server, over real HTTP on 127.0.0.1, as Telegram would call it.

Telegram redelivers an update until it gets a 2xx answer, so the status is the contract: 200
only once the update's effects are committed, 500 when handling failed (deliver it again), 400
for something that is not an update (delivering it again cannot help) and 403 for a caller
without the secret token.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import bot.service
from bot.dead_letters import ALERT_KIND
from bot.polling import MAX_ATTEMPTS
from bot.webhook import SECRET_HEADER, WEBHOOK_PATH, webhook_app, webhook_server
from storage.answers import AnswersOf
from storage.dead_letters import dead_letters
from storage.models import ProcessedUpdate
from storage.outbox import pending_count
from tests.bot.harness import BotHarness
from tests.bot.steps import (
    a_flood_of_presses,
    answers_of,
    assert_each_press_answered_once,
    at_the_first_question,
    count_shown,
)

SECRET_TOKEN = "s3cret-token_for-the-webhook"
Q2 = "Being included and taking part. Question 2 of 3"


@pytest.fixture
async def webhook(harness: BotHarness) -> AsyncIterator[str]:
    """The webhook server listening on a free port of 127.0.0.1; its base URL."""
    server = webhook_server(
        webhook_app(
            harness.application,
            harness.runner,
            SECRET_TOKEN,
            gate=harness.gate,
            office=harness.office,
        )
    )
    await server.setup()
    await web.TCPSite(server, "127.0.0.1", 0).start()
    host, port = server.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await server.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def post(
    http: aiohttp.ClientSession,
    webhook: str,
    update: Mapping[str, Any] | None = None,
    *,
    body: bytes | None = None,
    secret: str | None = SECRET_TOKEN,
) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    data = body if body is not None else json.dumps(update).encode()
    async with http.post(webhook + WEBHOOK_PATH, data=data, headers=headers) as response:
        return response.status


async def test_an_update_is_answered_200_only_once_its_answer_is_stored_and_shown(
    harness: BotHarness, webhook: str, http: aiohttp.ClientSession
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    replying, released = asyncio.Event(), asyncio.Event()

    async def slow_to_reply(method: str, fields: Mapping[str, Any]) -> None:
        if method == "sendMessage":
            replying.set()
            await released.wait()

    harness.api.intercept(slow_to_reply)
    press = harness.api.tap(ada, "Agree")

    request = asyncio.create_task(post(http, webhook, press))
    async with asyncio.timeout(5):
        await replying.wait()
    assert await answers_of(harness) == [("important", "agree")]  # committed before replying
    assert not request.done()  # and no 200 until the reply is out
    released.set()
    async with asyncio.timeout(5):
        status = await request

    assert status == 200
    assert Q2 in harness.last(ada).text
    assert harness.api.failed_calls() == []


async def test_the_same_update_posted_twice_is_stored_once_and_reshows_the_waiting_question(
    harness: BotHarness, webhook: str, http: aiohttp.ClientSession
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    press = harness.api.tap(ada, "Agree")

    assert await post(http, webhook, press) == 200
    shown = len(harness.texts(ada))
    assert await post(http, webhook, press) == 200

    assert len(harness.texts(ada)) == shown + 1
    assert "Question 2 of 3" in harness.last(ada).text
    assert await answers_of(harness) == [("important", "agree")]
    assert harness.api.failed_calls() == []


@pytest.mark.parametrize("secret", [None, "", "wrong-token", SECRET_TOKEN + "x"])
async def test_a_wrong_or_missing_secret_token_gets_403_and_nothing_is_done(
    harness: BotHarness, webhook: str, http: aiohttp.ClientSession, secret: str | None
):
    ada = harness.person("Ada")

    status = await post(http, webhook, harness.api.updates.command(ada, "start"), secret=secret)

    assert status == 403
    assert harness.texts(ada) == []
    async with harness.service.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"this is not JSON",
        b"",
        b"null",
        b"[]",
        b"42",
        b'"an update"',
        b"{}",
    ],
)
async def test_a_body_that_is_not_an_update_gets_400(
    harness: BotHarness, webhook: str, http: aiohttp.ClientSession, body: bytes
):
    assert await post(http, webhook, body=body) == 400
    assert harness.api.calls_of("sendMessage") == []
    async with harness.service.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0


@pytest.mark.expects_handler_error(kind=OperationalError)
async def test_a_handler_failure_gets_500_and_telegram_s_redelivery_is_stored_once(
    harness: BotHarness,
    webhook: str,
    http: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    record_many_answers = bot.service.record_many_answers
    failures: list[str] = []

    async def database_down_once(session: Any, batch: Sequence[AnswersOf]) -> int:
        if batch and not failures:
            failures.append("down")
            raise OperationalError("INSERT INTO answers", {}, ConnectionError("server closed"))
        return await record_many_answers(session, batch)

    monkeypatch.setattr(bot.service, "record_many_answers", database_down_once)
    press = harness.api.tap(ada, "Agree")
    shown = len(harness.texts(ada))

    assert await post(http, webhook, press) == 500
    assert await answers_of(harness) == []
    assert len(harness.texts(ada)) == shown

    assert await post(http, webhook, press) == 200
    assert await answers_of(harness) == [("important", "agree")]
    assert count_shown(harness, ada, Q2) == 1
    assert harness.api.failed_calls() == []


async def test_other_paths_and_methods_are_not_served(
    harness: BotHarness, webhook: str, http: aiohttp.ClientSession
):
    ada = harness.person("Ada")
    start = json.dumps(harness.api.updates.command(ada, "start")).encode()
    headers = {SECRET_HEADER: SECRET_TOKEN, "Content-Type": "application/json"}

    async with http.get(webhook + WEBHOOK_PATH, headers=headers) as response:
        assert response.status == 405
    async with http.post(webhook + "/telegram/extra", data=start, headers=headers) as response:
        assert response.status == 404

    assert harness.texts(ada) == []
    async with harness.service.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0


@pytest.mark.parametrize(
    "body",
    [
        b'{"update_id": 7, "message": "hi"}',
        b'{"update_id": 7, "message": {"text": "no chat, no date"}}',
        b'{"update_id": 7, "message": [1, 2]}',
    ],
)
async def test_an_update_the_library_cannot_read_is_set_aside_and_gets_200(
    harness: BotHarness, webhook: str, http: aiohttp.ClientSession, body: bytes
):
    assert await post(http, webhook, body=body) == 200  # so Telegram stops sending it
    assert harness.api.calls_of("sendMessage") == []  # staff are told through the outbox
    async with harness.service.sessions() as session:
        assert await pending_count(session, kind=ALERT_KIND) == 1  # owed, even after a crash
        total, letters = await dead_letters(session, scope=harness.consultation.id)
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 0
    assert total == 1
    assert (letters[0][1].update_id, letters[0][1].kind) == (7, "message")


@pytest.mark.expects_handler_error(kind=OperationalError)
async def test_an_update_failing_every_time_is_set_aside_after_a_few_500s(
    harness: BotHarness,
    webhook: str,
    http: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)

    async def database_down(session: Any, batch: Sequence[AnswersOf]) -> int:
        if batch:
            raise OperationalError("INSERT INTO answers", {}, ConnectionError("server closed"))
        return 0

    monkeypatch.setattr(bot.service, "record_many_answers", database_down)
    press = harness.api.tap(ada, "Agree")

    statuses = [await post(http, webhook, press) for _ in range(MAX_ATTEMPTS)]

    assert statuses == [500] * (MAX_ATTEMPTS - 1) + [200]
    async with harness.service.sessions() as session:
        total, letters = await dead_letters(session, scope=harness.consultation.id)
    assert total == 1
    assert letters[0][1].error == "ConnectionError: server closed"
    assert letters[0][1].kind == "callback_query"


async def test_presses_cut_short_by_the_flood_gate_are_answered_so_buttons_stop_spinning(
    harness: BotHarness, webhook: str, http: aiohttp.ClientSession
):
    presser = harness.person("Pia")
    await at_the_first_question(harness, presser)
    presses = a_flood_of_presses(harness, presser)

    statuses = [await post(http, webhook, press) for press in presses]

    assert statuses == [200] * len(presses)
    assert_each_press_answered_once(harness, presses)
    assert harness.texts(presser).count(harness.consultation.say("slow_down")) == 1
    assert await answers_of(harness, presser) == [("important", "agree")]
