"""A real telegram.Bot / Application talks to OfflineBotApi exactly as it would to Telegram."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.telegram_fakes import BLOCKED_BY_USER, OfflineBotApi


@pytest.fixture
async def api():
    return OfflineBotApi()


@pytest.fixture
async def bot(api):
    async with Bot(api.token, request=api, get_updates_request=api) as bot:
        yield bot


@pytest.fixture
def ada(api):
    user = api.updates.user("Ada")
    api.add_chat(user)
    return user


def choices(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def test_a_bot_sends_a_message_and_gets_a_proper_message_back(api, bot, ada):
    sent = await bot.send_message(ada.id, "Welcome", reply_markup=choices(("Start", "go")))
    assert isinstance(sent, Message)
    assert sent.text == "Welcome"
    assert sent.chat.id == ada.id and sent.chat.first_name == "Ada"
    assert sent.from_user.id == bot.id and sent.from_user.is_bot
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "go"
    assert sent.date is not None
    second = await bot.send_message(ada.id, "Next")
    assert second.message_id == sent.message_id + 1


async def test_get_me_describes_the_bot(bot):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123, True, "consultation_test_bot")
    assert me.can_join_groups is True
    assert me.supports_inline_queries is False


async def test_html_is_parsed_into_text_and_entities_as_telegram_returns_them(bot, ada):
    sent = await bot.send_message(ada.id, "<b>Question 1</b> of 5", parse_mode="HTML")
    assert sent.text == "Question 1 of 5"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 10


async def test_an_unknown_parameter_is_a_bad_request(bot, ada):
    with pytest.raises(BadRequest, match=r'(?i)unexpected parameter "colour"'):
        await bot.send_message(ada.id, "hi", api_kwargs={"colour": "red"})


async def test_a_missing_chat_id_is_a_bad_request(bot):
    with pytest.raises(BadRequest, match=r"(?i)chat_id is empty"):
        await bot.send_message(None, "hi")  # python-telegram-bot leaves None parameters out


async def test_text_of_4097_characters_is_a_bad_request(api, bot, ada):
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ada.id, "x" * 4097)
    assert api.sent_to(ada.id) == []
    assert api.failed_calls()[0].description == "Bad Request: message is too long"


async def test_callback_data_of_65_bytes_is_a_bad_request(bot, ada):
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ada.id, "Pick", reply_markup=choices(("A", "a" * 65)))


async def test_a_403_scripted_for_a_chat_surfaces_as_forbidden(api, bot, ada):
    api.fail_next(403, BLOCKED_BY_USER, chat_id=ada.id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ada.id, "hi")
    await bot.send_message(ada.id, "only the next call failed")


async def test_a_time_out_scripted_for_a_chat_surfaces_as_timed_out_and_sends_nothing(
    api, bot, ada
):
    bea = api.updates.user("Bea")
    api.add_chat(bea)
    api.time_out(method="sendMessage", chat_id=ada.id, times=2)
    for _ in range(2):
        with pytest.raises(TimedOut):
            await bot.send_message(ada.id, "hi")
    await bot.send_message(bea.id, "someone else's chat answers")
    await bot.send_message(ada.id, "the third call goes through")

    assert [call.status for call in api.calls_of("sendMessage", chat_id=ada.id)] == [0, 0, 200]
    assert api.texts(ada.id) == ["the third call goes through"]


async def test_a_server_error_scripted_for_a_chat_surfaces_as_a_network_error(api, bot, ada):
    api.server_error(chat_id=ada.id, times=None)
    for _ in range(3):
        with pytest.raises(NetworkError, match="Bad Gateway") as raised:
            await bot.send_message(ada.id, "hi")
        assert not isinstance(raised.value, BadRequest | TimedOut)
    assert api.texts(ada.id) == []


async def test_a_429_scripted_surfaces_as_retry_after(api, bot, ada):
    api.rate_limit(retry_after=7, method="sendMessage")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(ada.id, "hi")
    assert raised.value.retry_after == timedelta(seconds=7)  # the bot opts in to timedelta


async def test_a_blocked_respondent_stays_unreachable_until_unblocked(api, bot, ada):
    api.block(ada.id)
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(ada.id, "hi")
    api.unblock(ada.id)
    await bot.send_message(ada.id, "hi")


async def test_seeing_a_my_chat_member_kicked_update_blocks_the_chat(api, bot, ada):
    api.observe(api.updates.bot_blocked(ada))
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_chat_action(ada.id, "typing")


async def test_writing_to_someone_who_never_started_the_bot_is_forbidden(api, bot):
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(555, "hi")


async def test_a_relaxed_fake_lets_tests_write_to_any_chat():
    api = OfflineBotApi(strict_chats=False)
    async with Bot(api.token, request=api) as bot:
        sent = await bot.send_message(555, "hi")
    assert sent.chat.type == "private"


async def test_a_wrong_token_is_rejected_like_telegram_does():
    api = OfflineBotApi()
    with pytest.raises(InvalidToken):
        async with Bot("999:NOPE", request=api, get_updates_request=api):
            pass


async def test_sent_to_lists_messages_and_edits_in_order_with_their_buttons(api, bot, ada):
    question = await bot.send_message(
        ada.id, "Do you cycle?", reply_markup=choices(("Yes", "q1:y"), ("No", "q1:n"))
    )
    await question.edit_text("Do you cycle? \N{EM DASH} Yes")
    await bot.send_message(ada.id, "Thanks!")
    seen = api.sent_to(ada.id)
    assert [(s.text, s.edited) for s in seen] == [
        ("Do you cycle?", False),
        ("Do you cycle? \N{EM DASH} Yes", True),
        ("Thanks!", False),
    ]
    assert seen[0].labels == ["Yes", "No"]
    assert seen[0].callback_data == ["q1:y", "q1:n"]
    assert seen[1].labels == []  # editing the text without reply_markup drops the keyboard
    assert [s.message_id for s in api.screen(ada.id)] == [
        question.message_id,
        question.message_id + 1,
    ]


async def test_an_edit_that_changes_nothing_is_refused_as_not_modified(bot, ada):
    sent = await bot.send_message(ada.id, "Same", reply_markup=choices(("A", "a")))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_text("Same", reply_markup=choices(("A", "a")))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_reply_markup(choices(("A", "a")))
    await sent.edit_reply_markup(None)


async def test_editing_a_message_that_does_not_exist_or_is_not_the_bots_is_refused(api, bot, ada):
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=ada.id, message_id=99)
    theirs = api.updates.message(ada, "my answer")["message"]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=ada.id, message_id=theirs["message_id"])


async def test_a_callback_query_can_be_answered_once(api, bot, ada):
    await bot.send_message(ada.id, "Pick", reply_markup=choices(("A", "a")))
    query = api.tap(ada, "A")["callback_query"]
    assert await bot.answer_callback_query(query["id"], text="Noted") is True
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query["id"])


async def test_tapping_needs_the_button_to_be_on_screen_now(api, bot, ada):
    sent = await bot.send_message(ada.id, "Pick", reply_markup=choices(("A", "a")))
    await sent.edit_reply_markup(None)
    with pytest.raises(LookupError, match="no button 'A'"):
        api.tap(ada, "A")


async def test_send_document_records_the_uploaded_bytes_and_filename(api, bot, ada):
    sent = await bot.send_document(
        ada.id, io.BytesIO(b"area,answers\nnorth,12\n"), filename="export.csv", caption="Export"
    )
    assert sent.document.file_name == "export.csv"
    assert sent.document.file_size == 22
    assert sent.caption == "Export"
    upload = api.calls_of("sendDocument")[0].files["document"]
    assert (upload.filename, upload.content) == ("export.csv", b"area,answers\nnorth,12\n")
    shown = api.last_message(ada.id)
    assert (shown.kind, shown.file_name, shown.upload.content[:4]) == (
        "document",
        "export.csv",
        b"area",
    )


async def test_a_document_can_be_resent_by_file_id_but_not_by_a_made_up_one(bot, ada):
    sent = await bot.send_document(ada.id, io.BytesIO(b"data"), filename="a.txt")
    again = await bot.send_document(ada.id, sent.document.file_id)
    assert again.document.file_unique_id == sent.document.file_unique_id
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(ada.id, "BQACAgIAAxkBAAmadeup")


async def test_send_photo_returns_photo_sizes_of_the_uploaded_image(api, bot, ada):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "teal").save(buffer, "PNG")
    sent = await bot.send_photo(ada.id, buffer.getvalue(), caption="Chart")
    assert sent.photo[-1].width == 640 and sent.photo[-1].height == 480
    assert api.last_message(ada.id).kind == "photo"


async def test_commands_set_are_returned_by_get_my_commands(api, bot):
    await bot.set_my_commands([("start", "Begin the consultation"), ("stop", "Leave")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "stop"]
    assert api.commands()[1] == {"command": "stop", "description": "Leave"}
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_webhook_state_is_reported_and_blocks_get_updates(bot):
    assert (await bot.get_webhook_info()).url == ""
    await bot.set_webhook("https://bot.example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://bot.example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_an_application_polls_offline_and_answers_a_respondent(api):
    ada = api.updates.user("Ada")
    app = ApplicationBuilder().token(api.token).request(api).get_updates_request(api).build()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(
            "Shall we begin?", reply_markup=choices(("Yes", "begin"))
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Great, question 1.")

    async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"You said: {update.effective_message.text}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, typed))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        api.push(api.updates.command(ada, "start"))
        await api.wait_until(lambda: len(api.sent_to(ada.id)) == 1)
        api.push(api.tap(ada, "Yes"))
        api.push(api.updates.message(ada, "hello"))
        await api.wait_until(lambda: len(api.sent_to(ada.id)) == 3)
        await app.updater.stop()
        await app.stop()
    assert api.texts(ada.id) == ["Shall we begin?", "Great, question 1.", "You said: hello"]
    assert api.failed_calls() == []
    assert api.pending_updates() == []


async def test_updates_telegram_leaves_out_by_default_are_delivered_only_when_asked_for(api, bot):
    ada = api.updates.user("Ada")
    member = api.updates.my_chat_member(ada, old_status="member", new_status="member")
    chat_member = {"chat_member": member["my_chat_member"]}
    api.push(chat_member)
    api.push(api.updates.message(ada, "hi"))
    assert [u.message.text for u in await bot.get_updates()] == ["hi"]
    api.push(chat_member)
    delivered = await bot.get_updates(allowed_updates=["chat_member"])
    assert [u.chat_member is not None for u in delivered] == [True]


async def test_the_call_history_can_be_capped_for_long_runs():
    api = OfflineBotApi(keep_calls=2, strict_chats=False)
    async with Bot(api.token, request=api) as bot:
        for text in ("one", "two", "three"):
            await bot.send_message(7, text)
    assert [call.params["text"] for call in api.calls] == ["two", "three"]
    assert api.texts(7) == ["one", "two", "three"]


async def test_process_runs_one_update_through_an_application_without_polling(api):
    ada = api.updates.user("Ada")
    app = ApplicationBuilder().token(api.token).request(api).get_updates_request(api).build()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("Hello")

    app.add_handler(CommandHandler("start", start))
    async with app:
        await api.process(app, api.updates.command(ada, "start"))
    assert api.texts(ada.id) == ["Hello"]
