"""What respondents do in the bot tests, and what the tests read back afterwards.

The steps are the ones many tests take to reach the part they are about: start from a link,
agree, answer the reminder question, choose areas; what they read back is what was stored and
what was shown.
"""

from sqlalchemy import select

from conversations.model import PROFILE_AREA
from storage.identity import pseudonym
from storage.models import Answer, Respondent
from tests.bot.harness import SECRET, BotHarness
from tests.telegram_fakes import FakeUser
from tests.telegram_fakes.updates import JsonDict

INCLUSION = "Being included and taking part"
PREFER_NOT = "Prefer not to say"
MEDWAY_CLOSES = "Friday 23 September 2022 at 11:59pm"


def help_text(harness: BotHarness) -> str:
    """The /help reply, with the document link, the closing time in the file and the other ways
    to answer."""
    c = harness.consultation
    other_ways = c.say("other_ways", other_ways=c.other_ways)
    return c.say("help", document=c.document_url, closes=MEDWAY_CLOSES) + "\n\n" + other_ways


async def begin(
    harness: BotHarness,
    user: FakeUser,
    link: str,
    *areas: str,
    reminder: bool = False,
    audience: str | None = None,
    profile: tuple[str, ...] = (),
) -> None:
    """Start from `link`, agree, say who they are (`audience`: only when the link does not),
    answer the questions about them (`profile`, see `about_them`), say yes or no to one
    reminder, tick `areas` and tap Done: the first question is asked."""
    await harness.start(user, link)
    await harness.tap(user, "Yes, let's start")
    if audience is not None:
        await harness.tap(user, audience)
    await about_them(harness, user, *profile)
    await harness.tap(user, "Yes" if reminder else "No")
    for area in areas:
        await harness.tap(user, area)
    await harness.tap(user, "Done")


async def about_them(harness: BotHarness, user: FakeUser, *answers: str) -> None:
    """Answer the questions about who they are as they come: the button labelled with each of
    `answers` in turn, then "Prefer not to say" to any left."""
    remaining = list(answers)
    while PREFER_NOT in harness.last(user).labels:
        await harness.tap(user, remaining.pop(0) if remaining else PREFER_NOT)
    assert remaining == [], f"not asked about them: {remaining}"


async def at_the_first_question(harness: BotHarness, user: FakeUser) -> None:
    """Start as a young person, no reminder, choose 'Being included and taking part', reach
    its question 1 (a scale: 'Agree a lot' ... 'Disagree a lot')."""
    await begin(harness, user, "young_person", INCLUSION)


async def answers_of(
    harness: BotHarness, user: FakeUser | None = None, *, about_them: bool = False
) -> list[tuple[str, str | None]]:
    """(question, value) of every stored answer, oldest first; only `user`'s when given.

    The answers about who people are (which `begin` gives) are left out unless `about_them`.
    """
    query = select(Answer.question, Answer.value).order_by(Answer.id)
    if not about_them:
        query = query.where(Answer.area != PROFILE_AREA)
    if user is not None:
        query = query.join(Respondent, Respondent.id == Answer.respondent_id).where(
            Respondent.pseudonym == pseudonym(SECRET, user.id)
        )
    async with harness.service.sessions() as session:
        rows = await session.execute(query)
    return [(question, value) for question, value in rows]


async def the_respondent(harness: BotHarness) -> Respondent:
    """The one respondent stored (an error unless there is exactly one)."""
    async with harness.service.sessions() as session:
        return (await session.execute(select(Respondent))).scalar_one()


async def stored_respondents(harness: BotHarness) -> list[Respondent]:
    """Every respondent stored, oldest first."""
    async with harness.service.sessions() as session:
        return list((await session.execute(select(Respondent).order_by(Respondent.id))).scalars())


def count_shown(harness: BotHarness, user: FakeUser, start: str) -> int:
    """How many messages (edits included) shown to `user` start with `start`."""
    return sum(1 for text in harness.texts(user) if text.startswith(start))


def a_flood_of_presses(harness: BotHarness, presser: FakeUser) -> list[JsonDict]:
    """Four bursts' worth of presses on the first question's "Agree" button, made at once."""
    return [harness.api.tap(presser, "Agree") for _ in range(4 * harness.gate.burst)]


def assert_each_press_answered_once(harness: BotHarness, presses: list[JsonDict]) -> None:
    """Every press got one answerCallbackQuery (its button stopped spinning), and no more."""
    pressed = [press["callback_query"]["id"] for press in presses]
    answered = [
        call.params["callback_query_id"]
        for call in harness.api.calls_of("answerCallbackQuery", ok=True)
        if call.params["callback_query_id"] in pressed
    ]
    assert sorted(answered) == sorted(pressed)
    assert harness.api.failed_calls() == []
