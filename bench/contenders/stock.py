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
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    TypeHandler,
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
PARKS = "Parks and green spaces"
PATHS = "Paths and cycling"
Choices = tuple[tuple[str, str], ...]
QUESTIONS: tuple[tuple[str, str, str, Choices, bool], ...] = (
    # (area, key, text, choices, a tick-list?)
    ("parks", "important", "Looking after our parks should be one of our main aims.", SCALE, False),
    ("parks", "safe", "I feel safe in our parks.", SCALE, False),
    ("parks", "visited", "Have you visited a park in the last month?", YES_NO, False),
    (
        "parks",
        "how_often",
        "How often do you go to a park?",
        (("weekly", "Every week"), ("monthly", "Every month"), ("rarely", "Hardly ever")),
        False,
    ),
    ("parks", "ideas", "What would make our parks better?", (), False),
    (
        "paths",
        "use",
        "How do you use our paths?",
        (("walk", "Walking"), ("cycle", "Cycling"), ("run", "Running"), ("wheel", "Wheelchair")),
        True,
    ),
)
TITLES = {"parks": PARKS, "paths": PATHS}
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
            application.add_handler(TypeHandler(Update, seen_before), group=-1)
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
                CommandHandler("back", back),
                CommandHandler("skip", skip),
            ],
            FINAL: [MessageHandler(typed, final)],
            OUTCOME: [CallbackQueryHandler(outcome, pattern=r"^outcome#")],
            REVIEW: [CallbackQueryHandler(review, pattern=r"^review#")],
        },
        fallbacks=[CommandHandler("start", start), MessageHandler(~filters.TEXT, not_words)],
        name="survey",
        persistent=True,
    )


