"""/stats through the real bot: the numbers match what people answered, and each priority area
with answers comes as a bar chart that is a real PNG photo."""

import io
from pathlib import Path

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncEngine

from conversations.loader import load_consultation
from storage.audit import recent_audit
from tests.bot.harness import STAFF_ID, BotHarness, FrozenClock, make_harness
from tests.bot.test_staff_scenario import (
    ada_finishes,
    bea_stops_half_way,
    meet,
    settle,
    staff_member,
    three_respondents,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LONG_AREA = """\
[consultation]
id = "long"
organisation = "Testshire Council"
title = "A long plan"
summary = "We want to know what you think."
document_url = "https://example.org"
closes_at = "2022-09-23T23:59"
outcome = "on our website"
privacy_notice = "We keep your answers safe."

[[audiences]]
key = "resident"
label = "I live here"

[[areas]]
key = "everything"
title = "Everything at once"
summary = "All of it."
""" + "".join(
    f'\n[[areas.questions]]\nkey = "q{n}"\nkind = "scale"\ntext = "Statement {n} about the plan."\n'
    for n in range(30)
)
"""One area of thirty agree-disagree questions: its chart is taller than a photo may be."""


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
        "- Parent or carer: 2 started, 0 finished\n"
        "- Professional: 1 started, 1 finished\n"
        "- Young person: 1 started, 1 finished"
    ) in text
    assert "- school_newsletter: 1 started, 0 finished" in text
    assert "- library_poster: 1 started, 1 finished" in text
    # Young people and professionals were asked different things: each under its own words.
    assert (
        "Being included and taking part\n"
        "People who answered here: Young person 1, Professional 1\n\n"
        "Young person saw: Being included is important to me.\n"
        "- Agree a lot: 1 (100%)\n- Agree: 0 (0%)\n- Not sure: 0 (0%)\n"
        "- Disagree: 0 (0%)\n- Disagree a lot: 0 (0%)\n"
        "1 answered, 0 skipped\n"
        "Professional saw: This ambition is the right priority for 2022 to 2025.\n"
        "- Agree a lot: 0 (0%)\n- Agree: 1 (100%)\n- Not sure: 0 (0%)\n"
        "- Disagree: 0 (0%)\n- Disagree a lot: 0 (0%)\n"
        "1 answered, 0 skipped\n\n"
    ) in text
    assert "All audiences" not in text
    assert (
        "Young person saw: I feel included at school or college.\n"
        "- Agree a lot: 0 (0%)\n- Agree: 0 (0%)\n- Not sure: 1 (100%)\n"
        "- Disagree: 0 (0%)\n- Disagree a lot: 0 (0%)\n"
        "1 answered, 0 skipped"
    ) in text
    assert (
        "- Finding a job: 0 (0%)\n- College or training: 0 (0%)\n- Money: 1 (100%)\n"
        "- Living on my own: 0 (0%)\n- Friends and fun: 0 (0%)\n- Health: 1 (100%)\n"
        "1 answered, 0 skipped\nPeople could choose more than one."
    ) in text
    assert "- Yes: 0 (0%)\n- No: 1 (100%)\n1 answered, 0 skipped" in text
    assert (
        "Typed answers (every one is in the XLSX export):\n"
        "Young person saw: What would help you feel more included?\n1 answered, 0 skipped\n"
        "Professional saw: What would most improve inclusion and taking part?\n"
        "0 answered, 1 skipped"
    ) in text
    assert "Anything else\nPeople who answered here: Young person 1, Professional 1" in text
    assert "young_person" not in text and "parent_carer" not in text
    assert "\n\n\n" not in text
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


async def test_an_area_chart_too_tall_for_a_photo_comes_as_a_png_file(
    database: AsyncEngine, tmp_path: Path
):
    (tmp_path / "long.toml").write_text(LONG_AREA, encoding="utf-8")
    bot = await make_harness(database, load_consultation(tmp_path / "long.toml"), FrozenClock())
    try:
        ada = bot.person("Ada")
        await bot.start(ada)
        for label in ("Yes, let's start", "I live here", "No", "Everything at once", "Done"):
            await bot.tap(ada, label)
        for _ in range(30):  # a chart draws the questions people answered
            await bot.tap(ada, "Agree")

        await stats_messages(bot)
    finally:
        await bot.close()

    assert bot.api.calls_of("sendPhoto") == []
    (chart,) = bot.api.calls_of("sendDocument", chat_id=STAFF_ID, ok=True)
    assert chart.params["caption"] == "Everything at once"
    upload = chart.files["document"]
    assert upload.filename == "everything.png" and upload.content.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(upload.content)) as image:
        assert image.width + image.height > 10_000  # Telegram's limit for a photo
    assert bot.api.failed_calls() == []
