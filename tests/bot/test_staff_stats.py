"""/stats through the real bot: the numbers match what people answered, and each priority area
with answers comes as a bar chart that is a real PNG photo."""

import io

import pytest
from PIL import Image

from storage.audit import recent_audit
from tests.bot.harness import STAFF_ID, BotHarness
from tests.bot.test_staff_scenario import (
    ada_finishes,
    bea_stops_half_way,
    meet,
    settle,
    staff_member,
    three_respondents,
)

pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via:UserWarning")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def stats_messages(harness: BotHarness) -> str:
    """Every text staff got for one /stats, joined, after the "working on it" note."""
    staff = staff_member(harness)
    await harness.command(staff, "stats")
    await settle(harness)
    texts = [shown.text or "" for shown in harness.api.sent_to(STAFF_ID) if shown.kind == "text"]
    assert texts[0] == "Working on it. This can take a minute."
    return "\n\n".join(texts[1:])


async def test_stats_counts_and_percentages_match_what_people_answered(harness: BotHarness):
    await three_respondents(harness)
    dan = harness.person("Dan", username="dan_numbat_730")
    await harness.start(dan, "parent_carer")
    await harness.tap(dan, "Yes, let's start")  # started, then nothing more

    text = await stats_messages(harness)

    assert (
        "Responses so far\n"
        "People who started: 4 (finished: 2, not finished: 2)\n"
        "People who answered at least one question: 3\n"
        "Answers: 10 (questions skipped: 3)"
    ) in text
    assert (
        "By audience\n"
        "- parent_carer: 2 started, 0 finished\n"
        "- professional: 1 started, 1 finished\n"
        "- young_person: 1 started, 1 finished"
    ) in text
    assert "- school_newsletter: 1 started, 0 finished" in text
    assert "- library_poster: 1 started, 1 finished" in text
    assert (
        "Being included and taking part\n2 people answered here: 4 answers, 2 skipped.\n\n"
        "Being included is important to me.\n"
        "- Agree a lot: 1 (50%)\n- Agree: 1 (50%)\n- Not sure: 0 (0%)\n"
        "- Disagree: 0 (0%)\n- Disagree a lot: 0 (0%)\n"
        "2 answered, 0 skipped"
    ) in text
    assert (
        "I feel included at school or college.\n"
        "- Agree a lot: 0 (0%)\n- Agree: 0 (0%)\n- Not sure: 1 (100%)\n"
        "- Disagree: 0 (0%)\n- Disagree a lot: 0 (0%)\n"
        "1 answered, 1 skipped"
    ) in text
    assert (
        "- Finding a job: 0 (0%)\n- College or training: 0 (0%)\n- Money: 1 (100%)\n"
        "- Living on my own: 0 (0%)\n- Friends and fun: 0 (0%)\n- Health: 1 (100%)\n"
        "1 answered, 0 skipped\nPeople could choose more than one."
    ) in text
    assert "- Yes: 0 (0%)\n- No: 1 (100%)\n1 answered, 0 skipped" in text
    assert "What would help you feel more included? (typed answers): 1 answered, 1 skipped" in text
    assert "Anything else\n2 people answered here: 1 answers, 1 skipped." in text
    assert "Where people stopped (2 did not finish)" in text
    for message in harness.api.sent_to(STAFF_ID):
        assert len(message.text or "") <= 4096
    async with harness.service.sessions() as session:
        (entry,) = await recent_audit(session)
    assert (entry.actor, entry.action, entry.rows) == (f"staff:{STAFF_ID}", "stats", 3)


async def test_stats_sends_each_area_with_answers_as_a_png_photo_pillow_can_open(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    await bea_stops_half_way(harness, people.bea)

    await stats_messages(harness)

    photos = harness.api.calls_of("sendPhoto", chat_id=STAFF_ID, ok=True)
    assert [call.params["caption"] for call in photos] == [
        "Being included and taking part",
        "Getting ready for your future",
        "Working with you and your family",
    ]
    for call in photos:
        png = call.files["photo"].content
        assert png.startswith(PNG_SIGNATURE)
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG"
            assert image.width == 1000 and 300 < image.height < 9000
            image.verify()
    shown = [message for message in harness.api.sent_to(STAFF_ID) if message.kind == "photo"]
    assert len(shown) == 3
    assert harness.api.failed_calls() == []


async def test_stats_before_anyone_answered_says_so_and_sends_no_chart(harness: BotHarness):
    text = await stats_messages(harness)

    assert "People who started: 0 (finished: 0, not finished: 0)" in text
    assert "Answers: 0 (questions skipped: 0)" in text
    assert harness.api.calls_of("sendPhoto") == []
    assert harness.api.failed_calls() == []
