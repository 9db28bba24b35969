"""Showing the engine's replies in Telegram: inline keyboards, and edits for button presses.

When a button is pressed, the message it was on is edited to show the chosen answer (and loses
its buttons, in the same call), so the chat reads as a clear record; a tick-list is redrawn in
place instead.

Telegram answers each sendMessage and editMessageText with the whole Message, which
python-telegram-bot would turn into objects (the Message, its chat, sender and keyboard) costing
about as much CPU as making the call. Nothing here reads those answers, so text replies and
edits go out by `post`, which skips that parsing (bench/README.md, "Bot API calls"). Their
keyboards go as the Bot API's JSON too: building python-telegram-bot's keyboard objects and
turning them back into JSON cost about 75 µs for a six-button question, against 8 µs.
"""

import logging
from pathlib import Path

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from conversations.outputs import Reply, Step

log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CHOSEN = "\n\n{label}"
"""How the engine's note of the answer chosen ("Your answer: Agree") goes under a question."""


Keyboard = dict[str, list[list[dict[str, str]]]]
"""An inline keyboard as the Bot API's JSON: {"inline_keyboard": rows of buttons}."""


def keyboard(reply: Reply) -> Keyboard | None:
    """The reply's buttons as an inline keyboard, if it has any."""
    if not reply.buttons:
        return None
    return {
        "inline_keyboard": [
            [{"text": button.label, "callback_data": button.data} for button in row]
            for row in reply.buttons
        ]
    }


async def show(bot: Bot, chat_id: int, step: Step, pressed: Message | None = None) -> None:
    """Send a step's replies; `pressed` is the message whose button caused the step."""
    replies = list(step.replies)
    if pressed is not None:
        if replies and replies[0].replace:
            await _edit(pressed, replies.pop(0))
        elif step.acknowledge:
            await _mark_chosen(pressed, step.acknowledge)
    for reply in replies:
        if reply.picture is not None:
            markup = keyboard(reply)
            await bot.send_photo(
                chat_id,
                Path(reply.picture),
                caption=reply.text,
                reply_markup=InlineKeyboardMarkup.de_json(markup, bot) if markup else None,
            )
        else:
            await post(
                bot, "sendMessage", chat_id=chat_id, text=reply.text, reply_markup=keyboard(reply)
            )


async def post(bot: Bot, method: str, **fields: object) -> None:
    """Make a Bot API call whose answer is not used, without parsing that answer into objects.

    `Bot._post` is the path python-telegram-bot's own methods take (its defaults, the
    ResilientSender's retries and flood control, the counted connection; fields that are None
    are left out, as they do) before they parse the answer; errors are raised the same way
    (BadRequest, Forbidden...). It is internal to python-telegram-bot, whose major version
    pyproject.toml pins; tests/bot/test_replies_unparsed.py fails if it goes.
    """
    await bot._post(method, fields)


async def edit_text(message: Message, text: str, markup: Keyboard | None) -> None:
    """Replace a message's text, and its buttons with `markup` (None: no buttons), in one call."""
    await post(
        message.get_bot(),
        "editMessageText",
        chat_id=message.chat_id,
        message_id=message.message_id,
        business_connection_id=message.business_connection_id,
        text=text,
        reply_markup=markup,
    )


async def _edit(message: Message, reply: Reply) -> None:
    try:
        await edit_text(message, reply.text, keyboard(reply))
    except BadRequest as error:  # unchanged, or too old to edit: the next message still shows
        log.info("could not redraw message %s: %s", message.message_id, error)


async def _mark_chosen(message: Message, label: str) -> None:
    """Show the chosen answer under the question and take its buttons away.

    A tap on a message some days old comes without the message's text (Telegram sends only
    where it was), and writing the answer alone would wipe the question: then only the buttons
    go.
    """
    try:
        if not message.text:
            await message.edit_reply_markup(reply_markup=None)
            return
        suffix = CHOSEN.format(label=label)
        text = message.text[: TEXT_LIMIT - len(suffix)] + suffix
        await edit_text(message, text, None)
    except BadRequest as error:
        log.info("could not mark message %s as answered: %s", message.message_id, error)
