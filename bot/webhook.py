"""The webhook server: Telegram posts updates here (behind HTTPS) and gets 200 after commit.

Answering only once the update is handled is what makes the webhook durable: if the bot dies
first, Telegram has no 200 and delivers the update again, and a redelivery of an update that was
committed is recognised and skipped. A wrong or missing secret-token header gets 403.
"""

import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.processing import UpdateRunner

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram"


def webhook_app(
    application: Application, runner: UpdateRunner, secret_token: str
) -> web.Application:
    """The aiohttp application: POST /telegram for updates, GET /healthz for monitoring."""

    async def receive(request: web.Request) -> web.Response:
        """One update from Telegram."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret_token.encode()):
            return web.Response(status=403, text="wrong secret token")
        try:
            data = await request.json()
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise TypeError("an update is a JSON object with an integer update_id")
            update = Update.de_json(data, application.bot)
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as error:
            # 400, not 500: Telegram would deliver a broken update again, forever.
            log.warning("ignored a malformed update: %s", error)
            return web.Response(status=400, text="not an update")
        handled = await runner.run(update)
        return web.Response(status=200 if handled else 500)

    async def health(request: web.Request) -> web.Response:
        """Up and serving."""
        return web.json_response({"status": "ok", "bot": application.bot.username})

    server = web.Application(client_max_size=1024 * 1024)
    server.router.add_post(WEBHOOK_PATH, receive)
    server.router.add_get("/healthz", health)
    return server
