"""Counting one area's answers per audience in the database (the profile questions' counts)."""

from datetime import UTC, datetime

from conversations.outputs import Answer
from storage.answers import record_answers
from storage.respondents import update_respondent
from storage.statistics import answer_counts

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
CONSULTATION = "send-strategy-2022"


async def _answer(sessions, respondent, audience: str | None, *answers: Answer) -> None:
    async with sessions() as session, session.begin():
        await update_respondent(session, respondent_id=respondent.id, audience=audience)
        await record_answers(
            session,
            respondent_id=respondent.id,
            answers=answers,
            consultation_version="v1",
            now=NOW,
        )


async def test_answers_are_counted_per_audience_question_and_value_in_one_area(
    sessions, make_respondent
):
    age = "How old are you?"
    people = [await make_respondent(user_id) for user_id in range(1, 6)]
    await _answer(sessions, people[0], "young_person", Answer("profile", "age", age, "11_15", "x"))
    await _answer(sessions, people[1], "young_person", Answer("profile", "age", age, "11_15", "x"))
    await _answer(sessions, people[2], "parent_carer", Answer("profile", "age", age, "11_15", "x"))
    await _answer(
        sessions,
        people[3],
        "parent_carer",
        Answer("profile", "age", age, None, "(skipped)"),
        Answer("profile", "town", "Where?", "chatham,strood", "x"),
        Answer("inclusion", "age", "Not a profile question", "11_15", "x"),
    )
    await _answer(
        sessions, people[4], None, Answer("profile", "age", age, "prefer_not_to_say", "x")
    )
    elsewhere = await make_respondent(6, consultation_id="another")
    await _answer(sessions, elsewhere, "young_person", Answer("profile", "age", age, "11_15", "x"))

    async with sessions() as session:
        counts = await answer_counts(session, consultation_id=CONSULTATION, area="profile")

    found = {(c.audience, c.question, c.value): c.count for c in counts}
    assert found == {
        ("young_person", "age", "11_15"): 2,
        ("parent_carer", "age", "11_15"): 1,
        ("parent_carer", "age", None): 1,
        ("parent_carer", "town", "chatham,strood"): 1,
        (None, "age", "prefer_not_to_say"): 1,
    }


async def test_an_area_nobody_answered_has_no_counts(sessions, make_respondent):
    person = await make_respondent(1)
    await _answer(sessions, person, "young_person", Answer("inclusion", "q", "Q?", "yes", "Yes"))

    async with sessions() as session:
        assert await answer_counts(session, consultation_id=CONSULTATION, area="profile") == []
