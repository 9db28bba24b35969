""" "Explain this" through the real bot: the picture goes by sendPhoto, then the question again."""

from tests.bot.harness import BotHarness
from tests.bot.steps import at_the_first_question

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def test_explain_this_sends_the_picture_with_the_words_then_the_same_question(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    question = harness.last(ada).text

    await harness.tap(ada, "Explain this")

    photos = harness.api.calls_of("sendPhoto", ok=True)
    assert len(photos) == 1
    assert photos[0].params["caption"] == (
        "Tell us if being included matters to you. Tap 1 answer. "
        "It helps us know what to work on first."
    )
    assert photos[0].files["photo"].content.startswith(PNG_SIGNATURE)
    assert harness.last(ada).text == question
    assert "Agree a lot" in harness.last(ada).labels
    assert harness.api.failed_calls() == []
