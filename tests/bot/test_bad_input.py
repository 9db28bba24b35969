"""Whatever a respondent sends that is not an answer gets a short, kind reply and changes nothing.

Each test drives the real bot through the strict fake Telegram and then reads the database:
what the respondent saw, and what was (or was not) kept.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.service import Incoming
from conversations.inputs import Press
from conversations.model import PROFILE_AREA
from storage.models import Answer, AuditEntry, ProcessedUpdate, Progress, Respondent
from tests.bot.harness import BotHarness
from tests.bot.steps import at_the_first_question, help_text, the_respondent
from tests.telegram_fakes import FakeUser

CLOSES_AT = datetime(2022, 9, 23, 22, 59, tzinfo=UTC)  # 23:59 in London, summer time
INCLUSION_IDEAS = "Being included and taking part. Question 3 of 3"


@dataclass(frozen=True)
class Kept:
    """What the database holds about respondents, in a form a test can compare."""

    respondents: int
    answers: list[tuple[str, str, str | None]]
    progress: int


async def kept(harness: BotHarness) -> Kept:
    """What is kept; of the answers, those to the consultation's areas (the answers about who
    they are, given on the way, are the same before and after every input here)."""
    query = select(Answer).where(Answer.area != PROFILE_AREA).order_by(Answer.id)
    async with harness.service.sessions() as session:
        answers = (await session.execute(query)).scalars().all()
        respondents = await session.scalar(select(func.count()).select_from(Respondent))
        progress = await session.scalar(select(func.count()).select_from(Progress))
    return Kept(respondents or 0, [(a.area, a.question, a.value) for a in answers], progress or 0)


async def at_the_typed_question(harness: BotHarness, user: FakeUser) -> None:
    """Answer the two scale questions, so that the free-text question (max 1000) is asked."""
    await at_the_first_question(harness, user)
    await harness.tap(user, "Agree a lot")
    await harness.tap(user, "Not sure")
    assert INCLUSION_IDEAS in harness.last(user).text


FIRST_TWO = [
    ("inclusion", "important", "agree_strongly"),
    ("inclusion", "included_now", "not_sure"),
]


def attachment(harness: BotHarness, user: FakeUser, kind: str) -> dict[str, Any]:
    updates = harness.api.updates
    made = {
        "sticker": lambda: updates.sticker(user),
        "photo": lambda: updates.photo(user, caption="my drawing"),
        "voice": lambda: updates.voice(user),
        "document": lambda: updates.document(user),
        "location": lambda: updates.location(user),
        "contact": lambda: updates.contact(user),
    }
    return made[kind]()


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "document", "location", "contact"])
async def test_an_attachment_at_a_typed_question_gets_a_kind_reply_and_is_not_kept(
    harness: BotHarness, kind: str
):
    ada = harness.person("Ada")
    await at_the_typed_question(harness, ada)
    before = await kept(harness)

    assert await harness.deliver(attachment(harness, ada, kind))

    shown = harness.texts(ada)
    assert shown[-2].startswith(harness.consultation.say("unsupported"))
    assert "Phone Medway Council on 01634 333333" in shown[-2]  # other ways to answer
    assert shown[-1] == shown[-3]  # the question again, with its buttons
    assert await kept(harness) == before
    assert before.answers == FIRST_TWO
    await harness.type(ada, "A quiet room at lunch")
    assert (await kept(harness)).answers[-1] == ("inclusion", "ideas", "A quiet room at lunch")
    assert harness.api.failed_calls() == []


async def test_an_edited_answer_is_not_changed_and_the_respondent_is_told_how_to_change_it(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_typed_question(harness, ada)
    typed = harness.api.updates.message(ada, "More clubs")
    await harness.deliver(typed)
    next_question = harness.last(ada).text

    await harness.deliver(harness.api.updates.edited_message(typed, "Fewer clubs"))

    assert harness.last(ada).text == harness.consultation.say("edited")
    assert "/back" in harness.last(ada).text and "/review" in harness.last(ada).text
    assert (await kept(harness)).answers == [*FIRST_TWO, ("inclusion", "ideas", "More clubs")]
    assert next_question.startswith("Last question")
    assert harness.api.failed_calls() == []


async def test_a_10000_character_text_split_by_telegram_is_refused_part_by_part(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_typed_question(harness, ada)
    essay = ("I would like more help at school. " * 300)[:10_000]
    parts = [essay[start : start + 4096] for start in range(0, len(essay), 4096)]
    assert [len(part) for part in parts] == [4096, 4096, 1808]

    for part in parts:
        await harness.type(ada, part)
        assert "You can use up to 1000 letters." in harness.last(ada).text

    replies = harness.texts(ada)[-3:]
    assert replies == [
        harness.consultation.say("too_long", length=len(part.strip()), limit=1000) for part in parts
    ]
    assert (await kept(harness)).answers == FIRST_TWO
    assert INCLUSION_IDEAS in harness.message_with(ada, "Skip").text
    assert harness.api.failed_calls() == []


async def test_an_answer_of_exactly_the_limit_is_kept_whole(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_typed_question(harness, ada)
    answer = "ab" * 500

    await harness.type(ada, answer)

    assert harness.last(ada).text.startswith("Last question")
    assert (await kept(harness)).answers[-1] == ("inclusion", "ideas", answer)


async def test_an_emoji_answer_is_kept_exactly_as_typed(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_typed_question(harness, ada)
    emoji = "👍🏽 more 🎨 and 🧑‍🤝‍🧑 clubs ❤️"

    await harness.type(ada, emoji)

    assert harness.last(ada).text.startswith("Last question")
    assert (await kept(harness)).answers[-1] == ("inclusion", "ideas", emoji)
    await harness.command(ada, "myanswers")
    assert emoji in harness.last(ada).text


async def test_an_emoji_at_a_button_question_asks_for_a_tap_and_keeps_nothing(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)

    await harness.type(ada, "👍")

    assert harness.last(ada).text == harness.consultation.say("tap_a_button")
    assert (await kept(harness)).answers == []


async def test_help_mid_question_shows_the_commands_and_asks_the_same_question_again(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    question = harness.last(ada)

    await harness.command(ada, "help")

    shown, again = harness.texts(ada)[-2:]
    assert shown == help_text(harness)
    assert again == question.text
    assert harness.last(ada).labels == question.labels
    assert (await kept(harness)).answers == []


async def test_an_unknown_command_mid_question_gets_the_help(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    question = harness.last(ada).text

    await harness.command(ada, "settings")

    assert harness.texts(ada)[-2:] == [help_text(harness), question]
    assert (await kept(harness)).answers == []


async def test_skip_back_review_and_stop_mid_question_then_start_resumes_at_the_same_question(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    await harness.tap(ada, "Agree")

    await harness.command(ada, "skip")  # question 2 skipped
    assert INCLUSION_IDEAS in harness.last(ada).text
    await harness.command(ada, "back")  # back to question 2
    assert "Question 2 of 3" in harness.last(ada).text
    await harness.command(ada, "review")
    review, question = harness.texts(ada)[-2:]
    assert "Your answer: Agree" in review and "Your answer: (skipped)" in review
    assert "Question 2 of 3" in question
    await harness.command(ada, "stop")
    assert harness.last(ada).text == harness.consultation.say("stopped")

    await harness.start(ada)

    welcome_back, resumed = harness.texts(ada)[-2:]
    assert welcome_back == harness.consultation.say("welcome_back")
    assert resumed == question
    assert harness.last(ada).labels[:5] == [
        "Agree a lot",
        "Agree",
        "Not sure",
        "Disagree",
        "Disagree a lot",
    ]
    assert (await kept(harness)).answers == [
        ("inclusion", "important", "agree"),
        ("inclusion", "included_now", None),
    ]


async def test_a_double_tap_on_a_button_records_one_answer_and_answers_the_second_politely(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    first = harness.api.tap(ada, "Agree")
    second = harness.api.tap(ada, "Agree")
    await harness.deliver(first)
    next_question = harness.last(ada).text
    await harness.deliver(second)

    stale, shown_again = harness.texts(ada)[-2:]
    assert stale == harness.consultation.say("stale_button")
    assert shown_again == next_question and "Question 2 of 3" in shown_again
    assert (await kept(harness)).answers == [("inclusion", "important", "agree")]
    acknowledged = [
        call.params["callback_query_id"]
        for call in harness.api.calls_of("answerCallbackQuery", ok=True)
    ]
    assert acknowledged[-2:] == [first["callback_query"]["id"], second["callback_query"]["id"]]
    assert harness.api.failed_calls() == []


async def test_an_old_button_after_sending_the_answers_changes_nothing(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_typed_question(harness, ada)
    old_question = harness.message_with(ada, "Skip")
    await harness.tap(ada, "Skip")  # inclusion/ideas
    await harness.tap(ada, "Skip")  # the last question
    await harness.tap(ada, "No")  # no news
    await harness.tap(ada, "Send my answers")
    finished = await kept(harness)

    await harness.tap(ada, "Skip", old_question)

    assert harness.texts(ada)[-2:] == [
        harness.consultation.say("stale_button"),
        harness.consultation.say("done_already"),
    ]
    assert await kept(harness) == finished
    assert finished.answers == [
        *FIRST_TWO,
        ("inclusion", "ideas", None),
        ("final", "anything_else", None),
    ]
    assert harness.api.failed_calls() == []


async def test_after_the_close_a_half_way_respondent_is_told_it_closed_and_nothing_is_recorded(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    await harness.tap(ada, "Agree")
    before = await kept(harness)
    harness.clock.now = CLOSES_AT + timedelta(minutes=1)

    await harness.tap(ada, "Disagree")
    await harness.type(ada, "Too late?")
    await harness.start(ada)

    closed = harness.consultation.say("closed_kept", closes="Friday 23 September 2022 at 11:59pm")
    assert harness.texts(ada)[-3:] == [closed] * 3
    assert await kept(harness) == before
    assert before.answers == [("inclusion", "important", "agree")]
    await harness.command(ada, "myanswers")  # still theirs to see after the close
    assert "Being included is important to me.\nYour answer: Agree" in harness.last(ada).text


async def test_one_minute_before_the_close_answers_are_still_taken(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    harness.clock.now = CLOSES_AT - timedelta(minutes=1)

    await harness.tap(ada, "Disagree")

    assert "Question 2 of 3" in harness.last(ada).text
    assert (await kept(harness)).answers == [("inclusion", "important", "disagree")]


async def test_in_a_group_chat_the_bot_says_it_works_in_private_chats_only_and_keeps_nothing(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    group = harness.api.updates.group("Parents' forum")
    harness.api.add_chat(group)

    await harness.deliver(harness.api.updates.command(ada, "start", chat=group))
    await harness.deliver(harness.api.updates.group_message(ada, group, "Hello bot"))
    await harness.deliver(harness.api.updates.command(ada, "help", chat=group))

    assert harness.api.texts(group.id) == [harness.consultation.say("private_only")] * 2
    assert harness.api.texts(ada.id) == []
    assert await kept(harness) == Kept(0, [], 0)
    assert harness.api.failed_calls() == []


async def test_blocking_the_bot_marks_the_respondent_unreachable_and_keeps_their_answers(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    await harness.tap(ada, "Agree")
    shown = len(harness.texts(ada))

    await harness.deliver(harness.api.updates.bot_blocked(ada))

    respondent = await the_respondent(harness)
    assert respondent.unreachable_at == harness.clock.now
    assert (await kept(harness)).answers == [("inclusion", "important", "agree")]
    assert len(harness.texts(ada)) == shown
    assert harness.api.failed_calls() == []


async def test_unblocking_the_bot_makes_the_respondent_reachable_again(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    await harness.deliver(harness.api.updates.bot_blocked(ada))

    await harness.deliver(harness.api.updates.bot_unblocked(ada))

    respondent = await the_respondent(harness)
    assert respondent.unreachable_at is None
    assert respondent.chat_id == ada.id
    await harness.start(ada)
    assert harness.texts(ada)[-2] == harness.consultation.say("welcome_back")
    assert harness.api.failed_calls() == []


async def test_a_forbidden_answer_to_a_reply_marks_the_respondent_unreachable(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    harness.api.fail_next(403, method="sendMessage", chat_id=ada.id)

    handled = await harness.deliver(harness.api.tap(ada, "Agree"))  # question 2 is refused

    assert handled
    respondent = await the_respondent(harness)
    assert respondent.unreachable_at == harness.clock.now
    assert (await kept(harness)).answers == [("inclusion", "important", "agree")]
    refused = harness.api.calls_of("sendMessage", ok=False)
    assert [call.status for call in refused] == [403]


async def test_the_same_update_delivered_twice_is_stored_once_and_the_waiting_question_shown_again(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_typed_question(harness, ada)
    typed = harness.api.updates.message(ada, "Ramps at the youth club")
    assert await harness.deliver(typed)
    sends = harness.api.calls_of("sendMessage")
    waiting = sends[-1].params["text"]

    assert await harness.deliver(typed)

    again = harness.api.calls_of("sendMessage")[len(sends) :]
    assert [call.params["text"] for call in again] == [waiting]
    assert (await kept(harness)).answers == [
        *FIRST_TWO,
        ("inclusion", "ideas", "Ramps at the youth club"),
    ]


async def test_a_button_press_delivered_twice_is_stored_once_and_reported_handled(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    press = harness.api.tap(ada, "Agree")
    assert await harness.deliver(press)
    shown = len(harness.texts(ada))

    handled_again = await harness.deliver(press)

    assert handled_again
    assert len(harness.texts(ada)) == shown + 1
    assert "Question 2 of 3" in harness.last(ada).text
    assert (await kept(harness)).answers == [("inclusion", "important", "agree")]
    assert harness.api.failed_calls() == []


async def test_flood_control_on_a_reply_is_waited_out_and_the_reply_still_arrives(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    harness.api.rate_limit(1, method="sendMessage", chat_id=ada.id)

    await harness.tap(ada, "Agree")

    sends = harness.api.calls_of("sendMessage", chat_id=ada.id)
    assert [call.status for call in sends[-2:]] == [429, 200]
    assert "Question 2 of 3" in harness.last(ada).text
    assert (await kept(harness)).answers == [("inclusion", "important", "agree")]


async def test_help_before_start_stores_nobody(harness: BotHarness):
    ada = harness.person("Ada")

    await harness.command(ada, "help")

    assert harness.texts(ada)[0].startswith(
        "Hello! This is Medway Council and NHS Kent and Medway."
    )
    assert harness.last(ada).labels == [
        "Yes, let's start",
        "How we use your answers",
        "No thanks",
        "Explain this",
        "Polski",
    ]
    assert await kept(harness) == Kept(0, [], 0)
    async with harness.service.sessions() as session:
        audit = await session.scalar(select(func.count()).select_from(AuditEntry))
        processed = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert (audit, processed) == (0, 1)


async def test_removing_the_bot_from_a_group_does_not_mark_the_remover_unreachable(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    group = harness.api.updates.group("Parents' forum")
    removed = harness.api.updates.my_chat_member(ada, old_status="member", new_status="member")
    removed["my_chat_member"]["chat"] = group.chat()  # Ada removed the bot from the group
    removed["my_chat_member"]["new_chat_member"].update(status="kicked", until_date=0)

    assert await harness.deliver(removed)

    respondent = await the_respondent(harness)
    assert respondent.unreachable_at is None
    await harness.tap(ada, "Agree")
    assert "Question 2 of 3" in harness.last(ada).text


async def test_a_group_where_the_bot_may_not_write_gets_no_reply_and_no_retry(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    group = harness.api.updates.group("Read-only announcements")
    harness.api.add_chat(group)
    harness.api.fail_next(
        400, "Bad Request: not enough rights to send text messages to the chat", chat_id=group.id
    )

    handled = await harness.deliver(harness.api.updates.command(ada, "start", chat=group))

    assert handled
    assert harness.api.texts(group.id) == []
    assert await kept(harness) == Kept(0, [], 0)


async def test_a_button_on_a_days_old_question_still_answers_it(harness: BotHarness):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    question = harness.message_with(ada, "Agree")
    data = question.button("Agree").callback_data
    assert data is not None
    # Days later Telegram no longer sends the message itself with the tap: only where it was.
    too_old = {"chat": question.raw["chat"], "message_id": question.message_id, "date": 0}

    assert await harness.deliver(harness.api.updates.callback_query(ada, too_old, data))

    assert "Question 2 of 3" in harness.last(ada).text
    old_question = next(
        shown for shown in harness.api.screen(ada.id) if shown.message_id == question.message_id
    )
    assert old_question.text and old_question.text.startswith(question.text or "?")
    assert old_question.labels == []
    assert (await kept(harness)).answers == [("inclusion", "important", "agree")]
    assert harness.api.calls_of("answerCallbackQuery", ok=True)
    assert harness.api.failed_calls() == []


async def test_a_press_redelivered_after_a_crash_between_commit_and_answer_is_answered(
    harness: BotHarness,
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    press = harness.api.tap(ada, "Agree")
    query = press["callback_query"]
    # The process committed the press, then died before answering it or replying.
    await harness.service.handle(Incoming(ada.id, ada.id, Press(query["data"]), press["update_id"]))

    assert await harness.deliver(press)

    answered = harness.api.calls_of("answerCallbackQuery")
    assert [(call.params["callback_query_id"], call.status) for call in answered][-1:] == [
        (query["id"], 200)
    ]
    assert "Question 2 of 3" in harness.last(ada).text
    assert (await kept(harness)).answers == [("inclusion", "important", "agree")]
