"""Who has answered: profile answers counted per audience, from a real database."""

from datetime import UTC, datetime

from conversations.loader import load_consultation
from conversations.model import PREFER_NOT
from conversations.outputs import Answer
from reports.profile import profile_counts, tally_profile
from storage.answers import record_answers
from storage.identity import pseudonym
from storage.respondents import get_or_create_respondent, update_respondent
from storage.rows import AnswerCount
from tests.conversations.chatkit import PROFILE, SMALL

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)


async def _person(sessions, user_id: int, audience: str, *answers: Answer) -> None:
    async with sessions() as session, session.begin():
        respondent = await get_or_create_respondent(
            session,
            consultation_id="small",
            pseudonym=pseudonym(b"secret", user_id),
            chat_id=user_id,
            now=NOW,
        )
        await update_respondent(session, respondent_id=respondent.id, audience=audience)
        await record_answers(
            session, respondent_id=respondent.id, answers=answers, consultation_version="v", now=NOW
        )


def _age(value: str | None) -> Answer:
    return Answer("profile", "age", "How old are you?", value, "")


async def test_profile_answers_are_counted_per_audience_and_for_everyone(sessions, tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL + PROFILE, encoding="utf-8")
    consultation = load_consultation(path)
    await _person(sessions, 1, "young_person", _age("under_11"))
    await _person(sessions, 2, "young_person", _age("from_11"))
    await _person(sessions, 3, "young_person", _age(PREFER_NOT))
    await _person(
        sessions, 4, "parent_carer", _age("under_11"), Answer("school", "bus", "", "yes", "")
    )
    await _person(sessions, 5, "parent_carer", _age(None))

    counts = await profile_counts(consultation, sessions)

    young = counts.of("age", "young_person")
    assert (young.people, young.skipped) == (3, 0)
    assert (young.chose("under_11"), young.chose("from_11"), young.chose(PREFER_NOT)) == (1, 1, 1)
    parents = counts.of("age", "parent_carer")
    assert (parents.people, parents.skipped, parents.chose("under_11")) == (1, 1, 1)
    everyone = counts.everyone("age")
    assert (everyone.people, everyone.skipped, everyone.chose("under_11")) == (4, 1, 2)
    assert counts.of("plan", "young_person").people == 0, "nobody answered it yet"
    assert counts.of("bus", "parent_carer").people == 0, "a consultation answer is not profile"


def test_a_tick_list_answer_counts_the_person_once_and_each_option_ticked():
    counts = tally_profile(
        [
            AnswerCount("parent_carer", "needs", "autism,hearing", 2),
            AnswerCount("parent_carer", "needs", "hearing", 1),
        ],
        multi=frozenset({"needs"}),
    )

    needs = counts.of("needs", "parent_carer")
    assert needs.people == 3
    assert (needs.chose("autism"), needs.chose("hearing")) == (2, 3)
