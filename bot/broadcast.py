"""Sending a message to one respondent after another (reminders, closing notices), within
Telegram's limits.

The application's sender (bot/sending.py) paces every call (about 30 messages a second
overall), retries failures on Telegram's side and waits out a 429's retry_after for that
chat. Someone who blocked the bot is marked unreachable and skipped from then on; their
answers are kept. Any other failure (still failing after the retries) counts as not
delivered and the sending carries on.
"""

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.clock import Clock
from storage.respondents import update_respondent
from storage.rows import Recipient

log = logging.getLogger(__name__)


class Broadcaster:
    """Sends texts to recipients one by one, marking those who can no longer be reached."""

    def __init__(self, bot: Bot, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.bot = bot
        self.sessions = sessions
        self.clock = clock

    async def send(self, recipient: Recipient, text: str) -> bool:
        """Send one message; False (and marked unreachable if blocked) when it fails."""
        try:
            await self.bot.send_message(recipient.chat_id, text)
        except Forbidden:
            async with self.sessions() as session, session.begin():
                await update_respondent(
                    session, respondent_id=recipient.respondent_id, unreachable_at=self.clock()
                )
            return False
        except BadRequest as error:  # e.g. the chat no longer exists
            log.warning("could not message respondent %s: %s", recipient.respondent_id, error)
            return False
        except TelegramError as error:  # timed out, Telegram's server erred, still flooded
            # One failed delivery must not stop the rest of the list, nor the count of it.
            log.warning("message to respondent %s failed: %s", recipient.respondent_id, error)
            return False
        return True
