"""Answers: one row per question, replaced when the respondent changes their mind."""

from datetime import UTC, datetime

from conversations.outputs import Answer
from storage.answers import AnswersOf, list_answers, record_answers, record_many_answers

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2022, 9, 2, 12, 0, tzinfo=UTC)


async def _record(sessions, respondent_id: int, answers, *, version="v1", now=NOW) -> int:
    async with sessions() as session, session.begin():
        return await record_answers(
            session,
            respondent_id=respondent_id,
            answers=answers,
            consultation_version=version,
            now=now,
        )


async def _list(sessions, respondent_id: int):
    async with sessions() as session:
        return await list_answers(session, respondent_id=respondent_id)


async def test_answers_are_stored_with_what_the_respondent_saw(sessions, make_respondent):
    respondent = await make_respondent(1)
    written = await _record(
        sessions,
        respondent.id,
        [
            Answer("inclusion", "important", "Is this important?", "agree", "I agree"),
            Answer("inclusion", "why", "Why?", None, "(skipped)"),
        ],
    )
    assert written == 2
    [important, why] = await _list(sessions, respondent.id)
    assert (important.area, important.question, important.question_text) == (
        "inclusion",
        "important",
        "Is this important?",
    )
    assert (important.value, important.label, important.consultation_version) == (
        "agree",
        "I agree",
        "v1",
    )
    assert (why.value, why.label) == (None, "(skipped)")


async def test_a_changed_answer_replaces_the_old_one_and_keeps_its_first_time(
    sessions, make_respondent
):
    respondent = await make_respondent(1)
    await _record(sessions, respondent.id, [Answer("a", "q", "Q?", "agree", "I agree")])
    await _record(
        sessions,
        respondent.id,
        [Answer("a", "q", "Q, reworded?", "disagree", "I disagree")],
        version="v2",
        now=LATER,
    )
    [answer] = await _list(sessions, respondent.id)
    assert (answer.value, answer.label, answer.question_text, answer.consultation_version) == (
        "disagree",
        "I disagree",
        "Q, reworded?",
        "v2",
    )
    assert (answer.first_answered_at, answer.last_answered_at) == (NOW, LATER)


async def test_when_one_batch_answers_a_question_twice_the_later_wins(sessions, make_respondent):
    respondent = await make_respondent(1)
    written = await _record(
        sessions,
        respondent.id,
        [Answer("a", "q", "Q?", "yes", "Yes"), Answer("a", "q", "Q?", "no", "No")],
    )
    assert written == 1
    assert [answer.value for answer in await _list(sessions, respondent.id)] == ["no"]


async def test_recording_no_answers_does_nothing(sessions, make_respondent):
    respondent = await make_respondent(1)
    assert await _record(sessions, respondent.id, []) == 0
    assert await _list(sessions, respondent.id) == []


async def test_answers_of_other_respondents_are_kept_apart(sessions, make_respondent):
    first, second = await make_respondent(1), await make_respondent(2)
    await _record(sessions, first.id, [Answer("a", "q", "Q?", "yes", "Yes")])
    await _record(sessions, second.id, [Answer("a", "q", "Q?", "no", "No")])
    assert [answer.value for answer in await _list(sessions, first.id)] == ["yes"]
    assert [answer.value for answer in await _list(sessions, second.id)] == ["no"]


async def test_a_batch_of_respondents_answers_is_stored_in_one_call(sessions, make_respondent):
    first, second = await make_respondent(1), await make_respondent(2)
    await _record(sessions, second.id, [Answer("inclusion", "important", "Q?", "agree", "Agree")])
    async with sessions() as session, session.begin():
        written = await record_many_answers(
            session,
            [
                AnswersOf(
                    first.id, [Answer("inclusion", "important", "Q?", "no", "No")], "v2", NOW
                ),
                AnswersOf(
                    second.id,
                    [
                        Answer("inclusion", "important", "Q?", "no", "No"),
                        Answer("inclusion", "why", "Why?", None, "(skipped)"),
                    ],
                    "v2",
                    LATER,
                ),
            ],
        )
    assert written == 3
    [mine] = await _list(sessions, first.id)
    assert (mine.value, mine.consultation_version, mine.last_answered_at) == ("no", "v2", NOW)
    important, why = await _list(sessions, second.id)
    assert (important.value, important.first_answered_at, important.last_answered_at) == (
        "no",
        NOW,
        LATER,
    )
    assert (why.question, why.value) == ("why", None)
