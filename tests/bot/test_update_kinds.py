"""The update kinds asked of Telegram follow the handlers registered on the application."""

import pytest
from telegram import Update
from telegram.ext import ChatMemberHandler, TypeHandler

from bot.update_kinds import handled_update_kinds
from tests.bot.harness import BotHarness


async def nothing(update: object, context: object) -> None:
    """A handler that does nothing: only its registration matters here."""


async def test_a_new_handler_brings_its_kind_of_update_with_it(harness: BotHarness):
    before = handled_update_kinds(harness.application)
    harness.application.add_handler(ChatMemberHandler(nothing, ChatMemberHandler.CHAT_MEMBER))

    assert Update.CHAT_MEMBER not in before
    assert handled_update_kinds(harness.application) == [*before, Update.CHAT_MEMBER]


async def test_a_handler_of_an_unknown_class_fails_naming_where_to_say_what_it_reads(
    harness: BotHarness,
):
    harness.application.add_handler(TypeHandler(Update, nothing), group=1)

    with pytest.raises(TypeError, match=r"TypeHandler .* bot/update_kinds.py"):
        handled_update_kinds(harness.application)
