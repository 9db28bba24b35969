"""Respondents' handlers: turn a Telegram update into an engine input, handle it, show replies.

Thin on purpose: all decisions are the engine's, all storage is the service's.
"""

import logging
from collections import OrderedDict
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.replies import show
from bot.service import ConsultationService, Handled, Incoming
from bot.text import storable
from conversations.inputs import Command, CommandName, Input, Press, Start, Text, Unsupported
from conversations.outputs import Reply, Step

log = logging.getLogger(__name__)

ATTACHMENTS = (
    "sticker",
    "photo",
    "voice",
    "video_note",
    "video",
    "animation",
    "audio",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)
REMEMBERED = 10_000
"""How many answered presses (and welcomed newcomers) this process remembers."""
MENU = ("start", *(name.value for name in CommandName))
"""The commands shown in the app's menu, in this order."""


class RespondentHandlers:
    """The handlers for people answering the consultation, in private chats."""

    def __init__(self, service: ConsultationService) -> None:
        self.service = service
        self._answered: OrderedDict[Any, None] = OrderedDict()
        self._welcomed: OrderedDict[Any, None] = OrderedDict()

    def register(self, application: Application) -> None:
        """Wire every respondent handler; staff commands are registered before these."""
        private = filters.ChatType.PRIVATE
        application.add_handler(
            MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, self.edited)
        )
        application.add_handler(CommandHandler("start", self.start, filters=private))
        for name in CommandName:
            application.add_handler(CommandHandler(name.value, self.command, filters=private))
        application.add_handler(CallbackQueryHandler(self.press))
        application.add_handler(MessageHandler(private & filters.COMMAND, self.unknown_command))
        application.add_handler(MessageHandler(private & filters.TEXT, self.text))
        application.add_handler(MessageHandler(private & filters.ALL, self.other))
        application.add_handler(
            MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, self.group)
        )
        application.add_handler(
            ChatMemberHandler(self.membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Open or resume the conversation; a deep link's payload comes as the argument."""
        payload = storable(context.args[0]) if context.args else None
        await self._handle(update, Start(payload))

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help, /skip, /back, /review, /stop, /privacy [full], /myanswers, /delete,
        /noreminders, /nonews."""
        assert update.effective_message and update.effective_message.text
        name = update.effective_message.text.split()[0][1:].split("@")[0].lower()
        argument = " ".join(context.args or [])
        await self._handle(update, Command(CommandName(name), storable(argument)))

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command we don't have: show what we do have."""
        await self._handle(update, Command(CommandName.HELP))

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Typed words: an answer to a free-text question, or a button's label."""
        assert update.effective_message and update.effective_message.text is not None
        await self._handle(update, Text(storable(update.effective_message.text)))

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button tap; acknowledged once stored, so the app stops its spinner."""
        query = update.callback_query
        assert query is not None
        pressed = query.message if isinstance(query.message, Message) else None
        if pressed is None or pressed.chat.type != "private":
            await _acknowledge(query)
            return
        await self._handle(update, Press(query.data or ""), pressed=pressed, query=query)

    async def edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message: edits don't change answers, so say how to change one."""
        await self._handle(update, Unsupported("edited"))

    async def other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice notes, files, places: kindly ask for words or a tap."""
        message = update.effective_message
        kind = next((name for name in ATTACHMENTS if message and getattr(message, name)), "other")
        await self._handle(update, Unsupported(kind))

    async def group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command in a group: the bot works one-to-one only, and says so if it may."""
        assert update.effective_chat is not None
        text = self.service.consultation.say("private_only")
        try:
            await context.bot.send_message(update.effective_chat.id, text)
        except (BadRequest, Forbidden) as error:  # a read-only group: asking again won't help
            log.info("could not answer in a group: %s", error)

    async def membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The person blocked the bot (stop messaging them, keep their answers) or unblocked it.

        Only a private chat says that: in a group, whoever removed the bot is not blocking it.
        """
        change = update.my_chat_member
        if change is None or change.chat.type != ChatType.PRIVATE:
            return
        if change.new_chat_member.status == ChatMemberStatus.BANNED:
            await self.service.mark_unreachable(change.from_user.id)
        elif change.new_chat_member.status == ChatMemberStatus.MEMBER:
            await self.service.mark_reachable(change.from_user.id)

    async def _handle(
        self,
        update: Update,
        event: Input,
        pressed: Message | None = None,
        query: CallbackQuery | None = None,
    ) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        incoming = Incoming(user.id, chat.id, event, update.update_id, user.language_code)
        handled = await self.service.handle(incoming)
        if query is not None:  # a redelivered press too: its first answer may have been lost
            await self._acknowledge_once(query)
        if handled is not None and handled.step.disclosure is not None:
            self.service.outbox_waiting.set()  # committed: the alert can go to staff now
        if handled is None:
            log.info("update %s was handled before; nothing is waiting", update.update_id)
            return
        if self._welcomed_before(user.id, event, handled):
            again = self.service.consultation.say(
                "welcome_again", yes=self.service.consultation.say("consent_yes")
            )
            handled = Handled(Step(handled.step.state, (Reply(again),)))
        try:
            await show(update.get_bot(), chat.id, handled.step, pressed)
        except Forbidden:
            await self.service.mark_unreachable(user.id)

    def _welcomed_before(self, user_id: int, event: Input, handled: Handled) -> bool:
        """Whether `handled` is the welcome again for someone who has not said yes yet: the
        welcome is shown in full once (per process), then a one-line reminder, so that a flood
        of messages from a newcomer does not get the whole welcome each time."""
        welcome = (
            handled.fresh
            and isinstance(event, Text | Unsupported)
            and any(reply.buttons for reply in handled.step.replies)
        )
        if not welcome:
            return False
        if user_id in self._welcomed:
            return True
        _remember(self._welcomed, user_id)
        return False

    async def _acknowledge_once(self, query: CallbackQuery) -> None:
        """Answer a press unless this process already did: Telegram takes one answer per press,
        and a press redelivered after a restart (whose answer may have been lost) is answered."""
        if query.id in self._answered:
            return
        _remember(self._answered, query.id)
        await _acknowledge(query)


def _remember(seen: "OrderedDict[Any, None]", key: object) -> None:
    """Add `key` to a bounded memory, forgetting the oldest beyond REMEMBERED."""
    seen[key] = None
    if len(seen) > REMEMBERED:
        seen.popitem(last=False)


async def _acknowledge(query: CallbackQuery) -> None:
    """Stop the app's spinner. A query too old to answer (the reply was slow, say after flood
    control) is logged: the tap is stored, so it is no reason to handle the update again."""
    try:
        await query.answer()
    except BadRequest as error:
        log.info("could not answer button press %s: %s", query.id, error)
