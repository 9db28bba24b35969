"""FakeBotApiServer serves the Bot API over real HTTP with Telegram's long-polling rules."""

import asyncio
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.request import urlopen

import aiohttp
import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, Conflict, NetworkError
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.telegram_fakes import FakeBotApiServer

ROOT = Path(__file__).parents[2]


@pytest.fixture
async def server():
    async with FakeBotApiServer() as server:
        yield server


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http, server, method: str, **kwargs) -> tuple[int, dict]:
    async with http.post(f"{server.base_url}{server.token}/{method}", **kwargs) as response:
        return response.status, await response.json()


def queue(server, count: int) -> list[int]:
    ada = server.updates.user("Ada")
    return [server.push(server.updates.message(ada, f"m{i}"))["update_id"] for i in range(count)]


async def test_base_url_is_what_python_telegram_bot_expects(server):
    assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
    assert server.base_file_url == f"http://127.0.0.1:{server.port}/file/bot"


async def test_a_real_bot_pointed_at_the_server_sends_and_gets_a_message_back(server):
    ada = server.updates.user("Ada")
    server.add_chat(ada)
    async with Bot(server.token, base_url=server.base_url) as bot:
        assert bot.username == "consultation_test_bot"
        sent = await bot.send_message(ada.id, "<i>Welcome</i>", parse_mode="HTML")
    assert (sent.text, sent.entities[0].type) == ("Welcome", "italic")
    assert server.sent_to(ada.id)[0].text == "Welcome"


async def test_a_scripted_time_out_hangs_up_without_an_answer(server):
    ada = server.updates.user("Ada")
    server.add_chat(ada)
    server.time_out(method="sendMessage", chat_id=ada.id)
    async with Bot(server.token, base_url=server.base_url) as bot:
        with pytest.raises(NetworkError):
            await bot.send_message(ada.id, "lost")
        await bot.send_message(ada.id, "the next one arrives")
    assert [shown.text for shown in server.sent_to(ada.id)] == ["the next one arrives"]


async def test_a_real_bot_sees_validation_errors_as_bad_request(server):
    ada = server.updates.user("Ada")
    server.add_chat(ada)
    async with Bot(server.token, base_url=server.base_url) as bot:
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(ada.id, "x" * 4097)


async def test_send_document_over_http_records_the_multipart_upload(server):
    ada = server.updates.user("Ada")
    server.add_chat(ada)
    async with Bot(server.token, base_url=server.base_url) as bot:
        sent = await bot.send_document(ada.id, io.BytesIO(b"%PDF-1.4 report"), filename="r.pdf")
    assert sent.document.file_name == "r.pdf"
    upload = server.calls_of("sendDocument")[0].files["document"]
    assert (upload.filename, upload.content) == ("r.pdf", b"%PDF-1.4 report")


async def test_form_json_and_query_string_bodies_are_all_understood(server, http):
    ada = server.updates.user("Ada")
    server.add_chat(ada)
    form = {"chat_id": str(ada.id), "text": "form"}
    assert (await call(http, server, "sendMessage", data=form))[0] == 200
    status, body = await call(http, server, "sendMessage", json={"chat_id": ada.id, "text": "json"})
    assert status == 200 and body["result"]["text"] == "json"
    url = f"{server.base_url}{server.token}/sendMessage"
    async with http.get(url, params={"chat_id": ada.id, "text": "query"}) as response:
        assert response.status == 200
    assert server.texts(ada.id) == ["form", "json", "query"]


async def test_errors_come_back_in_telegrams_shape(server, http):
    status, body = await call(http, server, "sendMessage", json={"text": "hi"})
    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"},
    )
    status, body = await call(http, server, "getMeNow")
    assert (status, body["description"]) == (404, "Not Found")
    async with http.post(f"{server.base_url}999:WRONG/getMe") as response:
        assert (response.status, (await response.json())["description"]) == (401, "Unauthorized")


async def test_get_updates_drops_updates_below_the_offset_for_good(server, http):
    ids = queue(server, 3)
    _, body = await call(http, server, "getUpdates", data={})
    assert [u["update_id"] for u in body["result"]] == ids
    _, body = await call(http, server, "getUpdates", data={"offset": str(ids[1])})
    assert [u["update_id"] for u in body["result"]] == ids[1:]
    _, body = await call(http, server, "getUpdates", data={})
    assert [u["update_id"] for u in body["result"]] == ids[1:]


