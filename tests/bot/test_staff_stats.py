"""/stats through the real bot: the numbers match what people answered, and each priority area
with answers comes as a bar chart that is a real PNG photo."""

import io
from datetime import UTC, datetime
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
from tests.telegram_fakes.updates import FakeUser

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


async def stats_messages(harness: BotHarness, staff: FakeUser | None = None) -> str:
    """Every text staff got for one /stats, joined, after the "working on it" note."""
    staff = staff or staff_member(harness)
    before = len(staff_texts(harness))
    await harness.command(staff, "stats")
    await settle(harness)
    texts = staff_texts(harness)[before:]
    assert texts[0] == "Working on it. This can take a minute."
    return "\n\n".join(texts[1:])


def staff_texts(harness: BotHarness) -> list[str]:
    return [shown.text or "" for shown in harness.api.sent_to(STAFF_ID) if shown.kind == "text"]


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
    # Dan stopped at the first question about who he is: said as a step, the question kept apart
    assert "- Answering the questions about who they are: 1 (50%)" in text
    # Ada's and Bea's answers about who they are are kept apart, out of the statistics: only the
    # progress towards the targets names a group by them (how many, never who said what)
    targets, answers = text.split("\n\nBy audience\n")
    about_them = ("How old", "Chatham", "EHC plan", "Prefer not to say", "Who they are", "profile")
    assert [words for words in about_them if words in answers] == []
    assert targets.startswith("Responses so far\n") and "Who has answered" in targets
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


async def test_stats_shows_progress_against_the_targets_and_flags_who_falls_behind(
    harness: BotHarness,
):
    await three_respondents(harness)  # all three on 1 September, when the first one wrote

    staff = staff_member(harness)
    on_day_one = await stats_messages(harness, staff)

    towns = ("Chatham", "Gillingham", "Rochester", "Strood", "Rainham", "Hoo Peninsula")
    each_town = "".join(
        f"- {town}: {100 if town == 'Chatham' else 0}% of people who answered "
        f"({1 if town == 'Chatham' else 0} so far), aim 10% or more. Too few to judge yet\n"
        for town in towns
    )
    ehc_plan = "Do you have an EHC plan? This is an education, health and care plan.\n"
    assert (
        "Who has answered, against the targets\n"
        "Closes Friday 23 September 2022 at 11:59pm: 22 days left, 0% of the time gone.\n"
        "- Young person: 1 of 300 started (0%). On track\n"
        "- Parent or carer: 1 of 500 started (0%). On track\n"
        "- Professional: 1 of 150 started (1%). On track\n"
        "- Link library_poster: 1 of 50 started (2%). On track\n"
        "- Link school_newsletter: 1 of 100 started (1%). On track\n"
        "Which part of Medway do you live in? (Young person, Parent or carer)\n"
        + each_town
        + ehc_plan
        + "- Yes: 1 of 150 started (1%). On track\n\n"
    ) in on_day_one
    assert "Under-represented" not in on_day_one

    # 11 of the 22 days and 11 hours from the first message to the close have gone.
    harness.clock.now = datetime(2022, 9, 12, 12, 0, tzinfo=UTC)
    later = await stats_messages(harness, staff)

    assert (
        "Closes Friday 23 September 2022 at 11:59pm: 11 days left, 49% of the time gone.\n"
        "- Young person: 1 of 300 started (0%). Under-represented: 147 needed by now\n"
        "- Parent or carer: 1 of 500 started (0%). Under-represented: 245 needed by now\n"
        "- Professional: 1 of 150 started (1%). Under-represented: 74 needed by now\n"
        "- Link library_poster: 1 of 50 started (2%). Under-represented: 25 needed by now\n"
        "- Link school_newsletter: 1 of 100 started (1%). Under-represented: 49 needed by now\n"
        "Which part of Medway do you live in? (Young person, Parent or carer)\n"
        + each_town
        + ehc_plan
        + "- Yes: 1 of 150 started (1%). Under-represented: 74 needed by now\n"
        "Under-represented: behind the pace to reach the target by the close, or below the "
        "share, while there is still time to act."
    ) in later


async def test_stats_counts_the_pace_to_the_closing_time_in_force_after_extend(
    harness: BotHarness,
):
    await three_respondents(harness)
    harness.clock.now = datetime(2022, 9, 12, 12, 0, tzinfo=UTC)
    staff = staff_member(harness)
    await harness.command(staff, "extend", "2022-10-31")

    text = await stats_messages(harness, staff)

    assert (
        "Closes Monday 31 October 2022 at 11:59pm: 49 days left, 18% of the time gone.\n"
        "- Young person: 1 of 300 started (0%). Under-represented: 55 needed by now\n"
    ) in text


async def test_stats_lists_where_people_stopped_per_audience_in_the_words_it_saw(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    await bea_stops_half_way(harness, people.bea)
    dan = harness.person("Dan", username="dan_numbat_730")
    await harness.start(dan)
    await harness.tap(dan, "Yes, let's start")  # and stops before saying who he is

    text = await stats_messages(harness)

    stops = text[text.index("Where people stopped") :]
    assert stops.startswith(
        "Where people stopped (2 did not finish)\n"
        "Parent or carer (1 did not finish):\n"
        "- Working with you and your family: "
        "People listen to me about my child's needs.: 1 (100%)\n"
        "Not recorded (1 did not finish):\n"
        "- Saying who they are: 1 (100%)\n\n"
    ), stops
    assert "Young person" not in stops  # Ada finished
