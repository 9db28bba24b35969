"""The webhook server: Telegram posts updates here (behind HTTPS) and gets 200 after commit.

Answering only once the update is handled is what makes the webhook durable: if the bot dies
first, Telegram has no 200 and delivers the update again, and a redelivery of an update that was
committed is recognised and skipped. A wrong or missing secret-token header gets 403.

Each request is handled on its own, so one person's slow update holds up nobody else's (the
update runner keeps each person's in order). An update python-telegram-bot cannot read, or one
whose handling failed `MAX_ATTEMPTS` times, is set aside as a dead letter and answered 200, so
Telegram stops sending it. A flood from one person is cut short by the flood gate.

The server writes no access-log line per request: at Telegram's rates that is a log line per
update (about 7% of the server's CPU at saturation, bench/README.md "Webhook") saying only
"POST /telegram 200", which the metrics already count.
"""

import hmac
import json
import logging
from collections import Counter

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.dead_letters import DeadLetterOffice
from bot.flood import FloodGate, Verdict
from bot.polling import MAX_ATTEMPTS
from bot.processing import UpdateRunner

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram"


def webhook_app(
    application: Application,
    runner: UpdateRunner,
    secret_token: str,
    *,
    gate: FloodGate,
    office: DeadLetterOffice,
) -> web.Application:
    """The aiohttp application: POST /telegram for updates (bot/health.py adds the rest)."""
    failed: Counter[int] = Counter()

    async def receive(request: web.Request) -> web.Response:
        """One update from Telegram."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret_token.encode()):
            return web.Response(status=403, text="wrong secret token")
        try:
            data = await request.json()
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise TypeError("an update is a JSON object with an integer update_id")
        except (json.JSONDecodeError, TypeError, ValueError) as error:
            # 400, not 500: Telegram would deliver a broken body again, forever.
            log.warning("ignored a body that is not an update: %s", error)
            return web.Response(status=400, text="not an update")
        try:
            update = Update.de_json(data, application.bot)
        except Exception as error:  # any shape the library cannot read
            await office.set_aside(data, error, attempts=1)
            return web.Response(status=200, text="set aside")
        verdict = gate.admit(update)
        if verdict is Verdict.WARN:
            await gate.warn(update)
        elif verdict is Verdict.DROP:
            await gate.answer_press(update)
        if verdict is not Verdict.HANDLE:
            return web.Response(status=200, text="slow down")
        error = await runner.attempt(update)
        if error is None:
            failed.pop(update.update_id, None)
            return web.Response(status=200)
        failed[update.update_id] += 1
        if failed[update.update_id] < MAX_ATTEMPTS:
            return web.Response(status=500)  # Telegram delivers it again
        del failed[update.update_id]
        await office.set_aside(update.to_dict(), error, attempts=MAX_ATTEMPTS)
        return web.Response(status=200, text="set aside")

    server = web.Application(client_max_size=1024 * 1024)
    server.router.add_post(WEBHOOK_PATH, receive)
    return server


def webhook_server(app: web.Application) -> web.AppRunner:
    """The runner that serves `app` as `consultbot run` does (no access log); set it up, then
    start a web.TCPSite on it."""
    return web.AppRunner(app, access_log=None)
