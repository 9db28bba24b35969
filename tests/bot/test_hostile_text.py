"""Every hostile text a respondent might type is stored, on SQLite and on PostgreSQL.

PostgreSQL refuses a NUL character in text (and both databases refuse a lone UTF-16 surrogate,
which Telegram's JSON can carry as an escape): such characters are replaced by U+FFFD, the
replacement character, so the answer is kept with the rest of what was typed.
"""

from tests.bot.harness import BotHarness
from tests.bot.test_bad_input import at_the_typed_question, kept

REPLACED = "\ufffd"
HOSTILE = (
    '=HYPERLINK("http://example.com/steal","Click")',
    "+1",
    "@SUM(A1:A9)",
    "nul \x00 in the middle",
    "\x00",
    "lone surrogate \ud800 here",
    "right-to-left \u202e override",
    "zero\u200bwidth\u200djoiner",
    "emoji 👩🏽‍🦽 and flags 🇬🇧",
    "Z̸̡̛a̴l̷g̶o̵",
    "'); DROP TABLE answers; --",
    "%s %d {0} ${x} \\N \\x00",
    "tab\tand\r\nnew lines",
)
STORED = tuple(text.replace("\x00", REPLACED).replace("\ud800", REPLACED) for text in HOSTILE)


async def test_every_hostile_text_is_stored_with_only_nul_and_lone_surrogates_replaced(
    harness: BotHarness,
):
    for number, text in enumerate(HOSTILE):
        person = harness.person(f"Mallory{number}")
        await at_the_typed_question(harness, person)
        assert await harness.deliver(harness.api.updates.message(person, text))

    typed = [value for _, question, value in (await kept(harness)).answers if question == "ideas"]
    assert typed == list(STORED)
    assert harness.api.failed_calls() == []