async def test_get_updates_honours_limit_and_a_negative_offset(server, http):
    ids = queue(server, 4)
    _, body = await call(http, server, "getUpdates", data={"limit": "2"})
    assert [u["update_id"] for u in body["result"]] == ids[:2]
    _, body = await call(http, server, "getUpdates", data={"offset": "-1"})
    assert [u["update_id"] for u in body["result"]] == ids[3:]
    assert [u["update_id"] for u in server.pending_updates()] == ids[3:]


async def test_get_updates_waits_up_to_timeout_when_nothing_is_queued(server, http):
    poll = asyncio.create_task(call(http, server, "getUpdates", data={"timeout": "1"}))
    await server.wait_until(lambda: server.polling)
    assert not poll.done()  # held open, not answered at once
    _, body = await poll  # and answered, empty, when its timeout runs out
    assert body == {"ok": True, "result": []}
    assert not server.polling


async def test_get_updates_returns_early_when_an_update_is_pushed(server, http):
    ada = server.updates.user("Ada")
    poll = asyncio.create_task(call(http, server, "getUpdates", data={"timeout": "5"}))
    await server.wait_until(lambda: server.polling)
    server.push(server.updates.message(ada, "hello"))
    _, body = await poll
    # a poll that ran out its timeout would answer [] (it does not look again): this one woke
    assert [u["message"]["text"] for u in body["result"]] == ["hello"]


async def test_a_second_long_poll_terminates_the_first_with_a_conflict(server):
    async with (
        Bot(server.token, base_url=server.base_url) as first,
        Bot(server.token, base_url=server.base_url) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=2))
        await server.wait_until(lambda: server.polling)
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await waiting


async def test_stopping_the_server_answers_a_waiting_long_poll(http):
    server = await FakeBotApiServer().start()
    poll = asyncio.create_task(call(http, server, "getUpdates", data={"timeout": "60"}))
    await server.wait_until(lambda: server.polling)
    await server.stop()  # gives in-flight requests 1 s, then cuts them off
    status, body = await poll  # answered, not cut off: its own timeout is a minute away
    assert (status, body["result"]) == (200, [])


async def test_an_application_polls_the_server_and_answers(server):
    ada = server.updates.user("Ada")

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("Welcome to the consultation")

    app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        server.push(server.updates.command(ada, "start"))
        await server.wait_for_calls("sendMessage", chat_id=ada.id, timeout=5)
        await app.updater.stop()
        await app.stop()
    assert server.texts(ada.id) == ["Welcome to the consultation"]
    assert server.failed_calls() == []


def test_the_server_runs_in_a_thread_for_a_bot_in_another_process():
    script = textwrap.dedent(
        """
        import asyncio, sys
        from telegram import Bot

        async def main(base_url, chat_id):
            async with Bot("123:ABC", base_url=base_url) as bot:
                updates = await bot.get_updates(timeout=5)
                await bot.send_message(chat_id, "echo: " + updates[0].message.text)

        asyncio.run(main(sys.argv[1], int(sys.argv[2])))
        """
    )
    with FakeBotApiServer().in_thread() as server:
        ada = server.updates.user("Ada")
        process = subprocess.Popen(
            [sys.executable, "-c", script, server.base_url, str(ada.id)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            server.wait_until_sync(lambda: server.polling, timeout=15)
            server.push(server.updates.message(ada, "hi from a thread"))
            server.wait_for_calls_sync("sendMessage", chat_id=ada.id, timeout=10)
            assert process.wait(timeout=10) == 0, process.stdout.read().decode()
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()
        assert server.texts(ada.id) == ["echo: hi from a thread"]


def test_a_thread_server_answers_plain_blocking_http_clients():
    server = FakeBotApiServer().start_in_thread()
    try:
        with urlopen(f"{server.base_url}{server.token}/getMe", timeout=5) as response:
            body = json.loads(response.read())
    finally:
        server.stop_thread()
    assert body["ok"] is True and body["result"]["is_bot"] is True
