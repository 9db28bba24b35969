"""The questions about who is answering, through the real bot on the shipped consultation:
asked after consent and "who are you?", always skippable, stored so staff can tell "Prefer not
to say" from a skip and from a question never asked, and carried over a restart."""

from conversations.model import PREFER_NOT
from tests.bot.harness import Bot, BotHarness
from tests.bot.steps import PREFER_NOT as PREFER_NOT_LABEL
from tests.bot.steps import answers_of

YOUNG_INTRO = """Now a few questions about you.
They help us check we hear from lots of different people.
You can skip any of them."""


async def test_after_consent_and_who_are_you_come_the_intro_and_the_questions_about_them(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await harness.start(ada)
    await harness.tap(ada, "Yes, let's start")

    await harness.tap(ada, "I'm a young person")

    intro, question = harness.texts(ada)[-2:]
    assert intro == YOUNG_INTRO
    assert question == "About you. Question 1 of 3\n\nHow old are you?"
    assert harness.last(ada).labels == [
        "0 to 4 years",
        "5 to 10 years",
        "11 to 15 years",
        "16 to 18 years",
        "19 to 25 years",
        PREFER_NOT_LABEL,
    ]


async def test_prefer_not_to_say_a_skip_and_a_question_never_asked_are_stored_apart(
    harness: BotHarness,
):
    ada, cal = harness.person("Ada"), harness.person("Cal")
    await harness.start(ada, "young_person")
    await harness.tap(ada, "Yes, let's start")
    await harness.tap(ada, PREFER_NOT_LABEL)
    await harness.command(ada, "skip")
    await harness.tap(ada, "Rochester")
    assert "Do you have an EHC plan?" in harness.last(ada).text
    await harness.start(cal, "professional")
    await harness.tap(cal, "Yes, let's start")
    await harness.tap(cal, "0 to 4 years")
    await harness.tap(cal, "Gillingham")

    assert harness.last(cal).text == harness.consultation.say("reminders")
    assert await answers_of(harness, about_them=True) == [
        ("age", PREFER_NOT),
        ("lives_in", None),
        ("age", "0_4"),
        ("lives_in", "gillingham"),
    ]  # no EHC plan row for Cal, who works with children and is not asked it


async def test_back_from_the_reminder_question_changes_the_last_answer_about_them(
    harness: BotHarness,
):
    bea = harness.person("Bea")
    await harness.start(bea, "parent_carer")
    await harness.tap(bea, "Yes, let's start")
    await harness.tap(bea, "5 to 10 years")
    await harness.tap(bea, "Strood")
    await harness.tap(bea, "Not sure")

    await harness.command(bea, "back")

    assert "Does your child have an EHC plan?" in harness.last(bea).text
    assert "Your answer before: Not sure" in harness.last(bea).text
    await harness.tap(bea, "Yes")
    assert harness.last(bea).text == harness.consultation.say("reminders")
    assert await answers_of(harness, about_them=True) == [
        ("age", "5_10"),
        ("lives_in", "strood"),
        ("ehc_plan", "yes"),
    ]


async def test_a_restarted_bot_carries_on_at_the_same_question_about_them(bot_with: Bot):
    first = await bot_with()
    ada = first.person("Ada")
    await first.start(ada, "young_person")
    await first.tap(ada, "Yes, let's start")
    await first.tap(ada, "16 to 18 years")
    await first.command(ada, "stop")

    again = await bot_with()  # the bot started again, on the same database
    again.api.add_chat(ada)
    # Telegram's update ids carry on from before the restart
    await again.deliver(first.api.updates.command(ada, "start", ""))

    welcome, question = again.texts(ada)[-2:]
    assert welcome == again.consultation.say("welcome_back")
    assert question == "About you. Question 2 of 3\n\nWhich part of Medway do you live in?"
    shown = again.message_with(ada, "Hoo Peninsula")
    tap = shown.button("Hoo Peninsula").callback_data
    assert tap is not None
    await again.deliver(first.api.updates.callback_query(ada, shown.raw, tap))
    assert await answers_of(again, about_them=True) == [("age", "16_18"), ("lives_in", "hoo")]
    assert "Do you have an EHC plan?" in again.last(ada).text
