"""Respondents see what they are consulted on and until when: in the welcome and in /help.

The closing time shown is the one in force: a window staff extended or brought forward wins
over the file's date.
"""

from datetime import UTC, datetime

from conversations.window import Window
from tests.conversations.chatkit import Chat, texts

FILE_CLOSE = "You can answer until Friday 23 September 2022 at 11:59pm."
EXTENDED = Window(None, datetime(2022, 10, 7, 22, 59, tzinfo=UTC))  # 23:59 in London
EXTENDED_CLOSE = "You can answer until Friday 7 October 2022 at 11:59pm."
LINK_LINE = "You can read the plan here:\nhttps://example.org"


def test_the_welcome_gives_the_link_to_the_document_and_the_closing_time(small):
    welcome = texts(Chat(small).start())

    assert LINK_LINE in welcome
    assert FILE_CLOSE in welcome


def test_the_welcome_gives_the_closing_time_in_force_after_an_extension(small):
    welcome = texts(Chat(small, window=EXTENDED).start())

    assert EXTENDED_CLOSE in welcome
    assert "23 September" not in welcome


def test_help_repeats_the_link_and_the_closing_time_in_force(small):
    chat = Chat(small, window=EXTENDED)
    chat.begin("young_person")

    help_text = chat.command("help").replies[0].text

    assert help_text.startswith("Tap a button or type your answer.")
    assert LINK_LINE in help_text
    assert EXTENDED_CLOSE in help_text


def test_help_before_starting_also_gives_the_link_and_the_closing_time(small):
    chat = Chat(small)
    chat.start()

    help_text = chat.command("help").replies[0].text

    assert LINK_LINE in help_text
    assert FILE_CLOSE in help_text


def test_the_medway_welcome_links_to_the_medway_document(medway):
    welcome = texts(Chat(medway).start())

    assert f"You can read the plan here:\n{medway.document_url}" in welcome
    assert FILE_CLOSE in welcome
