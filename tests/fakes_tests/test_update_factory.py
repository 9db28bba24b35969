"""UpdateFactory builds updates exactly as Telegram delivers them, and PTB parses them fully."""

import re
from typing import Any

from telegram import Bot, TelegramObject, Update

from tests.telegram_fakes import BotApiCore, UpdateFactory
from tests.telegram_fakes.updates import detect_entities

BOT = Bot("123:ABC")


def unknown_fields(obj: Any, path: str = "update") -> list[str]:
    """Fields python-telegram-bot did not recognise anywhere inside a parsed object."""
    found: list[str] = []
    if isinstance(obj, TelegramObject):
        found += [f"{path}.{key}" for key in obj.api_kwargs]
        for name, value in obj._get_attrs(recursive=False).items():
            found += unknown_fields(value, f"{path}.{name}")
    elif isinstance(obj, tuple | list):
        for index, item in enumerate(obj):
            found += unknown_fields(item, f"{path}[{index}]")
    return found


def parsed(data: dict) -> Update:
    update = Update.de_json(data, BOT)
    assert unknown_fields(update) == []
    return update


def test_update_ids_increase_within_one_factory():
    factory = UpdateFactory()
    ada = factory.user("Ada")
    ids = [factory.message(ada, "hi")["update_id"] for _ in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3


def test_a_private_text_message_carries_exactly_the_fields_telegram_sends():
    factory = UpdateFactory(clock=lambda: 1_750_000_000)
    ada = factory.user("Ada", id=42, username="ada_l")
    update = factory.message(ada, "hello")
    assert update == {
        "update_id": update["update_id"],
        "message": {
            "message_id": 1,
            "from": {
                "id": 42,
                "is_bot": False,
                "first_name": "Ada",
                "username": "ada_l",
                "language_code": "en",
            },
            "chat": {"id": 42, "first_name": "Ada", "username": "ada_l", "type": "private"},
            "date": 1_750_000_000,
            "text": "hello",
        },
    }
    assert parsed(update).effective_message.text == "hello"


def test_a_leading_command_is_marked_as_a_bot_command_entity():
    factory = UpdateFactory()
    update = factory.command(factory.user(), "start", "campaign-7")
    message = update["message"]
    assert message["text"] == "/start campaign-7"
    assert message["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    assert parsed(update).effective_message.text.startswith("/start")


def test_commands_in_groups_name_the_bot():
    factory = UpdateFactory()
    group = factory.group("Residents")
    update = factory.command(factory.user(), "help", chat=group)
    message = update["message"]
    assert message["text"] == "/help@consultation_test_bot"
    assert message["entities"][0]["length"] == len("/help@consultation_test_bot")
    assert message["chat"] == {"id": group.id, "title": "Residents", "type": "supergroup"}
    assert parsed(update).effective_chat.type == "supergroup"


def test_entities_are_detected_anywhere_with_utf16_offsets():
    assert detect_entities("\N{GRINNING FACE} see https://example.org or /help") == [
        {"offset": 7, "length": 19, "type": "url"},
        {"offset": 30, "length": 5, "type": "bot_command"},
    ]


def test_a_callback_query_carries_the_bots_message_and_the_pressed_data():
    factory = UpdateFactory()
    ada = factory.user()
    bot_message = {
        "message_id": 5,
        "from": factory.bot.to_dict(),
        "chat": ada.chat(),
        "date": 1_750_000_000,
        "text": "Do you agree?",
        "reply_markup": {"inline_keyboard": [[{"text": "Yes", "callback_data": "agree"}]]},
    }
    first = factory.callback_query(ada, bot_message, "agree")
    second = factory.callback_query(ada, bot_message, "agree")
    query = first["callback_query"]
    assert set(query) == {"id", "from", "message", "chat_instance", "data"}
    assert query["message"] == bot_message
    assert query["chat_instance"] == second["callback_query"]["chat_instance"]
    assert query["id"] != second["callback_query"]["id"]
    assert parsed(first).callback_query.data == "agree"


def test_a_photo_is_an_array_of_photo_sizes_smallest_first():
    factory = UpdateFactory()
    update = factory.photo(factory.user(), width=1280, height=960, caption="my street")
    sizes = update["message"]["photo"]
    assert [(s["width"], s["height"]) for s in sizes] == [
        (90, 68),
        (320, 240),
        (800, 600),
        (1280, 960),
    ]
    assert len({s["file_id"] for s in sizes}) == 4
    assert parsed(update).effective_message.photo[-1].width == 1280


def test_media_location_and_contact_messages_parse_without_unknown_fields():
    factory = UpdateFactory()
    ada = factory.user("Ada", last_name="Lovelace")
    for update in (
        factory.sticker(ada),
        factory.voice(ada, duration=4),
        factory.document(ada, file_name="notes.pdf"),
        factory.location(ada),
        factory.contact(ada),
    ):
        parsed(update)
    contact = factory.contact(ada)["message"]["contact"]
    assert contact["user_id"] == ada.id and contact["last_name"] == "Lovelace"


def test_an_edited_message_keeps_the_id_and_adds_an_edit_date():
    factory = UpdateFactory()
    original = factory.message(factory.user(), "Yes")
    edited = factory.edited_message(original, "No")
    message = edited["edited_message"]
    assert message["message_id"] == original["message"]["message_id"]
    assert message["text"] == "No"
    assert message["edit_date"] > original["message"]["date"] - 1
    assert parsed(edited).edited_message.text == "No"


def test_blocking_the_bot_is_a_my_chat_member_update_with_status_kicked():
    factory = UpdateFactory()
    update = factory.bot_blocked(factory.user())
    member = update["my_chat_member"]
    assert member["old_chat_member"]["status"] == "member"
    assert member["new_chat_member"] == {
        "user": factory.bot.to_dict(),
        "status": "kicked",
        "until_date": 0,
    }
    assert parsed(update).my_chat_member.new_chat_member.status == "kicked"


def test_a_bound_factory_shares_message_ids_with_the_fake_and_is_observed():
    core = BotApiCore()
    ada = core.updates.user()
    first = core.updates.message(ada, "hi")["message"]["message_id"]
    assert core.next_message_id(ada.id) == first + 1
    assert core.updates.message(ada, "again")["message"]["message_id"] == first + 2


def test_made_up_usernames_follow_telegrams_rules():
    factory = UpdateFactory()
    for name in ("Ada", "Mary Ann", "\u0416\u0435\u043d\u044f"):
        username = factory.user(name).username
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", username), username
