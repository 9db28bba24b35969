"""The stock pattern: a ConversationHandler with PicklePersistence, as in python-telegram-bot's
`examples/persistentconversationbot.py`, asking the same survey with the same replies.

State and answers live in `context.user_data` and the conversation's state; PicklePersistence
writes them to one pickle file every `update_interval` (60 s by default) and at shutdown. Each
step makes the same Bot API calls as this bot (mark the pressed message with the chosen answer,
send the next question with its keyboard, answer the callback query), so the difference between
the two is storage and bookkeeping, not Telegram traffic.
"""

import warnings
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)
from telegram.warnings import PTBUserWarning

from bench.contenders import Contender
from bench.fakeapi import TOKEN

CONSENT, AUDIENCE, REMINDERS, AREAS, QUESTION, FINAL, OUTCOME, REVIEW = range(8)
SCALE = (
    ("agree_strongly", "Agree a lot"),
    ("agree", "Agree"),
    ("not_sure", "Not sure"),
    ("disagree", "Disagree"),
    ("disagree_strongly", "Disagree a lot"),
)
YES_NO = (("yes", "Yes"), ("no", "No"))
QUESTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("important", "Looking after our parks should be one of our main aims.", SCALE),
    ("safe", "I feel safe in our parks.", SCALE),
    ("visited", "Have you visited a park in the last month?", YES_NO),
    (
        "how_often",
        "How often do you go to a park?",
        (("weekly", "Every week"), ("monthly", "Every month"), ("rarely", "Hardly ever")),
    ),
    ("ideas", "What would make our parks better?", ()),
)
AUDIENCES = (
    ("resident", "I live here"),
    ("visitor", "I visit the parks"),
    ("business", "I run a local business"),
)


class StockConversationBot(Contender):
    """The survey as a persistent ConversationHandler, with a pickle file in `folder`."""

    name = "ConversationHandler + PicklePersistence"
    note = "answers in user_data; pickled to disk every 60 s (PTB's default) and at shutdown"

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.path = folder / "conversationbot.pickle"

    async def start(self) -> None:
        """The example's wiring: persistence on the builder, one named persistent conversation."""
        persistence = PicklePersistence(filepath=self.path)
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .request(self.api)
            .get_updates_request(self.api)
            .updater(None)
            .persistence(persistence)
            .build()
        )
        with warnings.catch_warnings():  # per_message=False with button handlers: intended
            warnings.simplefilter("ignore", PTBUserWarning)
            application.add_handler(conversation())
        await self._start_application(application)


def conversation() -> ConversationHandler:
    """The survey's states, each waiting for a button press or typed text."""
    typed = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={
            CONSENT: [CallbackQueryHandler(consent, pattern=r"^consent#")],
            AUDIENCE: [CallbackQueryHandler(audience, pattern=r"^audience#")],
            REMINDERS: [CallbackQueryHandler(reminders, pattern=r"^reminders#")],
            AREAS: [CallbackQueryHandler(areas, pattern=r"^areas#")],
            QUESTION: [
                CallbackQueryHandler(question_pressed, pattern=r"^q:"),
                MessageHandler(typed, question_typed),
            ],
            FINAL: [MessageHandler(typed, final)],
            OUTCOME: [CallbackQueryHandler(outcome, pattern=r"^outcome#")],
            REVIEW: [CallbackQueryHandler(review, pattern=r"^review#")],
        },
        fallbacks=[CommandHandler("start", start)],
        name="survey",
        persistent=True,
    )


def keyboard(
    at: str, options: tuple[tuple[str, str], ...], skip: bool = True
) -> InlineKeyboardMarkup:
    """One button per row, then Skip."""
    rows = [[InlineKeyboardButton(label, callback_data=f"{at}#{key}")] for key, label in options]
    if skip:
        rows.append([InlineKeyboardButton("Skip", callback_data=f"{at}#!skip")])
    return InlineKeyboardMarkup(rows)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Welcome, then ask for consent."""
    assert update.effective_chat and context.user_data is not None
    context.user_data.clear()
    context.user_data["answers"] = {}
    chat = update.effective_chat.id
    await context.bot.send_message(chat, "Hello! This is Benchmark Borough Council. ...")
    options = (("yes", "Yes, let's start"), ("privacy", "Privacy"), ("no", "No, thanks"))
    await context.bot.send_message(
        chat, "Can we keep your answers?", reply_markup=keyboard("consent", options, False)
    )
    return CONSENT


async def pressed(update: Update) -> tuple[int, str]:
    """Mark the pressed message with the chosen answer; (chat id, the value pressed)."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message) and query.data
    message = query.message
    label = next(
        (
            button.text
            for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
            for button in row
            if button.callback_data == query.data
        ),
        "",
    )
    await query.edit_message_text(f"{message.text}\n\n✔ {label}")
    return message.chat.id, query.data.rpartition("#")[2]


