"""Three people answer the shipped consultation through the bot: the material for staff tests.

Each journey is what a person does, tap by tap (the opening taps through `steps.begin`).
`ANSWERS` is what each of them answered, as staff should read it back in every export and in
the statistics; the tests in this module prove what the journeys store, so the staff tests can
compare their files with it cell by cell.

Ada (a young person, from the library poster) and Cal (who works with children, no link) finish;
Bea (a parent, from the school newsletter, who asked for a reminder) stops half-way.

This module holds no tests of its own: the export tests compare the stored answers with
`ANSWERS` cell by cell, through every format, on every database backend.
"""

import asyncio
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from storage.identity import pseudonym
from tests.bot.harness import SECRET, STAFF_ID, BotHarness
from tests.bot.steps import INCLUSION, begin
from tests.telegram_fakes.updates import FakeUser

TYPE_OR_SKIP = "Type your answer, or tap Skip."
SETTLE_SECONDS = 10
"""How long a staff command running in the background (stats, export, announce) may take."""


@dataclass(frozen=True)
class Expected:
    """One stored answer as staff should see it: who, where, what they saw and what they said."""

    person: str
    area: str
    question: str
    question_text: str
    answer: str
    value: str | None


AUDIENCE = {"Ada": "young_person", "Bea": "parent_carer", "Cal": "professional"}
SOURCE = {"Ada": "library_poster", "Bea": "school_newsletter", "Cal": None}
FINISHED = {"Ada": True, "Bea": False, "Cal": True}
BEA_IDEA = 'One "key worker", who knows us,\nnot a leaflet'
ANSWERS = (
    Expected("Ada", "inclusion", "important", "Being included is important to me.",
             "Agree a lot", "agree_strongly"),
    Expected("Ada", "inclusion", "included_now", "I feel included at school or college.",
             "Not sure", "not_sure"),
    Expected("Ada", "inclusion", "ideas", "What would help you feel more included?",
             "More clubs after school 🎨", "More clubs after school 🎨"),
    Expected("Ada", "final", "anything_else", "Is there anything else you want to tell us?",
             "(skipped)", None),
    Expected("Bea", "future", "important",
             "This should be one of our main aims for the next 3 years.", "Agree", "agree"),
    Expected("Bea", "future", "talked", "Has anyone talked with your child about their future?",
             "No", "no"),
    Expected("Bea", "future", "help_wanted",
             "What help does your child need to get ready for the future?",
             "Money, Health", "money,health"),
    Expected("Bea", "future", "ideas",
             "Is there anything else that would help your child get ready?", BEA_IDEA, BEA_IDEA),
    Expected("Bea", "together", "important",
             "This should be one of our main aims for the next 3 years.",
             "Disagree", "disagree"),
    Expected("Cal", "inclusion", "important",
             "This ambition is the right priority for 2022 to 2025.", "Agree", "agree"),
    Expected("Cal", "inclusion", "included_now",
             "Children with SEND are included well where I work.", "(skipped)", None),
    Expected("Cal", "inclusion", "ideas", "What would most improve inclusion and taking part?",
             "(skipped)", None),
    Expected("Cal", "final", "anything_else",
             "Is there anything else you want to tell us about the strategy?",
             "Fund more specialist staff", "Fund more specialist staff"),
)  # fmt: skip


ABOUT_THEM = {"Ada": ("11 to 15 years", "Chatham", "Yes"), "Bea": ("5 to 10 years",), "Cal": ()}
"""What each taps about who they are; "Prefer not to say" to the rest."""
EHC_PLAN = "an EHC plan? This is an education, health and care plan."
PROFILE_ANSWERS = (
    Expected("Ada", "profile", "age", "How old are you?", "11 to 15 years", "11_15"),
    Expected("Ada", "profile", "lives_in", "Which part of Medway do you live in?",
             "Chatham", "chatham"),
    Expected("Ada", "profile", "ehc_plan", f"Do you have {EHC_PLAN}", "Yes", "yes"),
    Expected("Bea", "profile", "age",
             "How old is your child with SEND? If you have more than 1, choose the youngest.",
             "5 to 10 years", "5_10"),
    Expected("Bea", "profile", "lives_in", "Which part of Medway do you live in?",
             "Prefer not to say", "prefer_not_to_say"),
    Expected("Bea", "profile", "ehc_plan", f"Does your child have {EHC_PLAN}",
             "Prefer not to say", "prefer_not_to_say"),
    Expected("Cal", "profile", "age", "Which age group do you work with most?",
             "Prefer not to say", "prefer_not_to_say"),
    Expected("Cal", "profile", "lives_in", "Which part of Medway do you work in most?",
             "Prefer not to say", "prefer_not_to_say"),
)  # fmt: skip
"""What they said about who they are: only in exports that ask for it (`--with-profile`)."""


AUDIENCE_LABEL = {"Ada": "Young person", "Bea": "Parent or carer", "Cal": "Professional"}
"""How staff read each one's audience in the XLSX and in /stats."""


def person_of(audience: str | None) -> str:
    """Which of the three gave an answer, from the audience in the export (each has their own):
    its key in CSV and JSON, its name for staff in XLSX."""
    names = {value: name for name, value in (*AUDIENCE.items(), *AUDIENCE_LABEL.items())}
    return names[audience or ""]


def xlsx_answers(rows: Iterable[Sequence[object]]) -> list[tuple[str, str, str]]:
    """The rows of an XLSX "All answers" sheet as (person, question's words, answer), sorted."""
    return sorted((person_of(str(row[1])), str(row[4]), str(row[5])) for row in rows)


def xlsx_expected(*people: str) -> list[tuple[str, str, str]]:
    """What `xlsx_answers` gives back for these people's answers."""
    return sorted((a.person, a.question_text, a.answer) for a in ANSWERS if a.person in people)


