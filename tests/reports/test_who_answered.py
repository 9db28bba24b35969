"""Who has answered, read from a real database (SQLite, and PostgreSQL when there is one):
profile targets count the answers people gave about themselves, "prefer not to say" apart."""

from datetime import UTC, datetime

from conversations.loader import load_consultation
from conversations.outputs import Answer
from reports.consultation import who_answered
from reports.targets import Standing
from reports.targets_text import target_lines
from reports.wording import staff_words
from storage.answers import record_answers
from storage.respondents import get_or_create_respondent, update_respondent
from tests.conversations.chatkit import PROFILE, SMALL

OPENS = datetime(2022, 9, 1, 8, 0, tzinfo=UTC)  # 9am in summer time, as SMALL says
CLOSES = datetime(2022, 9, 23, 22, 59, tzinfo=UTC)
HALFWAY = OPENS + (CLOSES - OPENS) / 2
TARGETS = """
[[targets]]
profile = "age"
share_at_least = 0.3

[[targets]]
profile = "plan"
answer = "yes"
at_least = 2

[[targets]]
audience = "young_person"
at_least = 4
counting = "finished"

[[targets]]
profile = "age"
answer = "under_11"
among = ["parent_carer"]
at_least = 1
"""


async def person(sessions, number: int, audience: str, *answers: tuple[str, str]) -> None:
    """Someone who said yes and gave these profile answers (question, value)."""
    async with sessions() as session, session.begin():
        respondent = await get_or_create_respondent(
            session, consultation_id="small", pseudonym=f"p{number}", chat_id=number, now=OPENS
        )
        await update_respondent(
            session, respondent_id=respondent.id, audience=audience, consent_at=OPENS
        )
        await record_answers(
            session,
            respondent_id=respondent.id,
            answers=[Answer("profile", key, key, value, value) for key, value in answers],
            consultation_version="v1",
            now=OPENS,
        )


async def test_profile_targets_count_each_answer_and_leave_out_prefer_not_to_say(
    sessions, tmp_path
):
    path = tmp_path / "small.toml"
    path.write_text(SMALL + PROFILE + TARGETS, encoding="utf-8")
    consultation = load_consultation(path)
    await person(sessions, 1, "young_person", ("age", "under_11"), ("plan", "yes"))
    await person(sessions, 2, "young_person", ("age", "under_11"))
    await person(sessions, 3, "parent_carer", ("age", "under_11"), ("plan", "no"))
    await person(sessions, 4, "parent_carer", ("age", "prefer_not_to_say"))

    who = await who_answered(consultation, sessions, HALFWAY)

    rows = [
        (who.heading(row), who.label(row), row.so_far, row.share, row.needed_now, row.standing)
        for row in who.progress
    ]
    age, plan = "How old are you?", "Is there an EHC plan?"
    parents_age = "How old is your child? (I'm a parent or carer)"
    assert rows == [
        (age, "Under 11", 3, 1.0, None, Standing.TOO_FEW),
        (age, "11 or older", 0, 0.0, None, Standing.TOO_FEW),
        (plan, "Yes", 1, 0.5, 1, Standing.ON_TRACK),
        (None, "I'm a young person", 0, None, 2, Standing.UNDER),
        (parents_age, "Under 11", 1, 1.0, 1, Standing.REACHED),
    ]
    assert target_lines(who, staff_words()) == (
        "Who has answered, against the targets\n"
        "Closes Friday 23 September 2022 at 11:59pm: 11 days left, 50% of the time gone.\n"
        "How old are you?\n"
        "- Under 11: 100% of people who answered (3 so far), aim 30% or more. "
        "Too few to judge yet\n"
        "- 11 or older: 0% of people who answered (0 so far), aim 30% or more. "
        "Too few to judge yet\n"
        "Is there an EHC plan?\n"
        "- Yes: 1 of 2 started (50%). On track\n"
        "- I'm a young person: 0 of 4 finished (0%). Under-represented: 2 needed by now\n"
        "How old is your child? (I'm a parent or carer)\n"
        "- Under 11: 1 of 1 started (100%). Reached\n"
        "Under-represented: behind the pace to reach the target by the close, or below the "
        "share, while there is still time to act."
    )
