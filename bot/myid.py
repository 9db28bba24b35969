"""/myid: anyone can learn their own Telegram user id, so staff can be added to the config.

This is the one place the bot ever shows a Telegram id, and only to its owner, in a private
chat. The id is read from the message and sent straight back: it is not stored, logged or
audited, and nothing about the person is written anywhere.
"""

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from conversations.model import Consultation

COMMAND = "myid"


class MyIdHandler:
    """Answers /myid with the sender's own user id."""

    def __init__(self, consultation: Consultation) -> None:
        self.say = consultation.say

    def register(self, application: Application) -> None:
        """Wire /myid ahead of the respondent handlers; in a group the id would be public."""
        application.add_handler(
            CommandHandler(COMMAND, self.my_id, filters=filters.ChatType.PRIVATE)
        )

    async def my_id(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Tell the person their own Telegram user id."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        await context.bot.send_message(chat.id, self.say("my_id", user_id=user.id))
