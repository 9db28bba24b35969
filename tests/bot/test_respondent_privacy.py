"""What a respondent can see and erase of their own data, and what is kept before they agree."""

from sqlalchemy import func, select

from storage.models import Answer, AuditEntry, Progress, Respondent
from tests.bot.harness import BotHarness
from tests.bot.steps import about_them, begin, the_respondent
from tests.telegram_fakes import FakeUser


async def count(harness: BotHarness, table: type) -> int:
    async with harness.service.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def stored_answers(harness: BotHarness) -> list[tuple[str, str, str | None]]:
    async with harness.service.sessions() as session:
        answers = (await session.execute(select(Answer).order_by(Answer.id))).scalars().all()
    return [(a.area, a.question, a.value) for a in answers]


ABOUT_THEM = ("5 to 10 years", "Strood", "Yes")
"""A parent's answers about who they are: stored, and erased with the rest."""
PROFILE_ANSWERS = [
    ("profile", "age", "5_10"),
    ("profile", "lives_in", "strood"),
    ("profile", "ehc_plan", "yes"),
]


async def answer_two_questions(harness: BotHarness, user: FakeUser) -> None:
    await begin(
        harness,
        user,
        "parent_carer",
        "Getting back on track after Covid",
        reminder=True,
        profile=ABOUT_THEM,
    )
    await harness.tap(user, "Agree")
    await harness.tap(user, "Yes")


async def test_delete_asks_first_then_erases_answers_progress_and_chat_id(harness: BotHarness):
    ada = harness.person("Ada")
    await answer_two_questions(harness, ada)
    assert await stored_answers(harness) == [
        *PROFILE_ANSWERS,
        ("covid", "important", "agree"),
        ("covid", "still_affected", "yes"),
    ]

    await harness.command(ada, "delete")

    assert harness.last(ada).text == harness.consultation.say("delete_confirm")
    assert harness.last(ada).labels == ["Yes, delete them", "No, keep them"]
    assert await count(harness, Answer) == 3 + 2
    await harness.tap(ada, "Yes, delete them")

    assert harness.last(ada).text == harness.consultation.say("deleted")
    assert await count(harness, Respondent) == 0
    assert await count(harness, Progress) == 0
    assert await stored_answers(harness) == []
    async with harness.service.sessions() as session:
        audit = (await session.execute(select(AuditEntry))).scalar_one()
    assert (audit.actor, audit.action, audit.rows) == ("respondent", "erase", 3 + 2)
    assert str(ada.id) not in audit.detail
    assert harness.api.failed_calls() == []


async def test_after_deleting_start_begins_afresh_with_nothing_remembered(harness: BotHarness):
    ada = harness.person("Ada")
    await answer_two_questions(harness, ada)
    await harness.command(ada, "delete")
    await harness.tap(ada, "Yes, delete them")

    await harness.start(ada)

    assert harness.last(ada).labels == [
        "Yes, let's start",
        "How we use your answers",
        "No thanks",
        "Explain this",
        "Polski",
    ]
    await harness.tap(ada, "Yes, let's start")
    assert harness.last(ada).text == "Who are you?"
    respondent = await the_respondent(harness)
    assert (respondent.audience, respondent.wants_reminder) == (None, None)
    assert await stored_answers(harness) == []


async def test_keeping_them_at_the_delete_question_changes_nothing(harness: BotHarness):
    ada = harness.person("Ada")
    await answer_two_questions(harness, ada)
    question = harness.message_with(ada, "Skip")

    await harness.command(ada, "delete")
    await harness.tap(ada, "No, keep them")

    assert harness.last(ada).text == harness.consultation.say("kept")
    assert await count(harness, Respondent) == 1
    assert len(await stored_answers(harness)) == 3 + 2
    await harness.type(ada, "More help with catching up")
    assert "Last question" in harness.last(ada).text
    assert question.text and "Getting back on track after Covid" in question.text
    assert (await stored_answers(harness))[-1] == ("covid", "ideas", "More help with catching up")


async def test_delete_with_nothing_kept_says_so_and_asks_nothing(harness: BotHarness):
    ada = harness.person("Ada")

    await harness.command(ada, "delete")

    assert harness.last(ada).text == harness.consultation.say("nothing_to_delete")
    assert harness.last(ada).labels == []
    assert await count(harness, Respondent) == 0


