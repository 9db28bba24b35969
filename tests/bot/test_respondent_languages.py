"""Languages through the real bot: Telegram's language, answers stored with theirs, RTL and emoji
kept exactly, a Polish reminder, and /language half-way."""

from datetime import UTC, datetime

from sqlalchemy import select

from storage.export_stream import stream_export_batches
from storage.models import Answer
from tests.bot.harness import BotHarness
from tests.bot.steps import begin, the_respondent

WORDS = "שלום 👋🏽 مرحبا — e\u0301 🧑🏾‍🦽"
"""Hebrew and Arabic (right to left), skin tones, a combining accent and a joined emoji."""
MORNING = datetime(2022, 9, 21, 9, 0, tzinfo=UTC)


async def stored_answers(harness: BotHarness) -> list[tuple[str, str | None, str | None]]:
    async with harness.service.sessions() as session:
        rows = await session.execute(
            select(Answer.question, Answer.value, Answer.language).order_by(Answer.id)
        )
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_a_polish_app_gets_polish_and_every_answer_is_kept_exactly_with_its_language(
    harness: BotHarness,
):
    ola = harness.person("Ola", language_code="pl")
    await harness.start(ola)
    assert harness.texts(ola)[0].startswith("Dzień dobry! Tu Medway Council i NHS Kent and Medway.")
    await harness.tap(ola, "Tak, zaczynajmy")
    await harness.tap(ola, "Jestem młodą osobą")
    assert "O Tobie. Pytanie 1 z 3\n\nIle masz lat?" in harness.last(ola).text
    await harness.tap(ola, "16 do 18 lat")
    await harness.tap(ola, "Półwysep Hoo")
    await harness.tap(ola, "Wolę nie mówić")
    await harness.tap(ola, "Tak")  # one reminder, please
    await harness.tap(ola, "Być włączonym i brać udział")
    await harness.tap(ola, "Gotowe")
    await harness.tap(ola, "Zgadzam się")
    await harness.tap(ola, "Pomiń")
    await harness.type(ola, WORDS)

    assert await stored_answers(harness) == [
        ("age", "16_18", "pl"),
        ("lives_in", "hoo", "pl"),
        ("ehc_plan", "prefer_not_to_say", "pl"),
        ("important", "agree", "pl"),
        ("included_now", None, "pl"),
        ("ideas", WORDS, "pl"),
    ]
    assert (await the_respondent(harness)).language == "pl"
    await harness.command(ola, "myanswers")
    assert WORDS in harness.last(ola).text
    assert "Bycie włączonym jest dla mnie ważne." in harness.last(ola).text
    rows = [
        row
        async for batch in stream_export_batches(
            harness.service.sessions, consultation_id=harness.consultation.id
        )
        for row in batch
    ]
    assert [(row.answer, row.language) for row in rows][-1] == (WORDS, "pl")

    await harness.tick_at(MORNING)
    assert harness.last(ola).text == (
        "Dzień dobry! Zacząłeś mówić nam, co myślisz o naszym planie.\n"
        "Kończymy piątek 23 września 2022 o 23:59.\n"
        "Napisz /start, aby kontynuować tam, gdzie skończyłeś."
    )


async def test_changing_language_half_way_loses_nothing(harness: BotHarness):
    ada = harness.person("Ada")
    await begin(harness, ada, "young_person", "Being included and taking part")
    await harness.tap(ada, "Agree a lot")

    await harness.command(ada, "language")
    await harness.tap(ada, "Polski")

    assert harness.texts(ada)[-2] == "Dobrze. Będziemy pisać po polsku."
    assert harness.last(ada).text.startswith("Być włączonym i brać udział. Pytanie 2 z 3")
    await harness.tap(ada, "Nie wiem")
    assert (await stored_answers(harness))[3:] == [  # after 3 about who she is
        ("important", "agree_strongly", "en"),
        ("included_now", "not_sure", "pl"),
    ]
    assert (await the_respondent(harness)).language == "pl"
