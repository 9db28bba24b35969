"""The floor: python-telegram-bot's echo bot, no storage. What the framework costs per update."""

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bench.contenders import Contender
from bench.fakeapi import TOKEN


class EchoBot(Contender):
    """Replies to each message with its text, and to each button press with its data."""

    name = "echo bot (floor, no storage)"
    note = "stores nothing; one sendMessage per update (plus answerCallbackQuery for a press)"

    async def start(self) -> None:
        """An Application with two handlers, as in python-telegram-bot's echobot example."""
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .request(self.api)
            .get_updates_request(self.api)
            .updater(None)
            .build()
        )
        application.add_handler(MessageHandler(filters.TEXT, echo))
        application.add_handler(CallbackQueryHandler(pressed))
        await self._start_application(application)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say back what was typed."""
    assert update.effective_chat and update.effective_message
    await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop the button's spinner and say which button it was."""
    query = update.callback_query
    assert query is not None and update.effective_chat
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, query.data or "")
