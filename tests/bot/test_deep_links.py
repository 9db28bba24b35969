"""A link made by `consultbot link` opens the real bot as that audience, from that source."""

from bot.links import link_payload
from tests.bot.harness import BotHarness
from tests.bot.steps import the_respondent


async def test_a_made_link_skips_who_are_you_and_counts_its_source(harness: BotHarness):
    payload = link_payload(harness.consultation, source="library_poster", audience="parent_carer")
    bea = harness.person("Bea")

    await harness.start(bea, payload)
    await harness.tap(bea, "Yes, let's start")

    assert harness.last(bea).text.startswith("If you stop before the end")  # not "Who are you?"
    stored = await the_respondent(harness)
    assert (stored.audience, stored.source) == ("parent_carer", "library_poster")
