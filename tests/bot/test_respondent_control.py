"""What respondents control, through the real bot: /stop pauses and says how to carry on, and
offers to stop the reminder and the news they asked for; /noreminders and /nonews do the same at
any time, even after the close; /privacy is plain, with the full notice a tap away."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.application import show_commands
from storage.models import Respondent
from tests.bot.harness import BotHarness
from tests.bot.steps import INCLUSION, begin, the_respondent
from tests.bot.test_jobs_reminders import MORNING, REMINDER, stops_after_one_answer
from tests.bot.test_staff_scenario import ada_finishes, meet, settle, staff_member

STOPPED = "OK. We have saved your answers.\nWhen you want to carry on, type /start."
OFFER = "You asked us to send you messages.\nDo you want us to stop them?"
NO_REMINDER = "OK. We will not send you a reminder.\nYour answers are still saved."
NO_NEWS = "OK. We will not send you news about what we did.\nYour answers are still saved."
AFTER_THE_CLOSE = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
PLAIN = "How we use your answers:\n\nWe are Medway Council and NHS Kent and Medway."
FULL = (
    "Full privacy notice\n\nWho is responsible for your answers:\n"
    "• Medway Council\n• NHS Kent and Medway\n\n"
)


async def test_stop_keeps_the_answers_says_how_to_carry_on_and_offers_to_stop_the_reminder(
    harness: BotHarness,
):
    bea = await stops_after_one_answer(harness, "Bea", reminder=True)
    waiting = harness.last(bea).text

    await harness.command(bea, "stop")

    assert harness.texts(bea)[-2:] == [STOPPED, OFFER]
    assert harness.last(bea).labels == ["No reminder, thanks"]  # no news asked for yet
    await harness.tap(bea, "No reminder, thanks")
    assert harness.last(bea).text == NO_REMINDER
    offer = [shown for shown in harness.api.screen(bea.id) if shown.text.startswith(OFFER)]
    assert offer[0].labels == [] and offer[0].text.endswith("Your answer: No reminder, thanks")
    assert (await the_respondent(harness)).wants_reminder is False

    await harness.tick_at(MORNING)  # when the reminder would have come
    assert REMINDER not in harness.texts(bea)
    await harness.start(bea)
    assert harness.texts(bea)[-2:] == [
        "Welcome back! Let's carry on where you stopped.",
        waiting,
    ]


async def test_stop_with_no_messages_asked_for_only_pauses(harness: BotHarness):
    eve = await stops_after_one_answer(harness, "Eve", reminder=False)
    await harness.command(eve, "stop")
    assert harness.last(eve).text == STOPPED
    assert harness.last(eve).labels == []


async def test_after_finishing_stop_offers_to_stop_the_news_and_nonews_works_after_the_close(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)  # asked for the news
    await ada_finishes(harness, people.cal)  # asked for it too
    await harness.command(people.ada, "stop")
    assert harness.last(people.ada).labels == ["No news, thanks"]  # finished: no reminder
    harness.clock.now = AFTER_THE_CLOSE

    await harness.command(people.cal, "nonews")
    assert harness.last(people.cal).text == NO_NEWS
    await harness.command(people.cal, "nonews")
    assert harness.last(people.cal).text == "We are not going to send you news."
    staff = staff_member(harness)
    await harness.command(staff, "announce", "We listened.")
    await settle(harness)
    await harness.tap(staff, "Yes, send it")
    await settle(harness)
    await harness.send_outbox()

    assert harness.last(people.ada).text.startswith("News about")
    assert not any(text.startswith("News about") for text in harness.texts(people.cal))
    assert harness.last(staff).text.startswith("Sending it now to the 1 people who asked")
    await harness.tap(people.ada, "No news, thanks")  # the /stop offer, tapped after the close
    assert harness.last(people.ada).text == NO_NEWS


async def test_noreminders_at_any_point_and_saying_so_again_is_kind(harness: BotHarness):
    bea = harness.person("Bea")
    await begin(harness, bea, "parent_carer", INCLUSION, reminder=True)
    question = harness.last(bea)

    await harness.command(bea, "noreminders")
    await harness.command(bea, "noreminders")

    assert harness.texts(bea)[-2:] == [NO_REMINDER, "We are not going to send you a reminder."]
    assert (await the_respondent(harness)).wants_reminder is False
    await harness.tap(bea, "Agree", question)  # the question is still waiting
    assert (await the_respondent(harness)).wants_reminder is False


async def test_someone_who_never_started_is_told_no_messages_are_coming_and_nothing_is_kept(
    harness: BotHarness,
):
    dee = harness.person("Dee")
    await harness.command(dee, "nonews")
    await harness.command(dee, "noreminders")
    assert harness.texts(dee) == [
        "We are not going to send you news.",
        "We are not going to send you a reminder.",
    ]
    async with harness.service.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Respondent)) == 0


async def test_privacy_is_plain_with_the_full_notice_and_its_data_controllers_a_tap_away(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await harness.command(ada, "privacy")
    plain = harness.last(ada)
    assert plain.text.startswith(PLAIN)
    assert plain.labels == ["Full privacy notice"]

    await harness.tap(ada, "Full privacy notice")
    full = harness.last(ada).text
    assert full.startswith(FULL)
    assert "The law calls us joint data controllers." in full
    assert "ico.org.uk" in full
    assert len(full) <= 4096

    harness.clock.now = AFTER_THE_CLOSE  # both still there after the close
    await harness.command(ada, "privacy", "full")
    assert harness.last(ada).text == full
    await harness.tap(ada, "Full privacy notice", plain)
    assert harness.last(ada).text == full
    async with harness.service.sessions() as session:  # reading it keeps nothing
        assert await session.scalar(select(func.count()).select_from(Respondent)) == 0


async def test_before_agreeing_the_plain_notice_comes_with_the_full_one_a_tap_away(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await harness.start(ada, "young_person")
    await harness.tap(ada, "How we use your answers")

    notice = harness.message_with(ada, "Full privacy notice")
    assert notice.text.startswith(PLAIN)
    assert harness.last(ada).labels == [
        "Yes, let's start",
        "How we use your answers",
        "No thanks",
        "Explain this",
        "Polski",
    ]
    await harness.tap(ada, "Full privacy notice")
    assert harness.last(ada).text.startswith(FULL)
    await harness.tap(ada, "Yes, let's start")  # the consent question still works
    assert harness.last(ada).text.startswith("About you. Question 1 of 3")  # audience in the link


async def test_help_and_the_menu_name_the_commands_that_stop_messages(harness: BotHarness):
    ada = harness.person("Ada")
    await harness.start(ada)
    await harness.tap(ada, "Yes, let's start")
    await harness.command(ada, "help")
    shown = "\n".join(harness.texts(ada))
    assert "/noreminders \N{EN DASH} no reminder from us" in shown
    assert "/nonews \N{EN DASH} no news about what we did" in shown

    await show_commands(harness.application, harness.consultation)
    (call,) = harness.api.calls_of("setMyCommands")
    menu = {command["command"]: command["description"] for command in call.params["commands"]}
    assert menu["noreminders"] == "No reminder, thanks"
    assert menu["nonews"] == "No news about what we did"
