"""Which kinds of update the bot asks Telegram for: those its registered handlers act on.

getUpdates and setWebhook take `allowed_updates`. Asking for every kind would bring reactions,
group members coming and going and the like: updates no handler reads, each fetched, claimed
and stored for nothing. The list is read from the application's handlers, so a new handler
brings its kind of update with it, and a handler of a class not known here fails at start-up
instead of silently never being called.
"""

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
)

MESSAGE_KINDS = (Update.MESSAGE, Update.EDITED_MESSAGE)
"""Messages the bot reads: private chats and groups. It is never a channel's or a business
account's bot, so channel posts and business messages are not asked for."""

MEMBER_KINDS = {
    ChatMemberHandler.MY_CHAT_MEMBER: (Update.MY_CHAT_MEMBER,),
    ChatMemberHandler.CHAT_MEMBER: (Update.CHAT_MEMBER,),
    ChatMemberHandler.ANY_CHAT_MEMBER: (Update.MY_CHAT_MEMBER, Update.CHAT_MEMBER),
}


def handled_update_kinds(application: Application) -> list[str]:
    """The update kinds some handler of `application` acts on, in Telegram's order."""
    wanted = {
        kind for group in application.handlers.values() for h in group for kind in _kinds_of(h)
    }
    return [kind for kind in Update.ALL_TYPES if kind in wanted]


def _kinds_of(handler: BaseHandler) -> tuple[str, ...]:
    match handler:
        case CallbackQueryHandler():
            return (Update.CALLBACK_QUERY,)
        case ChatMemberHandler():
            return MEMBER_KINDS[handler.chat_member_types]
        case MessageHandler() | CommandHandler():
            return MESSAGE_KINDS
    raise TypeError(
        f"{type(handler).__name__} is registered, but bot/update_kinds.py does not say which "
        "updates it acts on, so Telegram would never send them: add it to _kinds_of"
    )