async def seen_before(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram delivered this update before (a webhook timeout, a restart): show the question
    waiting again and stop, as this bot does, instead of taking the answer twice."""
    assert context.user_data is not None
    if update.update_id <= context.user_data.get("last_update", 0):
        if "question" in context.user_data and update.effective_chat:
            await ask(context, update.effective_chat.id, context.user_data["question"], False)
        raise ApplicationHandlerStop
    context.user_data["last_update"] = update.update_id


def keyboard(at: str, options: Choices, skip: bool = True) -> InlineKeyboardMarkup:
    """One button per row, then Skip."""
    rows = [[InlineKeyboardButton(label, callback_data=f"{at}#{key}")] for key, label in options]
    if skip:
        rows.append([InlineKeyboardButton("Skip", callback_data=f"{at}#!skip")])
    return InlineKeyboardMarkup(rows)


def ticks(at: str, options: Choices, ticked: list[str], ending: Choices) -> InlineKeyboardMarkup:
    """A tick-list: the options with a tick on those chosen, then `ending` (Done...)."""
    marked = tuple((key, f"{label} ✅" if key in ticked else label) for key, label in options)
    return keyboard(at, marked + ending, False)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Welcome, then ask for consent."""
    assert update.effective_chat and context.user_data is not None
    last = context.user_data.get("last_update", 0)
    context.user_data.clear()
    context.user_data.update(answers={}, last_update=last)
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
    await query.edit_message_text(f"{message.text}\n\nYour answer: {label}")
    return message.chat.id, query.data.rpartition("#")[2]


async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Consent given: ask who they are."""
    await answer(update)
    chat, _ = await pressed(update)
    await context.bot.send_message(
        chat, "Which of these best describes you?", reply_markup=keyboard("audience", AUDIENCES)
    )
    return AUDIENCE


async def audience(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the audience; ask about a reminder."""
    assert context.user_data is not None
    await answer(update)
    chat, value = await pressed(update)
    context.user_data["audience"] = value
    await context.bot.send_message(
        chat, "Shall we remind you once?", reply_markup=keyboard("reminders", YES_NO, False)
    )
    return REMINDERS


async def reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the reminder choice; show the areas."""
    assert context.user_data is not None
    await answer(update)
    chat, value = await pressed(update)
    context.user_data["wants_reminder"] = value == "yes"
    context.user_data["draft"] = []
    await context.bot.send_message(chat, "Which of these?", reply_markup=areas_keyboard([]))
    return AREAS


def areas_keyboard(ticked: list[str]) -> InlineKeyboardMarkup:
    """The areas as a tick-list, then All and Done."""
    return ticks("areas", tuple(TITLES.items()), ticked, (("!all", "All"), ("!done", "Done")))


async def toggle(update: Update, markup: InlineKeyboardMarkup) -> None:
    """Redraw a tick-list in place (the caller changed its ticks)."""
    query = update.callback_query
    assert query is not None
    await answer(update)
    await query.edit_message_reply_markup(markup)


async def areas(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Tick an area (redrawn in place), or Done: introduce the first area and ask its first
    question."""
    query = update.callback_query
    assert query is not None and query.data and context.user_data is not None
    value = query.data.rpartition("#")[2]
    draft = context.user_data["draft"]
    if value != "!done":
        draft[:] = [k for k in draft if k != value] if value in draft else [*draft, value]
        await toggle(update, areas_keyboard(draft))
        return AREAS
    await answer(update)
    chat, _ = await pressed(update)
    context.user_data["areas"] = context.user_data.pop("draft")
    await ask(context, chat, 0, True)
    return QUESTION


async def ask(context: ContextTypes.DEFAULT_TYPE, chat: int, number: int, intro: bool) -> None:
    """Ask question `number` (after the area's introduction when `intro`)."""
    assert context.user_data is not None
    context.user_data["question"] = number
    area, key, text, options, many = QUESTIONS[number]
    title = TITLES[area]
    if intro:
        await context.bot.send_message(chat, f"Part {area}: {title}\n\nWhat it is about ...")
    in_area = [question for question in QUESTIONS if question[0] == area]
    count = next(n for n, question in enumerate(in_area, 1) if question[1] == key)
    header = f"{title}. Question {count} of {len(in_area)}\n\n{text}"
    if many:
        ticked = context.user_data.setdefault("ticked", [])
        markup = ticks(f"q:{area}/{key}", options, ticked, (("!done", "Done"),))
    else:
        markup = keyboard(f"q:{area}/{key}", options)
    await context.bot.send_message(chat, header, reply_markup=markup)


async def next_question(context: ContextTypes.DEFAULT_TYPE, chat: int, value: object) -> int:
    """Keep the answer; ask the next question, or the final one after the last (or show the
    answers again after a change made at the review)."""
    assert context.user_data is not None
    number = context.user_data["question"]
    context.user_data["answers"][QUESTIONS[number][1]] = value
    if context.user_data.pop("changing", False):
        await show_review(context, chat)
        return REVIEW
    if number + 1 < len(QUESTIONS):
        await ask(context, chat, number + 1, QUESTIONS[number + 1][0] != QUESTIONS[number][0])
        return QUESTION
    await context.bot.send_message(
        chat, "Last question\n\nIs there anything else?", reply_markup=keyboard("final", ())
    )
    return FINAL


async def question_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A button answer, or a tick on a tick-list (redrawn in place) until Done."""
    query = update.callback_query
    assert query is not None and query.data and context.user_data is not None
    *_, options, many = QUESTIONS[context.user_data["question"]]
    value = query.data.rpartition("#")[2]
    if many and value != "!done":
        ticked = context.user_data.setdefault("ticked", [])
        ticked[:] = [k for k in ticked if k != value] if value in ticked else [*ticked, value]
        await toggle(update, ticks(query.data.rpartition("#")[0], options, ticked, ()))
        return QUESTION
    await answer(update)
    chat, value = await pressed(update)
    if many:
        return await next_question(context, chat, context.user_data.pop("ticked"))
    return await next_question(context, chat, None if value == "!skip" else value)


async def question_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A typed answer."""
    assert update.effective_chat and update.effective_message
    return await next_question(context, update.effective_chat.id, update.effective_message.text)


async def skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/skip: no answer to this question; on to the next."""
    assert update.effective_chat
    return await next_question(context, update.effective_chat.id, None)


async def back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/back: ask the question before again."""
    assert update.effective_chat and context.user_data is not None
    number = max(0, context.user_data["question"] - 1)
    await ask(context, update.effective_chat.id, number, False)
    return QUESTION


async def not_words(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, a photo...: say what we can read, and ask the question waiting again."""
    assert update.effective_chat and context.user_data is not None
    chat = update.effective_chat.id
    await context.bot.send_message(chat, "Sorry, we can only read typed words and button taps.")
    if "question" in context.user_data:
        await ask(context, chat, context.user_data["question"], False)


async def final(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The last open answer; ask about hearing the outcome."""
    assert update.effective_chat and update.effective_message and context.user_data is not None
    context.user_data["answers"]["anything_else"] = update.effective_message.text
    context.user_data.pop("question", None)
    await context.bot.send_message(
        update.effective_chat.id,
        "Would you like to hear what happened?",
        reply_markup=keyboard("outcome", YES_NO, False),
    )
    return OUTCOME


async def outcome(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the choice; show the answers to review."""
    assert context.user_data is not None
    await answer(update)
    chat, value = await pressed(update)
    context.user_data["wants_outcome"] = value == "yes"
    await show_review(context, chat)
    return REVIEW


async def show_review(context: ContextTypes.DEFAULT_TYPE, chat: int) -> None:
    """The answers, one message per area with a Change button for each, then Send or Change."""
    assert context.user_data is not None
    answers = context.user_data["answers"]
    for area, title in (*TITLES.items(), ("", "Anything else")):
        numbered = [(n, q) for n, q in enumerate(QUESTIONS, 1) if q[0] == area] or [
            (len(QUESTIONS) + 1, ("", "anything_else", "Anything else?", (), False))
        ]
        lines = [f"{n}. {q[2]}\nYour answer: {answers.get(q[1])}" for n, q in numbered]
        buttons = tuple((f"c{n}", f"Change Q{n}: {q[2][:30]}") for n, q in numbered)
        await context.bot.send_message(
            chat,
            f"{title}\n\n" + "\n\n".join(lines),
            reply_markup=keyboard("review", buttons, False),
        )
    options = (("send", "Send my answers"), ("change", "Change an answer"))
    await context.bot.send_message(
        chat, "That is all your answers.", reply_markup=keyboard("review", options, False)
    )


async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Sent: thank them and end the conversation. Change Qn: ask question n again."""
    assert context.user_data is not None and update.callback_query is not None
    await answer(update)
    value = (update.callback_query.data or "").rpartition("#")[2]
    if value.startswith("c") and value[1:].isdigit() and int(value[1:]) <= len(QUESTIONS):
        assert update.effective_chat
        context.user_data["changing"] = True
        await ask(context, update.effective_chat.id, int(value[1:]) - 1, False)
        return QUESTION
    chat, _ = await pressed(update)
    context.user_data["finished"] = True
    await context.bot.send_message(chat, "Thank you! We have your answers.")
    return ConversationHandler.END


async def answer(update: Update) -> None:
    """Stop the button's spinner."""
    assert update.callback_query is not None
    await update.callback_query.answer()