InFull = tuple[str, str, str, str, str, str | None]
EVERY_ANSWER: list[InFull] = sorted(
    (a.person, a.area, a.question, a.question_text, a.answer, a.value) for a in ANSWERS
)
"""`ANSWERS` as (person, area, question, question text, answer, value), sorted: what an export
that holds every answer gives back, cell by cell."""


def csv_answers(rows: Iterable[Mapping[str, str]]) -> list[InFull]:
    """The rows of a CSV export as in `EVERY_ANSWER` (an empty value cell is no value)."""
    return sorted(
        (
            person_of(row["audience"]),
            row["area"],
            row["question"],
            row["question_text"],
            row["answer"],
            row["value"] or None,
        )
        for row in rows
    )


@dataclass(frozen=True)
class People:
    """The three respondents as Telegram knows them."""

    ada: FakeUser
    bea: FakeUser
    cal: FakeUser

    def everyone(self) -> tuple[FakeUser, ...]:
        return (self.ada, self.bea, self.cal)

    def by_name(self) -> dict[str, FakeUser]:
        return {"Ada": self.ada, "Bea": self.bea, "Cal": self.cal}


def meet(harness: BotHarness) -> People:
    """Three Telegram users with names, usernames and ids that no export may ever show."""
    return People(
        harness.person("Ada", username="ada_quokka_841"),
        harness.person("Bea", username="bea_pangolin_392"),
        harness.person("Cal", username="cal_axolotl_517"),
    )


def staff_member(harness: BotHarness) -> FakeUser:
    """The admin named in the harness's settings, in a private chat with the bot."""
    return harness.person("Sam", id=STAFF_ID, username="sam_council_staff")


async def ada_finishes(harness: BotHarness, ada: FakeUser) -> None:
    await begin(harness, ada, "young_person__library_poster", INCLUSION, profile=ABOUT_THEM["Ada"])
    await harness.tap(ada, "Agree a lot")
    await harness.tap(ada, "Not sure")
    await harness.type(ada, "More clubs after school 🎨")
    await harness.tap(ada, "Skip")  # anything else
    await harness.tap(ada, "Yes")  # hear what happened
    await harness.tap(ada, "Send my answers")


async def bea_stops_half_way(harness: BotHarness, bea: FakeUser) -> None:
    await begin(
        harness,
        bea,
        "parent_carer__school_newsletter",
        "Your child's future",
        "Working with you and your child",
        reminder=True,
        profile=ABOUT_THEM["Bea"],
    )
    await harness.tap(bea, "Agree")
    await harness.tap(bea, "No")
    await harness.tap(bea, "Money")
    await harness.tap(bea, "Health")
    await harness.tap(bea, "Done")
    await harness.type(bea, BEA_IDEA)
    await harness.tap(bea, "Disagree")


async def cal_finishes(harness: BotHarness, cal: FakeUser) -> None:
    await begin(harness, cal, "", INCLUSION, audience="I work with children")  # no link
    await harness.tap(cal, "Agree")
    await harness.tap(cal, "Skip")
    await harness.tap(cal, "Skip")
    await harness.type(cal, "Fund more specialist staff")
    await harness.tap(cal, "No")  # no news, thanks
    await harness.tap(cal, "Send my answers")


async def three_respondents(harness: BotHarness) -> People:
    """Ada and Cal finish, Bea stops half-way; every answer is the one in `ANSWERS`."""
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    await bea_stops_half_way(harness, people.bea)
    await cal_finishes(harness, people.cal)
    return people


async def type_into_every_text_question(
    harness: BotHarness, user: FakeUser, texts: tuple[str, ...]
) -> None:
    """Pick every area, skip each button question and type `texts` in turn where words go.

    The shipped consultation asks for words seven times in all (once per area and at the end),
    so seven texts fill every free-text question; then they send their answers.
    """
    await begin(harness, user, "professional", "All of them")
    remaining = list(texts)
    while "Send my answers" not in harness.last(user).labels:
        asked = harness.last(user)
        if TYPE_OR_SKIP in (asked.text or ""):
            await harness.type(user, remaining.pop(0))
        elif "Skip" in asked.labels:
            await harness.tap(user, "Skip")
        else:
            await harness.tap(user, "No")  # the news question
    assert remaining == [], f"{len(remaining)} texts were not asked for"
    await harness.tap(user, "Send my answers")


async def settle(harness: BotHarness) -> None:
    """Wait for staff commands that run in the background (stats, export, announce) to end."""
    current = asyncio.current_task()
    prefix = f"Application:{harness.application.bot.id}:"
    fetcher = f"{prefix}update_fetcher"  # lives as long as the running application
    async with asyncio.timeout(SETTLE_SECONDS):
        while running := [
            task
            for task in asyncio.all_tasks()
            if task is not current
            and not task.done()
            and task.get_name().startswith(prefix)
            and task.get_name() != fetcher
        ]:
            await asyncio.wait(running)


def assert_no_identifiers(data: bytes, people: People) -> None:
    """Nothing in the file (or in any member, if it is a zip) names anyone as Telegram does."""
    identifiers = {
        identifier
        for person in people.everyone()
        for identifier in (
            str(person.id),  # the user id, which is also the private chat's id
            person.username or "",
            pseudonym(SECRET, person.id),
        )
    }
    assert "" not in identifiers
    for part in every_byte(data):
        for identifier in identifiers:
            assert identifier.encode() not in part, f"{identifier} is in an export"


def every_byte(data: bytes) -> Iterator[bytes]:
    """The file's bytes, and every member's if it is a zip (an XLSX file is one)."""
    yield data
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                yield archive.read(name)
