"""A link made by `consultbot link` opens the real bot as that audience, from that source."""

from bot.links import link_payload
from tests.bot.harness import BotHarness
from tests.bot.steps import the_respondent


async def test_a_made_link_skips_who_are_you_and_counts_its_source(harness: BotHarness):
    payload = link_payload(harness.consultation, source="library_poster", audience="parent_carer")
    bea = harness.person("Bea")

    await harness.start(bea, payload)
    await harness.tap(bea, "Yes, let's start")

    assert harness.last(bea).text.startswith("About you. Question 1 of 3")  # not "Who are you?"
    assert "How old is your child with SEND?" in harness.last(bea).text  # a parent's words
    stored = await the_respondent(harness)
    assert (stored.audience, stored.source) == ("parent_carer", "library_poster")
