"""The floor: python-telegram-bot's echo bot, no storage. What the framework costs per update.

It sends what this bot sends on the wire for a question (a six-button keyboard: a five-point
scale and Skip) through the same rate limiter (`bot.sending.ResilientSender`, uncapped like this
bot's rows), so the floor carries the same per-call costs and only the bot's own work is left.
"""

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bench.contenders import Contender
from bench.contenders.consultbot import UNCAPPED
from bench.contenders.stock import SCALE, keyboard
from bench.fakeapi import TOKEN
from bot.sending import ResilientSender

QUESTION_KEYBOARD = keyboard("q:parks/important", SCALE)


class EchoBot(Contender):
    """Replies to each message with its text, and to each button press with its data."""

    name = "echo bot (floor, no storage)"
    note = (
        "stores nothing; one sendMessage with a six-button keyboard per update (plus "
        "answerCallbackQuery for a press), through this bot's rate limiter (uncapped)"
    )

    async def start(self) -> None:
        """An Application with two handlers, as in python-telegram-bot's echobot example."""
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .request(self.api)
            .get_updates_request(self.api)
            .updater(None)
            .rate_limiter(ResilientSender(UNCAPPED))
            .build()
        )
        application.add_handler(MessageHandler(filters.ALL, echo))
        application.add_handler(CallbackQueryHandler(pressed))
        await self._start_application(application)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say back what was typed (for a sticker, say so)."""
    assert update.effective_chat and update.effective_message
    text = update.effective_message.text or "a sticker"
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=QUESTION_KEYBOARD)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop the button's spinner and say which button it was."""
    query = update.callback_query
    assert query is not None and update.effective_chat
    await query.answer()
    await context.bot.send_message(
        update.effective_chat.id, query.data or "", reply_markup=QUESTION_KEYBOARD
    )
