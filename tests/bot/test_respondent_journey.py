"""A respondent answers the shipped consultation through the real bot, start to finish."""

from sqlalchemy import select

from storage.models import Answer, Respondent
from tests.bot.harness import BotHarness


async def test_a_young_person_answers_one_area_and_sends_their_answers(harness: BotHarness):
    ada = harness.person("Ada")
    await harness.start(ada, "young_person__library_poster")
    assert "Hello! This is Medway Council and NHS Kent and Medway." in harness.texts(ada)[0]
    await harness.tap(ada, "Yes, let's start")
    assert "Now a few questions about you." in harness.texts(ada)[-2]
    await harness.tap(ada, "11 to 15 years")
    await harness.tap(ada, "Chatham")
    assert "Do you have an EHC plan?" in harness.last(ada).text
    await harness.command(ada, "skip")
    await harness.tap(ada, "No")  # no reminder
    await harness.tap(ada, "Being included and taking part")
    await harness.tap(ada, "Done")
    assert "Being included and taking part. Question 1 of 3" in harness.last(ada).text
    assert "Being included is important to me." in harness.last(ada).text
    await harness.tap(ada, "Agree a lot")
    await harness.tap(ada, "Not sure")
    await harness.type(ada, "More clubs after school 🎨")
    await harness.tap(ada, "Skip")
    await harness.tap(ada, "Yes")  # hear what happened
    assert "Your answer: More clubs after school 🎨" in harness.texts(ada)[-3]  # the review
    await harness.tap(ada, "Send my answers")
    assert harness.last(ada).text.startswith("Thank you! We have your answers.")

    async with harness.service.sessions() as session:
        answers = (await session.execute(select(Answer).order_by(Answer.id))).scalars().all()
        respondent = (await session.execute(select(Respondent))).scalar_one()
    assert [(a.area, a.question, a.value) for a in answers] == [
        ("profile", "age", "11_15"),
        ("profile", "lives_in", "chatham"),
        ("profile", "ehc_plan", None),
        ("inclusion", "important", "agree_strongly"),
        ("inclusion", "included_now", "not_sure"),
        ("inclusion", "ideas", "More clubs after school 🎨"),
        ("final", "anything_else", None),
    ]
    assert respondent.audience == "young_person"
    assert respondent.source == "library_poster"
    assert respondent.finished_at == harness.clock.now
    assert respondent.pseudonym != str(ada.id) and str(ada.id) not in respondent.pseudonym
    assert harness.api.failed_calls() == []


async def test_a_pressed_button_leaves_the_question_showing_the_chosen_answer(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await harness.start(ada)
    consent = harness.message_with(ada, "Yes, let's start")
    await harness.tap(ada, "Yes, let's start")
    screen = harness.api.screen(ada.id)
    edited = [shown for shown in screen if shown.message_id == consent.message_id]
    assert edited[0].text.endswith("Your answer: Yes, let's start")
    assert edited[0].labels == []
    assert harness.api.calls_of("answerCallbackQuery")