async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Consent given: ask who they are."""
    chat, _ = await pressed(update)
    await context.bot.send_message(
        chat, "Which of these best describes you?", reply_markup=keyboard("audience", AUDIENCES)
    )
    await answer(update)
    return AUDIENCE


async def audience(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the audience; ask about a reminder."""
    assert context.user_data is not None
    chat, value = await pressed(update)
    context.user_data["audience"] = value
    await context.bot.send_message(
        chat, "Shall we remind you once?", reply_markup=keyboard("reminders", YES_NO, False)
    )
    await answer(update)
    return REMINDERS


async def reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the reminder choice; show the areas."""
    assert context.user_data is not None
    chat, value = await pressed(update)
    context.user_data["wants_reminder"] = value == "yes"
    context.user_data["draft"] = []
    await context.bot.send_message(chat, "Which of these?", reply_markup=areas_keyboard([]))
    await answer(update)
    return AREAS


def areas_keyboard(ticked: list[str]) -> InlineKeyboardMarkup:
    """The areas as a tick-list, then Done."""
    mark = "✅ " if "parks" in ticked else ""
    options = (("parks", f"{mark}Parks and green spaces"), ("!all", "All"), ("!done", "Done"))
    return keyboard("areas", options, False)


async def areas(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Tick an area (redrawn in place), or Done: introduce the area and ask question 1."""
    query = update.callback_query
    assert query is not None and query.data and context.user_data is not None
    value = query.data.rpartition("#")[2]
    if value != "!done":
        draft = context.user_data["draft"]
        context.user_data["draft"] = (
            [k for k in draft if k != value] if value in draft else [*draft, value]
        )
        await query.edit_message_reply_markup(areas_keyboard(context.user_data["draft"]))
        await answer(update)
        return AREAS
    chat, _ = await pressed(update)
    context.user_data["areas"] = context.user_data.pop("draft")
    await context.bot.send_message(chat, "Parks and green spaces (1 of 1). Keeping our parks ...")
    await ask(context, chat, 0)
    await answer(update)
    return QUESTION


async def ask(context: ContextTypes.DEFAULT_TYPE, chat: int, number: int) -> None:
    """Ask question `number` of the area."""
    assert context.user_data is not None
    context.user_data["question"] = number
    key, text, options = QUESTIONS[number]
    header = f"Parks and green spaces · Question {number + 1} of {len(QUESTIONS)}\n\n{text}"
    markup = keyboard(f"q:parks/{key}", options) if options else None
    await context.bot.send_message(chat, header, reply_markup=markup)


async def next_question(context: ContextTypes.DEFAULT_TYPE, chat: int, value: str | None) -> int:
    """Keep the answer; ask the next question, or the final one after the last."""
    assert context.user_data is not None
    number = context.user_data["question"]
    context.user_data["answers"][QUESTIONS[number][0]] = value
    if number + 1 < len(QUESTIONS):
        await ask(context, chat, number + 1)
        return QUESTION
    await context.bot.send_message(chat, "Last question\n\nIs there anything else?")
    return FINAL


async def question_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A button answer."""
    chat, value = await pressed(update)
    state = await next_question(context, chat, None if value == "!skip" else value)
    await answer(update)
    return state


async def question_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A typed answer."""
    assert update.effective_chat and update.effective_message
    return await next_question(context, update.effective_chat.id, update.effective_message.text)


async def final(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The last open answer; ask about hearing the outcome."""
    assert update.effective_chat and update.effective_message and context.user_data is not None
    context.user_data["answers"]["anything_else"] = update.effective_message.text
    await context.bot.send_message(
        update.effective_chat.id,
        "Would you like to hear what happened?",
        reply_markup=keyboard("outcome", YES_NO, False),
    )
    return OUTCOME


async def outcome(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the choice; show the answers to review."""
    assert context.user_data is not None
    chat, value = await pressed(update)
    context.user_data["wants_outcome"] = value == "yes"
    lines = [f"{key}: {value}" for key, value in context.user_data["answers"].items()]
    options = (("send", "Send my answers"), ("change", "Change an answer"))
    await context.bot.send_message(
        chat,
        "Here are your answers:\n\n" + "\n".join(lines),
        reply_markup=keyboard("review", options, False),
    )
    await answer(update)
    return REVIEW


async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Sent: thank them and end the conversation."""
    assert context.user_data is not None
    chat, _ = await pressed(update)
    context.user_data["finished"] = True
    await context.bot.send_message(chat, "Thank you! We have your answers.")
    await answer(update)
    return ConversationHandler.END


async def answer(update: Update) -> None:
    """Stop the button's spinner."""
    assert update.callback_query is not None
    await update.callback_query.answer()