async def test_myanswers_shows_every_answer_and_changes_nothing(harness: BotHarness):
    ada = harness.person("Ada")
    await answer_two_questions(harness, ada)
    async with harness.service.sessions() as session:
        version_before = await session.scalar(select(Progress.version))

    await harness.command(ada, "myanswers")

    shown = harness.last(ada).text
    assert shown.startswith("Your answers so far:")
    assert "\nGetting back on track after Covid\n" in shown
    assert "This should be one of our main aims for the next 3 years.\nYour answer: Agree" in shown
    assert "Is your child still affected by the pandemic?\nYour answer: Yes" in shown
    assert "About you\n\n1. How old is your child with SEND?" in shown
    assert "Which part of Medway do you live in?\nYour answer: Strood" in shown
    async with harness.service.sessions() as session:
        assert await session.scalar(select(Progress.version)) == version_before
    assert len(await stored_answers(harness)) == 3 + 2


async def test_privacy_shows_the_notice_before_start_and_stores_nobody(harness: BotHarness):
    ada = harness.person("Ada")

    await harness.command(ada, "privacy")

    notice = harness.last(ada).text
    assert notice == harness.consultation.say("privacy", notice=harness.consultation.privacy_notice)
    assert "We do not keep your name or your Telegram username." in notice
    assert await count(harness, Respondent) == 0


async def test_the_privacy_button_shows_the_notice_and_asks_for_consent_again(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await harness.start(ada)

    await harness.tap(ada, "How we use your answers")

    notice, consent = harness.texts(ada)[-2:]
    assert notice.startswith("How we use your answers:")
    assert consent == harness.consultation.say("consent")
    assert harness.last(ada).labels == [
        "Yes, let's start",
        "How we use your answers",
        "No thanks",
        "Explain this",
        "Polski",
    ]
    assert await count(harness, Respondent) == 0


async def test_declining_consent_stores_nothing(harness: BotHarness):
    ada = harness.person("Ada")
    await harness.start(ada)

    await harness.tap(ada, "No thanks")

    assert harness.last(ada).text == harness.consultation.say("declined")
    assert (await count(harness, Respondent), await count(harness, Progress)) == (0, 0)
    assert await stored_answers(harness) == []
    await harness.type(ada, "hello?")
    assert (await count(harness, Respondent), await count(harness, Progress)) == (0, 0)


async def test_declining_after_a_deep_link_keeps_nobody(harness: BotHarness):
    ada = harness.person("Ada")
    await harness.start(ada, "young_person__school_poster")

    await harness.tap(ada, "No thanks")

    assert harness.last(ada).text == harness.consultation.say("declined")
    assert (await count(harness, Respondent), await count(harness, Progress)) == (0, 0)
    assert await stored_answers(harness) == []


async def test_a_deep_link_with_an_audience_skips_who_are_you(harness: BotHarness):
    ada = harness.person("Ada")

    await harness.start(ada, "parent_carer__library_poster")
    await harness.tap(ada, "Yes, let's start")

    assert harness.last(ada).text.startswith("About you. Question 1 of 3")
    assert "How old is your child with SEND?" in harness.last(ada).text
    assert harness.consultation.say("audience") not in harness.texts(ada)
    await about_them(harness, ada)
    await harness.tap(ada, "No")
    await harness.tap(ada, "Being included and taking part")
    await harness.tap(ada, "Done")
    assert "My child is included" not in harness.last(ada).text
    assert "This should be one of our main aims for the next 3 years." in harness.last(ada).text
    respondent = await the_respondent(harness)
    assert (respondent.audience, respondent.source) == ("parent_carer", "library_poster")
    assert respondent.consent_at == harness.clock.now


async def test_a_deep_link_with_only_a_source_still_asks_who_are_you(harness: BotHarness):
    ada = harness.person("Ada")

    await harness.start(ada, "st_marys_school")
    await harness.tap(ada, "Yes, let's start")

    assert harness.last(ada).text == "Who are you?"
    assert harness.last(ada).labels == [
        "I'm a young person",
        "I'm a parent or carer",
        "I work with children",
    ]
    await harness.tap(ada, "I work with children")
    respondent = await the_respondent(harness)
    assert (respondent.audience, respondent.source) == ("professional", "st_marys_school")
